// Agent reports are admitted a few at a time (src/agent/report-admission.ts): the rest wait with
// their body unread, and beyond the queue limit the server answers 503 with Retry-After instead
// of queueing without bound. Over a real socket, so a report can be held half-sent.
import t from 'tap'
import { connect, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { buildTestApp, type TestApp } from '../helpers/test-app.js'
import { agentHeaders, agentReport, createHostViaApi, debianPackages, type TestHost } from '../helpers/agent-fixtures.js'

async function listening(ctx: TestApp): Promise<number> {
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  return (ctx.app.server.address() as AddressInfo).port
}

/** A report whose headers and first half are sent; `finish()` sends the rest and resolves with the status line. */
async function halfSentReport(port: number, host: TestHost, body: string) {
  const socket: Socket = connect(port, '127.0.0.1')
  await new Promise((resolve) => socket.once('connect', resolve))
  let received = ''
  socket.on('data', (chunk) => (received += chunk.toString()))
  const headers = Object.entries({ ...agentHeaders(host), 'Content-Length': String(Buffer.byteLength(body)), Host: 'localhost' })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')
  const half = Math.floor(body.length / 2)
  socket.write(`POST /api/v1/hosts/update HTTP/1.1\r\n${headers}\r\n${body.slice(0, half)}`)
  return {
    socket,
    async finish(): Promise<string> {
      socket.end(body.slice(half))
      await new Promise((resolve) => socket.once('close', resolve))
      return received.split('\r\n')[0] ?? ''
    }
  }
}

async function post(port: number, host: TestHost, body: string) {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/hosts/update`, { method: 'POST', headers: agentHeaders(host), body })
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() }
}

/** Polls until `check` holds (the held report reaches its slot asynchronously). */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`timed out waiting for ${what}`)
}

const body = JSON.stringify(agentReport(debianPackages(200, { updates: 5 })))

t.test('beyond the queue limit a report is refused 503 with Retry-After, and served once a slot frees', async (t) => {
  const ctx = await buildTestApp(t, { env: { AGENT_REPORT_CONCURRENCY: '1', AGENT_REPORT_QUEUE_LIMIT: '0' } })
  const port = await listening(ctx)
  const slow = await createHostViaApi(ctx.app, ctx.adminToken, 'slow')
  const other = await createHostViaApi(ctx.app, ctx.adminToken, 'other')
  t.equal((await post(port, other, body)).status, 200, 'a lone report is served')

  const held = await halfSentReport(port, slow, body)
  let refused = { status: 0, retryAfter: null as string | null, body: '' }
  await eventually(async () => {
    refused = await post(port, other, body)
    return refused.status === 503
  }, 'the held report to take the only slot')
  t.equal(refused.retryAfter, '30')
  t.same(JSON.parse(refused.body), { error: 'Server busy, try again later' })
  t.ok(
    ctx.logs.some((line) => line.includes('report refused: server busy')),
    'the refusal is logged'
  )

  t.match(await held.finish(), /^HTTP\/1\.1 200/, 'the held report completes')
  t.equal((await post(port, other, body)).status, 200, 'the slot is free again')
})

t.test('a waiting report gets the slot when the one before it finishes', async (t) => {
  const ctx = await buildTestApp(t, { env: { AGENT_REPORT_CONCURRENCY: '1', AGENT_REPORT_QUEUE_LIMIT: '1' } })
  const port = await listening(ctx)
  const slow = await createHostViaApi(ctx.app, ctx.adminToken, 'slow')
  const waiting = await createHostViaApi(ctx.app, ctx.adminToken, 'waiting')
  const third = await createHostViaApi(ctx.app, ctx.adminToken, 'third')
  const held = await halfSentReport(port, slow, body)
  // Once the held report has the slot, a second report waits and a third is refused.
  let queued: Promise<{ status: number }> | undefined
  await eventually(async () => {
    queued ??= post(port, waiting, body)
    const extra = await post(port, third, body)
    if (extra.status === 200) queued = undefined
    return extra.status === 503
  }, 'one report running and one waiting')
  t.match(await held.finish(), /^HTTP\/1\.1 200/)
  t.equal((await queued)?.status, 200, 'the waiting report was served after the held one')
})

t.test('a client that goes away mid-report gives its slot back', async (t) => {
  const ctx = await buildTestApp(t, { env: { AGENT_REPORT_CONCURRENCY: '1', AGENT_REPORT_QUEUE_LIMIT: '0' } })
  const port = await listening(ctx)
  const slow = await createHostViaApi(ctx.app, ctx.adminToken, 'gone')
  const other = await createHostViaApi(ctx.app, ctx.adminToken, 'other')
  const held = await halfSentReport(port, slow, body)
  await eventually(async () => (await post(port, other, body)).status === 503, 'the held report to take the slot')
  held.socket.destroy()
  await eventually(async () => (await post(port, other, body)).status === 200, 'the slot to be released')
  t.pass('served after the client went away')
})
