import t from 'tap'
import { createHash } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildTestApp, type TestApp } from '../helpers/test-app.js'
import { createHost } from '../../src/hosts/host-service.js'
import { useFixtureScripts } from '../enrollment/enrollment-fixtures.js'

const SHELL_AGENT = readFileSync(join(__dirname, '../fixtures/shell-agent/patchmon-agent.sh'))
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex')

async function agentHost(ctx: TestApp, autoUpdate = true) {
  const { host, apiKey } = await createHost(ctx.store.db, { friendlyName: 'a1', osType: 'Ubuntu' })
  if (!autoUpdate) await ctx.store.db.updateTable('hosts').set({ auto_update: 0 }).where('id', '=', host.id).execute()
  return { 'x-api-id': host.api_id, 'x-api-key': apiKey }
}

/** A tiny executable standing in for an upstream Go agent. */
function fakeBinary(ctx: TestApp, name: string, version: string): Buffer {
  const dir = join(ctx.dataDir, 'agents')
  mkdirSync(dir, { recursive: true })
  const body = `#!/bin/sh\necho "patchmon-agent version ${version}"\n`
  writeFileSync(join(dir, name), body)
  chmodSync(join(dir, name), 0o755)
  return Buffer.from(body)
}

t.test('version and download serve our shell agent when no upstream binary is present', async (t) => {
  const ctx = await buildTestApp(t)
  useFixtureScripts(ctx)
  await ctx.app.settings.set('auto_update', true)
  const headers = await agentHost(ctx)
  const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts/agent/version?arch=amd64&os=linux&currentVersion=v1.1.9', headers })
  t.equal(res.statusCode, 200)
  t.same(res.json(), {
    currentVersion: '1.1.9',
    latestVersion: '1.2.0',
    hasUpdate: true,
    autoUpdateDisabled: false,
    autoUpdateDisabledReason: null,
    downloadUrl: '/api/v1/hosts/agent/download?arch=amd64&os=linux',
    releaseNotes: 'PatchMon Agent v1.2.0',
    minServerVersion: null,
    architecture: 'amd64',
    agentType: 'shell',
    hash: sha256(SHELL_AGENT)
  })
  for (const current of ['1.2.0', '1.10.0', '2.0.0-rc1']) {
    const same = await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/agent/version?currentVersion=${current}`, headers })
    t.equal(same.json().hasUpdate, false, `no update over ${current}`)
  }
  const pre = await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts/agent/version?currentVersion=1.2.0-beta.2', headers })
  t.equal(pre.json().hasUpdate, true, 'a release is newer than its pre-release')

  const goAgent = await ctx.app.inject({
    method: 'GET',
    url: '/api/v1/hosts/agent/version?arch=amd64&os=linux&type=go&currentVersion=1.3.0',
    headers
  })
  t.equal(goAgent.statusCode, 404, 'a Go agent is never offered the shell agent')
  t.same(goAgent.json(), {
    error: 'Agent binary not found for linux/amd64. Ensure patchmon-agent-linux-amd64 exists in the agent binaries directory.',
    hasUpdate: false
  })

  const shellAgent = await ctx.app.inject({
    method: 'GET',
    url: '/api/v1/hosts/agent/version?arch=amd64&os=linux&type=go&currentVersion=1.1.0',
    headers: { ...headers, 'user-agent': 'patchmon-agent/1.1.0 (shell)' }
  })
  t.match(
    shellAgent.json(),
    { latestVersion: '1.2.0', hasUpdate: true, agentType: 'shell' },
    'our shell agent (type=go, "(shell)" User-Agent) is offered its update'
  )

  const dl = await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts/agent/download?arch=amd64&os=linux&force=binary', headers })
  t.equal(dl.statusCode, 200)
  t.equal(dl.headers['content-type'], 'application/octet-stream')
  t.equal(dl.headers['content-disposition'], 'attachment; filename="patchmon-agent.sh"')
  t.same(dl.rawPayload, SHELL_AGENT)
})

t.test('auto-update switches block hasUpdate with the documented reasons', async (t) => {
  const ctx = await buildTestApp(t)
  useFixtureScripts(ctx)
  const on = await agentHost(ctx, true)
  const off = await agentHost(ctx, false)
  const check = async (headers: Record<string, string>) =>
    (await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts/agent/version?currentVersion=1.0.0', headers })).json()
  t.match(await check(off), {
    hasUpdate: false,
    autoUpdateDisabled: true,
    autoUpdateDisabledReason: 'Auto-update is disabled in server settings and for this host'
  })
  t.match(await check(on), { hasUpdate: false, autoUpdateDisabledReason: 'Auto-update is disabled in server settings' })
  await ctx.app.settings.set('auto_update', true)
  t.match(await check(off), { hasUpdate: false, autoUpdateDisabledReason: 'Auto-update is disabled for this host' })
  t.match(await check(on), { hasUpdate: true, autoUpdateDisabled: false, autoUpdateDisabledReason: null })
})

t.test('an upstream binary in the agents folder wins, with its --version and sha256', async (t) => {
  const ctx = await buildTestApp(t)
  useFixtureScripts(ctx)
  await ctx.app.settings.set('auto_update', true)
  const headers = await agentHost(ctx)
  const bytes = fakeBinary(ctx, 'patchmon-agent-linux-arm64', '9.9.9')
  const res = await ctx.app.inject({
    method: 'GET',
    url: '/api/v1/hosts/agent/version?arch=arm64&os=linux&type=go&currentVersion=1.3.0',
    headers
  })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { latestVersion: '9.9.9', hasUpdate: true, agentType: 'go', hash: sha256(bytes), architecture: 'arm64' })
  const dl = await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts/agent/download?arch=arm64&os=linux', headers })
  t.equal(dl.statusCode, 200)
  t.equal(dl.headers['content-disposition'], 'attachment; filename="patchmon-agent-linux-arm64"')
  t.same(dl.rawPayload, bytes)
  t.equal(sha256(dl.rawPayload), res.json().hash, 'the advertised hash matches the served bytes')

  // Replacing the file (new size/mtime) is picked up without a restart.
  const newer = fakeBinary(ctx, 'patchmon-agent-linux-arm64', '10.0.1')
  const again = await ctx.app.inject({
    method: 'GET',
    url: '/api/v1/hosts/agent/version?arch=arm64&os=linux&type=go&currentVersion=9.9.9',
    headers
  })
  t.match(again.json(), { latestVersion: '10.0.1', hasUpdate: true, hash: sha256(newer) })

  fakeBinary(ctx, 'patchmon-agent-windows-amd64.exe', '9.9.9')
  const win = await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts/agent/download?arch=amd64&os=windows', headers })
  t.equal(win.headers['content-disposition'], 'attachment; filename="patchmon-agent-windows-amd64.exe"')
})

t.test('version and download errors', async (t) => {
  const ctx = await buildTestApp(t)
  useFixtureScripts(ctx, ['patchmon-agent.sh'])
  const headers = await agentHost(ctx)
  const cases: Array<[string, string, Record<string, string>, number, unknown]> = [
    ['no credentials', '/api/v1/hosts/agent/version', {}, 401, { error: 'API credentials required' }],
    ['bad os', '/api/v1/hosts/agent/version?os=plan9', headers, 400, { error: 'Invalid os. Must be one of: linux, freebsd, windows' }],
    [
      'bad os on download',
      '/api/v1/hosts/agent/download?os=plan9',
      headers,
      400,
      { error: 'Invalid os. Must be one of: linux, freebsd, windows' }
    ],
    [
      'nothing to serve',
      '/api/v1/hosts/agent/version?os=freebsd&arch=arm',
      headers,
      404,
      {
        error: 'Agent binary not found for freebsd/arm. Ensure patchmon-agent-freebsd-arm exists in the agent binaries directory.',
        hasUpdate: false
      }
    ],
    [
      'download with nothing to serve',
      '/api/v1/hosts/agent/download',
      headers,
      404,
      {
        error: 'Agent binary not found for linux/amd64. Ensure patchmon-agent-linux-amd64 exists in the agent binaries directory.',
        hasUpdate: false
      }
    ],
    [
      'path tricks in arch',
      '/api/v1/hosts/agent/download?arch=../../etc/passwd',
      headers,
      404,
      {
        error: 'Agent binary not found for linux/unknown. Ensure patchmon-agent-linux-unknown exists in the agent binaries directory.',
        hasUpdate: false
      }
    ]
  ]
  for (const [name, url, h, status, body] of cases) {
    const res = await ctx.app.inject({ method: 'GET', url, headers: h })
    t.equal(res.statusCode, status, `${name}: status`)
    t.same(res.json(), body, `${name}: body`)
  }
})
