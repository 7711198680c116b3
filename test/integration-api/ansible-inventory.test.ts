// Drives the real ansible-inventory (Debian's ansible-core + python3-requests) with our
// patchmon.dynamic_inventory collection against a server listening on 127.0.0.1.
import t from 'tap'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { AddressInfo } from 'node:net'
import { buildTestApp } from '../helpers/test-app.js'
import { apiCredential, seedHost } from './fleet-fixture.js'
import { ansibleInventory } from '../../src/dashboard/ui/integration-snippets.js'

const COLLECTIONS = resolve('packaging/ansible')

interface RunResult {
  code: number
  stdout: string
  stderr: string
}

function run(args: string[], env: Record<string, string>, cwd: string): Promise<RunResult> {
  return new Promise((done) => {
    execFile(
      'ansible-inventory',
      args,
      {
        cwd,
        timeout: 60_000,
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          HOME: cwd,
          ANSIBLE_COLLECTIONS_PATH: COLLECTIONS,
          ANSIBLE_INVENTORY_UNPARSED_FAILED: 'true',
          ANSIBLE_LOCAL_TEMP: join(cwd, 'tmp'),
          ANSIBLE_NOCOLOR: '1',
          ...env
        }
      },
      (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr })
    )
  })
}

/** ansible-core 2.19 wraps strings as {"__ansible_unsafe": "..."}; older versions do not. */
function unwrap(value: unknown): unknown {
  if (value && typeof value === 'object' && '__ansible_unsafe' in value) return (value as { __ansible_unsafe: unknown }).__ansible_unsafe
  return value
}

t.test('ansible-inventory --list builds hosts, ansible_host and groups from PatchMon', async (t) => {
  const ctx = await buildTestApp(t)
  await seedHost(ctx, {
    friendlyName: 'server1',
    hostname: 'server1.example.com',
    ip: '192.168.1.10',
    groups: ['web_servers', 'production']
  })
  await seedHost(ctx, {
    friendlyName: 'server2',
    hostname: 'server2.example.com',
    ip: '192.168.1.11',
    groups: ['db_servers', 'production']
  })
  await seedHost(ctx, { friendlyName: 'fresh-lxc', hostname: null, ip: null, status: 'pending' })
  await ctx.app.listen({ host: '127.0.0.1', port: 0 })
  const port = (ctx.app.server.address() as AddressInfo).port
  const base = `http://127.0.0.1:${port}`
  const cred = await apiCredential(ctx, ['read'])
  const dir = mkdtempSync(join(tmpdir(), 'patchmon-ansible-'))
  const inventory = (name: string, lines: string[]) => {
    const file = join(dir, name)
    writeFileSync(file, `---\n${lines.join('\n')}\n`)
    return file
  }

  const full = inventory('full.yml', [
    'plugin: patchmon.dynamic_inventory.dynamic_inventory',
    `api_url: ${base}/api/v1/api/hosts/`,
    `api_key: ${cred.key}`,
    `api_secret: ${cred.secret}`,
    'verify_ssl: false'
  ])
  const res = await run(['-i', full, '--list'], {}, dir)
  t.equal(res.code, 0, `exit 0 (stderr: ${res.stderr.slice(0, 500)})`)
  const inv = JSON.parse(res.stdout) as Record<string, { hosts?: string[]; children?: string[] }> & {
    _meta: { hostvars: Record<string, Record<string, unknown>> }
  }
  const hostvars = inv._meta.hostvars
  t.same(
    Object.keys(hostvars).sort(),
    ['server1.example.com', 'server2.example.com'],
    'hosts with variables (ansible lists a host without any only in its group)'
  )
  t.equal(unwrap(hostvars['server1.example.com']?.['ansible_host']), '192.168.1.10')
  t.equal(unwrap(hostvars['server2.example.com']?.['ansible_host']), '192.168.1.11')
  t.equal(hostvars['fresh-lxc']?.['ansible_host'], undefined, 'a host without an IP has no ansible_host')
  t.same(inv['production']?.hosts?.sort(), ['server1.example.com', 'server2.example.com'])
  t.same(inv['web_servers']?.hosts, ['server1.example.com'])
  t.same(inv['db_servers']?.hosts, ['server2.example.com'])
  t.same(inv['ungrouped']?.hosts, ['fresh-lxc'])
  t.ok(inv['all']?.children?.includes('production'))

  await t.test('the spec form plugin: patchmon.dynamic_inventory works with enable_plugins, plus the hostgroup option', async (t) => {
    const short = inventory('short.yml', [
      'plugin: patchmon.dynamic_inventory',
      `api_url: ${base}/api/v1/api/hosts/`,
      `api_key: ${cred.key}`,
      `api_secret: ${cred.secret}`,
      'hostgroup: db_servers'
    ])
    const r = await run(['-i', short, '--list'], { ANSIBLE_INVENTORY_ENABLED: 'patchmon.dynamic_inventory.dynamic_inventory' }, dir)
    t.equal(r.code, 0, r.stderr.slice(0, 500))
    t.same(Object.keys((JSON.parse(r.stdout) as { _meta: { hostvars: object } })._meta.hostvars), ['server2.example.com'])
  })

  await t.test('a filter in the URL query string and credentials from environment lookups', async (t) => {
    const templated = inventory('env.yml', [
      'plugin: patchmon.dynamic_inventory.dynamic_inventory',
      `api_url: ${base}/api/v1/api/hosts/?hostgroup=web_servers`,
      "api_key: \"{{ lookup('env', 'PATCHMON_API_KEY') }}\"",
      "api_secret: \"{{ lookup('env', 'PATCHMON_API_SECRET') }}\""
    ])
    const r = await run(['-i', templated, '--list'], { PATCHMON_API_KEY: cred.key, PATCHMON_API_SECRET: cred.secret }, dir)
    t.equal(r.code, 0, r.stderr.slice(0, 500))
    t.same(Object.keys((JSON.parse(r.stdout) as { _meta: { hostvars: object } })._meta.hostvars), ['server1.example.com'])
  })

  await t.test('a wrong secret fails the inventory with the server error', async (t) => {
    const wrong = inventory('wrong.yml', [
      'plugin: patchmon.dynamic_inventory.dynamic_inventory',
      `api_url: ${base}/api/v1/api/hosts/`,
      `api_key: ${cred.key}`,
      'api_secret: not-the-secret'
    ])
    const r = await run(['-i', wrong, '--list'], {}, dir)
    t.not(r.code, 0)
    t.match(r.stderr, /failed to fetch API/)
    t.match(r.stderr, /401/)
    t.match(r.stderr, /Invalid API secret/)
  })
})

