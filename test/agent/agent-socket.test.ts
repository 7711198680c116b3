import t from 'tap'
import WebSocket from 'ws'
import type { AddressInfo } from 'node:net'
import { buildTestApp, bearer, userWithRole, type TestApp } from '../helpers/test-app.js'
import { createHost } from '../../src/hosts/host-service.js'
import { listAgentJobs } from '../../src/agent/agent-jobs.js'
import { agentConnectionState } from '../../src/agent/agent-plugin.js'
import { MAX_LINKS_PER_HOST } from '../../src/agent/agent-connections.js'

async function listening(ctx: TestApp): Promise<string> {
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = ctx.app.server.address() as AddressInfo
  return `ws://127.0.0.1:${port}/api/v1/agents/ws`
}

async function agentHost(ctx: TestApp) {
  const { host, apiKey } = await createHost(ctx.store.db, { friendlyName: 'ws-host' })
  return { id: host.id, headers: { 'X-Api-Id': host.api_id, 'X-Api-Key': apiKey } }
}

/** Opens a socket and collects every text frame it receives. */
async function connect(url: string, headers: Record<string, string>) {
  const socket = new WebSocket(url, { headers })
  const frames: unknown[] = []
  socket.on('message', (data) => frames.push(JSON.parse(data.toString())))
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  return { socket, frames }
}

/** The HTTP status and body of a refused upgrade. */
function refusal(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers })
    socket.on('unexpected-response', (_req, res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    socket.on('open', () => reject(new Error('upgrade was accepted')))
    socket.on('error', () => undefined)
  })
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`timed out waiting for ${what}`)
}

t.test('the upgrade is refused without valid agent credentials, in plain text', async (t) => {
  const ctx = await buildTestApp(t)
  const url = await listening(ctx)
  const host = await agentHost(ctx)
  t.same(await refusal(url, {}), { status: 401, body: 'Missing API credentials' })
  t.same(await refusal(url, { ...host.headers, 'X-Api-Key': 'f'.repeat(64) }), { status: 401, body: 'Invalid API credentials' })
  t.same(await refusal(url, { 'X-Api-Id': 'patchmon_0000000000000000', 'X-Api-Key': 'x' }), {
    status: 401,
    body: 'Invalid API credentials'
  })
  t.equal(ctx.app.agentConnections.connectedHostIds().length, 0)
})

