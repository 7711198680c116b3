import t from 'tap'
import type { AddressInfo } from 'node:net'
import { bearer, buildTestApp } from '../helpers/test-app.js'
import { agentHeaders, agentReport, createHostViaApi, debianPackages, storedPackages, type TestHost } from '../helpers/agent-fixtures.js'

t.test('concurrent reports from many hosts over a real socket all succeed, with no SQLITE_BUSY', async (t) => {
  const ctx = await buildTestApp(t)
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`
  const hosts: TestHost[] = []
  for (let i = 0; i < 24; i++) hosts.push(await createHostViaApi(ctx.app, ctx.adminToken, `node-${String(i).padStart(2, '0')}`))

  // Two rounds per host, all in flight at once, each host with its own (partly shared) package set.
  const send = (host: TestHost, i: number, round: number) =>
    fetch(`${base}/api/v1/hosts/update`, {
      method: 'POST',
      headers: agentHeaders(host),
      body: JSON.stringify(
        agentReport(debianPackages(400 + i * 10, { updates: 20 + i, versionSalt: `r${round}` }), { hostname: `node-${i}.lan` })
      )
    }).then(async (res) => ({ status: res.status, body: await res.text() }))
  const results = await Promise.all(hosts.flatMap((host, i) => [send(host, i, 1), send(host, i, 2)]))

  t.same(
    results.map((r) => r.status),
    results.map(() => 200),
    'every report answered 200'
  )
  t.notOk(
    results.some((r) => /BUSY|locked/i.test(r.body)),
    'no busy or locked errors'
  )
  t.notOk(
    ctx.logs.some((l) => /SQLITE_BUSY|database is locked/.test(l)),
    'none logged either'
  )
  for (const [i, host] of hosts.entries()) {
    const stored = storedPackages(ctx, host.id)
    t.equal(stored.length, 400 + i * 10, `host ${i} has exactly its own package set`)
  }
  const list = (
    await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts?status=active&limit=100', headers: bearer(ctx.adminToken) })
  ).json()
  t.equal(list.total, 24)
  const history = ctx.store.sqlite.prepare('select count(*) as n from report_history').get() as { n: number }
  t.equal(history.n, 48, 'one history row per report')
})