t.test('the inventory config exactly as the dashboard shows it runs with ansible-inventory and no extra environment', async (t) => {
  const ctx = await buildTestApp(t)
  await seedHost(ctx, { friendlyName: 'web1', hostname: 'web1.example.com', ip: '192.168.1.20', groups: ['web_servers'] })
  await ctx.app.listen({ host: '127.0.0.1', port: 0 })
  const base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`
  const cred = await apiCredential(ctx, ['get'])
  const home = mkdtempSync(join(tmpdir(), 'patchmon-ansible-user-'))
  t.teardown(() => rmSync(home, { recursive: true, force: true }))
  const plain = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home }
  const galaxy = (args: string[]) =>
    new Promise<RunResult>((done) =>
      execFile('ansible-galaxy', args, { cwd: home, timeout: 60_000, env: plain }, (err, stdout, stderr) =>
        done({ code: err ? 1 : 0, stdout, stderr })
      )
    )
  // Installed the way a user installs it: a built tarball into ~/.ansible/collections.
  const built = await galaxy([
    'collection',
    'build',
    join(COLLECTIONS, 'ansible_collections/patchmon/dynamic_inventory'),
    '--output-path',
    home
  ])
  t.equal(built.code, 0, built.stderr.slice(0, 300))
  const installed = await galaxy(['collection', 'install', join(home, 'patchmon-dynamic_inventory-1.0.0.tar.gz')])
  t.equal(installed.code, 0, installed.stderr.slice(0, 300))
  // The text the dashboard renders in the token window, from the module it renders it with.
  const file = join(home, 'patchmon_inventory.yml')
  writeFileSync(file, ansibleInventory(base, cred.key, cred.secret))
  const res = await new Promise<RunResult>((done) =>
    execFile('ansible-inventory', ['-i', file, '--list'], { cwd: home, timeout: 60_000, env: plain }, (err, stdout, stderr) =>
      done({ code: err ? 1 : 0, stdout, stderr })
    )
  )
  t.equal(res.code, 0, res.stderr.slice(0, 500))
  t.notMatch(res.stderr, /Failed to parse|unknown plugin|not enabled/i, `no parse failure (stderr: ${res.stderr.slice(0, 500)})`)
  const inv = JSON.parse(res.stdout) as Record<string, { hosts?: string[] }> & {
    _meta: { hostvars: Record<string, Record<string, unknown>> }
  }
  t.same(Object.keys(inv._meta.hostvars), ['web1.example.com'], 'the host came from PatchMon')
  t.equal(unwrap(inv._meta.hostvars['web1.example.com']?.['ansible_host']), '192.168.1.20')
  t.same(inv['web_servers']?.hosts, ['web1.example.com'])
})

t.test('the collection builds with ansible-galaxy and documents its options', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'patchmon-galaxy-'))
  const collection = join(COLLECTIONS, 'ansible_collections/patchmon/dynamic_inventory')
  const build = await new Promise<RunResult>((done) =>
    execFile(
      'ansible-galaxy',
      ['collection', 'build', collection, '--output-path', dir],
      { timeout: 60_000, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir } },
      (err, stdout, stderr) => done({ code: err ? 1 : 0, stdout, stderr })
    )
  )
  t.equal(build.code, 0, build.stderr.slice(0, 300))
  t.ok(existsSync(join(dir, 'patchmon-dynamic_inventory-1.0.0.tar.gz')), 'tarball built')
  const doc = await new Promise<RunResult>((done) =>
    execFile(
      'ansible-doc',
      ['-t', 'inventory', 'patchmon.dynamic_inventory.dynamic_inventory'],
      { timeout: 60_000, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, ANSIBLE_COLLECTIONS_PATH: COLLECTIONS } },
      (err, stdout, stderr) => done({ code: err ? 1 : 0, stdout, stderr })
    )
  )
  t.equal(doc.code, 0, doc.stderr.slice(0, 300))
  for (const option of ['api_url', 'api_key', 'api_secret', 'verify_ssl', 'hostgroup'])
    t.match(doc.stdout, new RegExp(`[=-] ${option}\\b`), `documents ${option}`)
})
