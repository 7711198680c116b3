// What a hostile or broken receiver can cost: a reply body of hundreds of megabytes is not
// buffered (only the start is read, then the stream is dropped), and a receiver that never answers
// delays only its own alerts, not everyone else's. The receivers sit behind a local HTTP proxy
// (HTTP_PROXY), so the URLs keep public-looking names and nothing leaves loopback.
import t, { type Test } from 'tap'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { bearer, buildTestApp, type TestApp } from '../helpers/test-app.js'

interface Proxy {
  url: string
  /** Absolute URLs of the requests it answered (or left hanging). */
  seen: string[]
  close(): Promise<void>
}

async function startProxy(t: Test, answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<Proxy> {
  const seen: string[] = []
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      seen.push(req.url ?? '')
      answer(req, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  t.teardown(close)
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  process.env.HTTP_PROXY = url
  process.env.HTTPS_PROXY = url
  process.env.NO_PROXY = ''
  return { url, seen, close }
}

async function addWebhook(ctx: TestApp, url: string, name: string): Promise<string> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/notifications/destinations',
    headers: bearer(ctx.adminToken),
    payload: { channel_type: 'webhook', display_name: name, config: { url } }
  })
  if (res.statusCode !== 201) throw new Error(`destination: ${res.statusCode} ${res.body}`)
  const id = res.json().id as string
  const rule = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/notifications/routes',
    headers: bearer(ctx.adminToken),
    payload: { destination_id: id, event_types: ['*'], min_severity: 'informational' }
  })
  if (rule.statusCode !== 201) throw new Error(`rule: ${rule.statusCode} ${rule.body}`)
  return id
}

const MiB = 1024 * 1024

/** A reply body of `total` bytes produced as it is read (never held in memory). */
function lazyBody(total: number): Readable {
  const chunk = Buffer.alloc(64 * 1024, 'x')
  let sent = 0
  return new Readable({
    read() {
      if (sent >= total) return void this.push(null)
      sent += chunk.length
      this.push(chunk)
    }
  })
}

t.test('a 200 MiB error reply is not buffered: RSS stays flat and the delivery settles', async (t) => {
  const proxy = await startProxy(t, (_req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain', 'content-length': String(200 * MiB) })
    lazyBody(200 * MiB).pipe(res)
  })
  const ctx = await buildTestApp(t)
  ctx.app.notifications.options.maxAttempts = 1
  ctx.app.notifications.http.timeoutMs = 20_000
  await addWebhook(ctx, 'http://hooks.example.net/patchmon/bigBODYsecret1234', 'big')

  const before = process.memoryUsage.rss()
  let peak = before
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5)
  const started = Date.now()
  ctx.app.events.emit('user_tfa_disabled', { userId: 'u', username: 'alice' })
  await ctx.app.notifications.settle()
  clearInterval(sampler)
  peak = Math.max(peak, process.memoryUsage.rss())
  const grownMiB = (peak - before) / MiB
  t.comment(
    `RSS before ${(before / MiB).toFixed(1)} MiB, peak ${(peak / MiB).toFixed(1)} MiB (+${grownMiB.toFixed(1)} MiB), settled in ${Date.now() - started} ms`
  )
  t.ok(grownMiB < 16, `RSS grew ${grownMiB.toFixed(1)} MiB (limit 16)`)
  t.equal(proxy.seen.length, 1)
  const log = await ctx.app.inject({ method: 'GET', url: '/api/v1/notifications/delivery-log', headers: bearer(ctx.adminToken) })
  const [row] = log.json().deliveries as Array<Record<string, unknown>>
  t.match(row, { status: 'failed', response_status: 500, error_message: /^HTTP 500: x{100,}/ })
  t.ok(String(row?.error_message).length <= 500, 'the kept line stays short')
})

t.test('a hanging receiver delays only itself: 25 alerts reach the healthy one promptly', async (t) => {
  const hanging = new Set<ServerResponse>()
  const healthy: string[] = []
  let firstHealthyAt = 0
  let lastHealthyAt = 0
  const proxy = await startProxy(t, (req, res) => {
    if (req.url?.startsWith('http://hang.example/')) {
      hanging.add(res)
      return
    }
    healthy.push(req.url ?? '')
    firstHealthyAt ||= Date.now()
    lastHealthyAt = Date.now()
    res.writeHead(200)
    res.end('ok')
  })
  t.teardown(() => {
    for (const res of hanging) res.destroy()
  })
  const ctx = await buildTestApp(t)
  const svc = ctx.app.notifications
  svc.options.retryBaseMs = 50
  svc.options.maxRetryDelayMs = 2_000
  // Short enough for a bounded test, long enough that slots shared with the hang would stall the rest.
  svc.http.timeoutMs = 5_000
  // The hanging destination is created first, so its deliveries are queued ahead of the healthy ones.
  await addWebhook(ctx, 'http://hang.example/hook/hangSECRET12345678', 'hanging')
  await addWebhook(ctx, 'http://ok.example/hook/okSECRET123456789', 'healthy')

  const started = Date.now()
  for (let i = 0; i < 25; i++)
    ctx.app.events.emit('host_went_down', { hostId: `h${i}`, hostName: `web${i}`, lastUpdate: null, thresholdSeconds: 60 })
  // Bounded wait: 10 s at most.
  for (let i = 0; i < 200 && healthy.length < 25; i++) await new Promise((resolve) => setTimeout(resolve, 50))
  const elapsed = (lastHealthyAt || Date.now()) - started
  t.comment(
    `healthy receiver: ${healthy.length}/25 alerts, the last ${elapsed} ms after the burst; hanging receiver saw ${proxy.seen.length - healthy.length} attempts`
  )
  t.equal(healthy.length, 25, 'every alert reached the healthy receiver')
  t.ok(elapsed < 3_000, `all 25 well before the hang's 5 s timeout (took ${elapsed} ms)`)
  t.ok(proxy.seen.length - healthy.length <= 2, 'the hanging receiver holds at most its own two slots')
  for (const res of hanging) res.destroy()
})

t.test("a destination that does not answer is backed off as a whole instead of burning every delivery's attempts", async (t) => {
  const down: string[] = []
  await startProxy(t, (req, res) => {
    if (req.url?.startsWith('http://down.example/')) {
      down.push(req.url)
      res.socket?.destroy()
      return
    }
    res.writeHead(200)
    res.end('ok')
  })
  const ctx = await buildTestApp(t)
  const svc = ctx.app.notifications
  svc.options.retryBaseMs = 1_000
  await addWebhook(ctx, 'http://down.example/hook/downSECRET1234567', 'down')
  for (let i = 0; i < 10; i++)
    ctx.app.events.emit('host_went_down', { hostId: `h${i}`, hostName: `web${i}`, lastUpdate: null, thresholdSeconds: 60 })
  // Routing and the first (failing) attempts take a few ms; the back-off is a second.
  for (let i = 0; i < 100 && down.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10))
  await new Promise((resolve) => setTimeout(resolve, 300))
  t.ok(down.length >= 1 && down.length <= 2, `only the first attempts reached the dead receiver (${down.length})`)
  const rows = ctx.store.sqlite.prepare('select attempt_count, status from notification_deliveries').all() as Array<{
    attempt_count: number
    status: string
  }>
  t.equal(rows.length, 10)
  t.equal(
    rows.filter((r) => r.attempt_count === 0).length,
    10 - down.length,
    'the others wait for the destination without spending an attempt'
  )
  await svc.queue.close(0)
})
