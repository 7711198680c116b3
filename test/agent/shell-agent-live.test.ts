// Our shell agent's `serve` (run by real dash) against the real server: it holds the long-poll
// live channel, so the dashboard's "Report now" reaches it within 5 s through the real HTTP route,
// the host shows connected, and a server restart only interrupts the channel for a few seconds.
import t, { type Test } from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { buildTestApp, bearer, type TestApp } from '../helpers/test-app.js'
import { createHost } from '../../src/hosts/host-service.js'
import { AGENT_PATH } from '../scripts/helpers/fake-patchmon.js'
import { cleanEnv, distroSandbox, tempDir, writeAgentConfig } from '../scripts/helpers/run-script.js'

interface Agent {
  child: ChildProcess
  output: () => string
  reportsSent: () => number
}

function serveAgent(t: Test, root: string, bin: string): Agent {
  const child = spawn('dash', [AGENT_PATH, 'serve'], { env: cleanEnv({ PATCHMON_ROOT: root }, [bin]), stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')))
  child.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')))
  t.teardown(() => {
    child.kill('SIGTERM')
  })
  return { child, output: () => out, reportsSent: () => out.split('\n').filter((l) => l.startsWith('Report sent:')).length }
}

async function until(check: () => boolean | Promise<boolean>, what: string, limitMs: number): Promise<number> {
  const started = performance.now()
  while (performance.now() - started < limitMs) {
    if (await check()) return performance.now() - started
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`timed out after ${limitMs} ms waiting for ${what}`)
}

async function connection(ctx: TestApp, hostId: string) {
  const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${hostId}/connection`, headers: bearer(ctx.adminToken) })
  return res.json<{ connected: boolean; transports: string[] }>()
}

t.test('serve holds the live channel: Report now through the real route lands a new report within 5 s', async (t) => {
  const ctx = await buildTestApp(t, { keepDataDir: true })
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = ctx.app.server.address() as AddressInfo
  const { host, apiKey } = await createHost(ctx.store.db, { friendlyName: 'shell-live' })
  const root = tempDir(t, 'patchmon-agent-live-')
  const bin = distroSandbox(root, 'debian-12')
  writeAgentConfig(root, `http://127.0.0.1:${port}`, host.api_id, apiKey)

  const agent = serveAgent(t, root, bin)
  await until(() => agent.reportsSent() === 1, 'the first timer report', 20_000)
  await until(async () => (await connection(ctx, host.id)).connected, 'the live channel', 10_000)
  t.same((await connection(ctx, host.id)).transports, ['poll'], 'connected by long-poll')

  const clicked = performance.now()
  const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/hosts/${host.id}/report-now`, headers: bearer(ctx.adminToken) })
  t.equal(res.statusCode, 202, res.body)
  await until(() => agent.reportsSent() === 2, 'the requested report', 5_000)
  const ms = performance.now() - clicked
  t.ok(ms < 5000, `click to report received: ${Math.round(ms)} ms`)
  t.match(agent.output(), 'Report requested from the dashboard')
  const stored = await ctx.store.db.selectFrom('hosts').select(['last_update']).where('id', '=', host.id).executeTakeFirstOrThrow()
  t.ok(stored.last_update, 'the report was stored')

  // A restart of the server: the held poll is answered 503, the agent backs off and comes back.
  const again = await ctx.restart()
  await again.app.listen({ port, host: '127.0.0.1' })
  await until(async () => (await connection(again, host.id)).connected, 'the channel after a restart', 20_000)
  const after = await again.app.inject({ method: 'POST', url: `/api/v1/hosts/${host.id}/report-now`, headers: bearer(again.adminToken) })
  t.equal(after.statusCode, 202)
  await until(() => agent.reportsSent() === 3, 'a report requested after the restart', 5_000)

  const stopped = new Promise<number | null>((resolve) => agent.child.once('exit', (code) => resolve(code)))
  agent.child.kill('SIGTERM')
  t.equal(await stopped, 130, 'serve stops on SIGTERM')
})

t.test('Update agent through the real route updates an older shell agent within 5 s even with automatic updates off', async (t) => {
  const ctx = await buildTestApp(t)
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = ctx.app.server.address() as AddressInfo
  const { host, apiKey } = await createHost(ctx.store.db, { friendlyName: 'shell-update' })
  const root = tempDir(t, 'patchmon-agent-update-')
  const bin = distroSandbox(root, 'alpine-3.20')
  writeAgentConfig(root, `http://127.0.0.1:${port}`, host.api_id, apiKey)
  const served = readFileSync(AGENT_PATH, 'utf8')
  const servedVersion = /^AGENT_VERSION="(.*)"$/m.exec(served)?.[1] ?? ''
  const installed = join(root, 'usr/local/bin/patchmon-agent')
  mkdirSync(join(root, 'usr/local/bin'), { recursive: true })
  writeFileSync(installed, served.replace(/^AGENT_VERSION=".*"$/m, 'AGENT_VERSION="0.9.0"'), { mode: 0o755 })

  const agentVersion = async () =>
    (await ctx.store.db.selectFrom('hosts').select('agent_version').where('id', '=', host.id).executeTakeFirstOrThrow()).agent_version
  const child = spawn('dash', [installed, 'serve'], { env: cleanEnv({ PATCHMON_ROOT: root }, [bin]), stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')))
  child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  t.teardown(async () => {
    child.kill('SIGTERM')
    await exited
  })
  await until(async () => (await agentVersion()) === '0.9.0', 'the first report from 0.9.0', 20_000)
  await until(async () => (await connection(ctx, host.id)).connected, 'the live channel', 10_000)
  // The channel opens after the first report and its update check: automatic updates are off, so no update.
  t.notMatch(out, 'Restarting as the updated agent')
  t.match(readFileSync(installed, 'utf8'), /^AGENT_VERSION="0\.9\.0"$/m, "still 0.9.0 after the timer's update check")

  const clicked = performance.now()
  const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/hosts/${host.id}/update-agent`, headers: bearer(ctx.adminToken) })
  t.equal(res.statusCode, 202, res.body)
  await until(async () => (await agentVersion()) === servedVersion, `a report from ${servedVersion}`, 5_000)
  t.ok(performance.now() - clicked < 5000, `click to report from the updated agent: ${Math.round(performance.now() - clicked)} ms`)
  t.match(out, `Updating on request: 0.9.0 -> ${servedVersion}`)
  t.equal(readFileSync(installed, 'utf8'), served, 'the served agent is installed')
})