t.test('a connected agent gets settings_update, report_now and update messages; unknown frames are ignored', async (t) => {
  const ctx = await buildTestApp(t)
  const url = await listening(ctx)
  const host = await agentHost(ctx)
  const connects: string[] = []
  const disconnects: string[] = []
  ctx.app.agentConnections.onConnect((id) => connects.push(id))
  ctx.app.agentConnections.onDisconnect((id) => disconnects.push(id))

  const notConnected = await ctx.app.inject({ method: 'POST', url: `/api/v1/hosts/${host.id}/report-now`, headers: bearer(ctx.adminToken) })
  t.equal(notConnected.statusCode, 409)
  t.same(notConnected.json(), { error: 'Agent is not connected' })

  const agent = await connect(url, host.headers)
  await until(() => ctx.app.agentConnections.isConnected(host.id), 'registration')
  t.same(connects, [host.id])
  t.match(agentConnectionState(ctx.app, host.id), { hostId: host.id, connected: true, connections: 1 })
  const conn = await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}/connection`, headers: bearer(ctx.adminToken) })
  t.match(conn.json(), { hostId: host.id, connected: true, connections: 1 })

  // Garbage from the agent never closes the link.
  agent.socket.send('not json at all')
  agent.socket.send(JSON.stringify({ type: 'docker_status', containers: [] }))
  agent.socket.send(Buffer.from([0, 1, 2]), { binary: true })
  const pong = new Promise<void>((resolve) => agent.socket.once('pong', () => resolve()))
  agent.socket.ping()
  await pong

  await ctx.app.settings.set('update_interval', 15)
  ctx.app.events.emit('settings_changed', { keys: ['update_interval'] })
  await until(() => agent.frames.length >= 1, 'settings_update')
  t.same(agent.frames[0], { type: 'settings_update', update_interval: 15 })
  ctx.app.events.emit('settings_changed', { keys: ['server_url'] })

  const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/hosts/${host.id}/report-now`, headers: bearer(ctx.adminToken) })
  t.equal(res.statusCode, 202)
  t.match(res.json(), { message: 'Report requested', hostId: host.id, jobId: /^[0-9a-f-]{36}$/ })
  await until(() => agent.frames.length >= 2, 'report_now')
  t.same(agent.frames[1], { type: 'report_now' }, 'no frame for a change that does not concern agents')

  const upd = await ctx.app.inject({ method: 'POST', url: `/api/v1/hosts/${host.id}/update-agent`, headers: bearer(ctx.adminToken) })
  t.equal(upd.statusCode, 202)
  await until(() => agent.frames.length >= 4, 'update messages')
  t.same(agent.frames[2], { type: 'update_agent' })
  t.match(agent.frames[3], { type: 'update_notification', force: true })

  const jobs = await listAgentJobs(ctx.store.db, host.id)
  t.same(jobs.map((j) => [j.job_name, j.status]).sort(), [
    ['report_now', 'completed'],
    ['report_now', 'failed'],
    ['update_agent', 'completed']
  ])
  t.equal(jobs.find((j) => j.status === 'failed')?.error_message, 'Agent is not connected')

  const readonly = await userWithRole(ctx, 'readonly')
  const denied = await ctx.app.inject({ method: 'POST', url: `/api/v1/hosts/${host.id}/report-now`, headers: bearer(readonly) })
  t.equal(denied.statusCode, 403)
  const missing = await ctx.app.inject({ method: 'POST', url: '/api/v1/hosts/no-such-host/report-now', headers: bearer(ctx.adminToken) })
  t.equal(missing.statusCode, 404)

  t.equal(agent.socket.readyState, WebSocket.OPEN, 'still connected after the junk frames')
  agent.socket.close()
  await until(() => !ctx.app.agentConnections.isConnected(host.id), 'disconnect')
  t.same(disconnects, [host.id])
})

t.test('the keep-alive pings agents and drops links silent for 90 seconds', async (t) => {
  const ctx = await buildTestApp(t)
  const url = await listening(ctx)
  const host = await agentHost(ctx)
  let now = 1_000_000
  ctx.app.agentConnections.clock = () => now
  const agent = await connect(url, host.headers)
  await until(() => ctx.app.agentConnections.isConnected(host.id), 'registration')
  let pings = 0
  agent.socket.on('ping', () => pings++)
  now += 30_000
  await ctx.app.timers.runNow('agent-websocket-keepalive')
  await until(() => pings === 1, 'server ping')
  // The client's automatic pong counts as a sign of life.
  now += 80_000
  await ctx.app.timers.runNow('agent-websocket-keepalive')
  await until(() => pings === 2, 'second ping')
  t.ok(ctx.app.agentConnections.isConnected(host.id), 'a ponging agent stays connected')
  // 90 s after the last pong, before the agent can answer this round's ping.
  now += 90_001
  const closed = new Promise<void>((resolve) => agent.socket.once('close', () => resolve()))
  await ctx.app.timers.runNow('agent-websocket-keepalive')
  await closed
  await until(() => !ctx.app.agentConnections.isConnected(host.id), 'drop')
  t.pass('silent link dropped')
})

t.test('deleting a host closes its live channel', async (t) => {
  const ctx = await buildTestApp(t)
  const url = await listening(ctx)
  const host = await agentHost(ctx)
  const agent = await connect(url, host.headers)
  await until(() => ctx.app.agentConnections.isConnected(host.id), 'registration')
  const closed = new Promise<number>((resolve) => agent.socket.once('close', (code) => resolve(code)))
  ctx.app.events.emit('host_deleted', { hostId: host.id, hostName: 'ws-host' })
  t.equal(await closed, 4001)
})

