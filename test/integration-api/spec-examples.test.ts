// The spec's own curl, Python and Node examples (test/integration-api/spec-examples/) run for real
// against a server listening on 127.0.0.1.
import t, { type Test } from 'tap'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { AddressInfo } from 'node:net'
import { buildTestApp, type TestApp } from '../helpers/test-app.js'
import { apiCredential, homepageCredential, seedHost } from './fleet-fixture.js'

const DIR = resolve('test/integration-api/spec-examples')

function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      { timeout: 60_000, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', ...env } },
      (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr })
    )
  })
}

async function startFleet(t: Test) {
  const ctx: TestApp = await buildTestApp(t)
  const web = await seedHost(ctx, {
    friendlyName: 'web-server-01',
    hostname: 'web01.example.com',
    ip: '192.168.1.100',
    groups: ['Production', 'Web Servers'],
    packages: [
      { name: 'nginx', current: '1.18.0', available: '1.24.0' },
      { name: 'openssl', current: '3.0.2-1', available: '3.0.2-18', security: true },
      { name: 'bash', current: '5.2' }
    ],
    extra: { agent_version: '1.4.0', load_average: '[0.5,0.3,0.2]' }
  })
  await seedHost(ctx, {
    friendlyName: 'db-server-01',
    hostname: 'db01.example.com',
    ip: '192.168.1.101',
    groups: ['Production'],
    osType: 'Debian',
    osVersion: '12'
  })
  await seedHost(ctx, { friendlyName: 'dev-box', ip: '10.0.0.5', groups: ['Development'], osType: 'Rocky Linux', osVersion: '9' })
  const doomed = await seedHost(ctx, { friendlyName: 'old-box', groups: ['Development'] })
  await ctx.app.listen({ host: '127.0.0.1', port: 0 })
  const base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`
  const api = await apiCredential(ctx, ['get', 'delete'])
  return { ctx, base, web, doomed, api }
}
t.test('the chapter 6 and chapter 2 curl examples work as written', async (t) => {
  const { ctx, base, web, doomed, api } = await startFleet(t)
  const home = await homepageCredential(ctx)
  const res = await run('bash', [`${DIR}/curl-examples.sh`], {
    BASE_URL: base,
    API_KEY: api.key,
    API_SECRET: api.secret,
    HOST_UUID: web,
    DELETE_UUID: doomed,
    HOME_KEY: home.key,
    HOME_SECRET: home.secret
  })
  t.equal(res.code, 0, `script succeeded (stderr: ${res.stderr.slice(0, 400)})`)
  t.same(res.stdout.trim().split('\n'), [
    'list total=4',
    'stats first=db-server-01 updates=0',
    'production total=2 filtered=Production',
    'production+stats total=2 security=1',
    'prod+dev total=4',
    'host stats installed=3 outdated=2',
    'system load1=0.5',
    'packages total=3',
    'updates_only total=2',
    'pretty print ok',
    'verbose ok',
    'deleted old-box: Host deleted successfully',
    'homepage total_hosts=3',
    '{"top_os_1_name":"Debian","top_os_1_count":1,"top_os_2_name":"Rocky Linux","top_os_2_count":1,"top_os_3_name":"Ubuntu","top_os_3_count":1}',
    'health ok GetHomepage dashboard',
    'no auth -> 401'
  ])
})

t.test('the chapter 6 Python examples (requests) work as written', async (t) => {
  const { base, doomed, api } = await startFleet(t)
  const res = await run('python3', [`${DIR}/python-examples.py`], {
    BASE_URL: base,
    API_KEY: api.key,
    API_SECRET: api.secret,
    DELETE_UUID: doomed
  })
  t.equal(res.code, 0, res.stderr.slice(0, 400))
  const lines = res.stdout.trim().split('\n')
  t.equal(lines[0], 'Total hosts: 4')
  t.ok(lines.includes('  web-server-01 (192.168.1.100) - Groups: Production, Web Servers'))
  t.ok(lines.includes("Web Servers: ['web-server-01']"), 'group names with spaces are URL-encoded by requests')
  t.ok(lines.includes('web-server-01: 2 updates, 1 security, 3 total packages'))
  t.ok(lines.includes('Installed: 3') && lines.includes('Outdated: 2') && lines.includes('Security: 1'))
  t.ok(lines.includes('OS: Ubuntu 24.04 LTS') && lines.includes('Agent: 1.4.0'))
  t.ok(lines.includes('Packages needing updates: 2'))
  t.ok(lines.includes('  openssl: 3.0.2-1 -> 3.0.2-18 [SECURITY]'), 'security first')
  t.ok(lines.includes('Deleted: old-box (old-box.example.com)'))
  t.ok(lines.includes('get_hosts Production: 2'))
  t.ok(lines.includes('Authentication failed - check credentials'), '401 handled by the example')
  const inventory = JSON.parse((lines.find((l) => l.startsWith('INVENTORY ')) ?? 'INVENTORY {}').slice(10)) as Record<
    string,
    { hosts?: string[] }
  >
  t.same(inventory['web_servers']?.hosts, ['web-server-01'])
  t.same(inventory['production']?.hosts, ['db-server-01', 'web-server-01'])
})

t.test('the chapter 6 standalone inventory script and the upstream plugin request work', async (t) => {
  const { base, api } = await startFleet(t)
  const script = await run('python3', [`${DIR}/patchmon_inventory.py`, '--list'], {
    PATCHMON_URL: base,
    PATCHMON_API_KEY: api.key,
    PATCHMON_API_SECRET: api.secret
  })
  t.equal(script.code, 0, script.stderr.slice(0, 400))
  const inv = JSON.parse(script.stdout) as Record<string, { hosts?: string[]; vars?: Record<string, string> }> & {
    _meta: { hostvars: Record<string, Record<string, string>> }
  }
  t.equal(inv._meta.hostvars['web-server-01']?.['ansible_host'], '192.168.1.100')
  t.equal(inv._meta.hostvars['web-server-01']?.['patchmon_hostname'], 'web01.example.com')
  t.same(inv['web_servers']?.hosts, ['web-server-01'])

  for (const url of [`${base}/api/v1/api/hosts/`, `${base}/api/v1/api/hosts/?hostgroup=Development`]) {
    const plugin = await run('python3', [`${DIR}/upstream-plugin-request.py`], { API_URL: url, API_KEY: api.key, API_SECRET: api.secret })
    t.equal(plugin.code, 0, plugin.stderr.slice(0, 400))
    const built = JSON.parse(plugin.stdout) as { hosts: Record<string, unknown>; groups: Record<string, string[]> }
    if (url.includes('hostgroup')) t.same(Object.keys(built.hosts).sort(), ['dev-box.example.com', 'old-box.example.com'])
    else {
      t.same(built.hosts['web01.example.com'], { ansible_host: '192.168.1.100' })
      t.same(built.groups['Production']?.sort(), ['db01.example.com', 'web01.example.com'])
    }
  }
})

t.test('the chapter 6 Node.js fetch example works as written', async (t) => {
  const { base, api } = await startFleet(t)
  // Kept as .txt and fed with --input-type=module: tap runs every .mjs it finds under test/.
  const source = readFileSync(`${DIR}/node-fetch-example.esm.txt`, 'utf8')
  const res = await run(process.execPath, ['--input-type=module', '-e', source], {
    BASE_URL: base,
    API_KEY: api.key,
    API_SECRET: api.secret
  })
  t.equal(res.code, 0, res.stderr.slice(0, 400))
  t.same(res.stdout.trim().split('\n'), [
    'Total: 4',
    'db-server-01: 192.168.1.101',
    'dev-box: 10.0.0.5',
    'old-box: 192.0.2.10',
    'web-server-01: 192.168.1.100',
    'Web Servers total: 1'
  ])
})
