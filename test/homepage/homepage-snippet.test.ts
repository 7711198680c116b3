// The gethomepage widget YAML the dashboard shows after "New API Key" (the server's
// gethomepage_config, or the dashboard's own fallback from integration-snippets.ts) parses as YAML,
// and the call it describes (its url and headers, over real HTTP) answers with every field its
// mappings name.
import t, { type Test } from 'tap'
import type { AddressInfo } from 'node:net'
import { parse as parseYaml } from 'yaml'
import { buildTestApp } from '../helpers/test-app.js'
import { homepageCredential, seedHost } from '../integration-api/fleet-fixture.js'
import { gethomepageYaml } from '../../src/dashboard/ui/integration-snippets.js'

interface WidgetEntry {
  href: string
  widget: { type: string; url: string; headers?: Record<string, string>; mappings: Array<{ field: string; label: string }> }
}

async function callAsHomepage(t: Test, yamlText: string, source: string): Promise<void> {
  const parsed = parseYaml(yamlText) as unknown
  t.ok(Array.isArray(parsed), `${source}: a services.yaml list`)
  const [entry] = parsed as Array<Record<string, WidgetEntry>>
  const service = Object.values(entry ?? {})[0]
  t.equal(service?.widget.type, 'customapi', `${source}: a customapi widget`)
  if (!service) return
  t.ok(service.widget.mappings.length >= 3, `${source}: maps the stats fields`)
  const res = await fetch(service.widget.url, { headers: service.widget.headers })
  t.equal(res.status, 200, `${source}: the call answers`)
  const body = (await res.json()) as Record<string, unknown>
  for (const { field } of service.widget.mappings) t.type(body[field], 'number', `${source}: the answer has ${field}`)
  t.equal(body['total_hosts'], 2, `${source}: counts the fleet`)
}

t.test('the gethomepage YAML the dashboard shows parses and its call answers with the mapped fields', async (t) => {
  const ctx = await buildTestApp(t)
  await seedHost(ctx, { friendlyName: 'a', packages: [{ name: 'openssl', current: '1', available: '2', security: true }] })
  await seedHost(ctx, { friendlyName: 'b', packages: [{ name: 'bash', current: '1' }] })
  await ctx.app.listen({ host: '127.0.0.1', port: 0 })
  const base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`
  await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings',
    headers: { authorization: `Bearer ${ctx.adminToken}` },
    payload: { server_url: base }
  })
  const cred = await homepageCredential(ctx)
  const fromServer = cred.body['gethomepage_config']
  t.type(fromServer, 'string', 'the server answers the widget YAML with the new key')
  await callAsHomepage(t, String(fromServer), 'server gethomepage_config')
  await callAsHomepage(t, gethomepageYaml(base, cred.key, cred.secret), 'dashboard fallback')
})