t.test('regenerating the credentials of a host closes the channel opened with the old key, and the old key cannot reconnect', async (t) => {
  const ctx = await buildTestApp(t)
  const url = await listening(ctx)
  const host = await agentHost(ctx)
  const agent = await connect(url, host.headers)
  await until(() => ctx.app.agentConnections.isConnected(host.id), 'registration')
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    agent.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
  )
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/hosts/${host.id}/regenerate-credentials`,
    headers: bearer(ctx.adminToken)
  })
  t.equal(res.statusCode, 200)
  t.same(await closed, { code: 4001, reason: 'credentials regenerated' })
  t.same(await refusal(url, host.headers), { status: 401, body: 'Invalid API credentials' }, 'the old key is refused')
  const fresh = res.json<{ api_id: string; api_key: string }>()
  const again = await connect(url, { 'X-Api-Id': fresh.api_id, 'X-Api-Key': fresh.api_key })
  await until(() => ctx.app.agentConnections.isConnected(host.id), 'reconnection with the new key')
  again.socket.close()
})

t.test('saving a new update interval in the settings pushes settings_update to connected agents', async (t) => {
  const ctx = await buildTestApp(t)
  const url = await listening(ctx)
  const host = await agentHost(ctx)
  const agent = await connect(url, host.headers)
  await until(() => ctx.app.agentConnections.isConnected(host.id), 'registration')
  const unrelated = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings',
    headers: bearer(ctx.adminToken),
    payload: { signup_enabled: true }
  })
  t.equal(unrelated.statusCode, 200)
  const res = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings',
    headers: bearer(ctx.adminToken),
    payload: { update_interval: 30 }
  })
  t.equal(res.statusCode, 200)
  await until(() => agent.frames.length >= 1, 'settings_update')
  t.same(agent.frames, [{ type: 'settings_update', update_interval: 30 }], 'one frame, only for the interval change')
  agent.socket.close()
})

t.test('500 upgrades from one key end with at most the cap open; the oldest are closed with 4002', async (t) => {
  const ctx = await buildTestApp(t)
  const url = await listening(ctx)
  const host = await agentHost(ctx)
  const other = await agentHost(ctx)
  const bystander = await connect(url, other.headers)
  const connects: string[] = []
  ctx.app.agentConnections.onConnect((id) => connects.push(id))
  const sockets: WebSocket[] = []
  const closeCodes: number[] = []
  for (let batch = 0; batch < 20; batch++) {
    const opened = await Promise.all(
      Array.from(
        { length: 25 },
        () =>
          new Promise<WebSocket>((resolve, reject) => {
            const socket = new WebSocket(url, { headers: host.headers })
            socket.on('close', (code) => closeCodes.push(code))
            socket.once('open', () => resolve(socket))
            socket.once('error', reject)
          })
      )
    )
    sockets.push(...opened)
  }
  t.ok(ctx.app.agentConnections.state(host.id).connections <= MAX_LINKS_PER_HOST.websocket, 'the registry never holds more than the cap')
  await until(
    () => sockets.filter((s) => s.readyState === WebSocket.OPEN).length <= MAX_LINKS_PER_HOST.websocket,
    'replaced sockets to close'
  )
  const open = sockets.filter((s) => s.readyState === WebSocket.OPEN)
  t.equal(open.length, MAX_LINKS_PER_HOST.websocket, `${open.length} of 500 still open`)
  t.same(open, sockets.slice(-MAX_LINKS_PER_HOST.websocket), 'the newest ones stay')
  await until(() => closeCodes.length === 500 - MAX_LINKS_PER_HOST.websocket, 'close events')
  t.ok(
    closeCodes.every((c) => c === 4002),
    'closed as replaced'
  )
  t.equal(ctx.app.agentConnections.state(host.id).connections, MAX_LINKS_PER_HOST.websocket)
  t.same(connects, [host.id], 'the host never looked disconnected')
  t.equal(ctx.app.agentConnections.send(host.id, { type: 'report_now' }), MAX_LINKS_PER_HOST.websocket)
  t.equal(bystander.socket.readyState, WebSocket.OPEN, 'another host is untouched')
  for (const s of [...open, bystander.socket]) s.close()
})
