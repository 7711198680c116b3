// Unauthenticated bcrypt amplification (issue 15 item 1): wrong machine credentials spend a
// failed-credential budget per client address and per key id, answered 429 with Retry-After once
// used up; right credentials do not spend it; WebSocket upgrades are in the agent bucket; and a
// flood of wrong agent keys cannot slow an admin login beyond about 2x.
import t from 'tap'
import WebSocket from 'ws'
import type { AddressInfo } from 'node:net'
import { ADMIN_PASSWORD, bearer, buildTestApp, type TestApp } from '../helpers/test-app.js'
import { agentHeaders, createHostViaApi } from '../helpers/agent-fixtures.js'
import { loadConfig } from '../../src/config.js'
import { tempDataDir } from '../helpers/test-app.js'

const BUDGET = { CREDENTIAL_FAILURE_LIMIT_MAX: '5', AGENT_RATE_LIMIT_MAX: '100000', AUTH_RATE_LIMIT_MAX: '100000' }
const PING = '/api/v1/hosts/ping'
const TOO_MANY = { error: 'Too many requests', message: 'Too many requests. Try again later.' }

const ping = (ctx: TestApp, headers: Record<string, string>, remoteAddress = '127.0.0.1') =>
  ctx.app.inject({ method: 'POST', url: PING, headers, payload: '{}', remoteAddress })

function statusCounts(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {}
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1
  return counts
}

async function integrationCredential(ctx: TestApp, type: 'api' | 'proxmox-lxc') {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auto-enrollment/tokens',
    headers: bearer(ctx.adminToken),
    payload: {
      token_name: `budget ${type}`,
      metadata: { integration_type: type },
      ...(type === 'api' ? { scopes: { host: ['get'] } } : {})
    }
  })
  const token = (res.json() as { token: { token_key: string; token_secret: string } }).token
  return { key: token.token_key, secret: token.token_secret }
}

t.test('the default budget is far below bcrypt capacity (~35 compares/s)', async (t) => {
  const config = loadConfig({ PATCHMON_DATA_DIR: tempDataDir() })
  const perSecond = config.credentialFailures.max / (config.credentialFailures.windowMs / 1000)
  t.ok(perSecond <= 1, `${perSecond} failures/s per address`)
})

t.test('wrong X-API-KEY from one address: 429 with Retry-After once the budget is spent', async (t) => {
  const ctx = await buildTestApp(t, { env: BUDGET })
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'victim')
  const statuses: number[] = []
  let limited
  for (let i = 0; i < 8; i++) {
    const res = await ping(ctx, agentHeaders({ apiId: host.apiId, apiKey: `wrong-${i}` }))
    statuses.push(res.statusCode)
    if (res.statusCode === 429) limited = res
  }
  t.same(statusCounts(statuses), { 401: 5, 429: 3 }, 'five judged, the rest refused')
  t.ok(limited, 'a 429 came back')
  t.same(limited?.json(), TOO_MANY)
  t.match(limited?.headers['retry-after'], /^\d+$/)
  t.ok(Number(limited?.headers['retry-after']) >= 1)
})

t.test('unknown X-API-IDs (the dummy-hash path) spend the same address budget', async (t) => {
  const ctx = await buildTestApp(t, { env: BUDGET })
  const statuses: number[] = []
  for (let i = 0; i < 8; i++) statuses.push((await ping(ctx, agentHeaders({ apiId: `patchmon_unknown${i}`, apiKey: 'k' }))).statusCode)
  t.same(statusCounts(statuses), { 401: 5, 429: 3 })
})

t.test('one api_id guessed from many addresses is limited per id', async (t) => {
  const ctx = await buildTestApp(t, { env: BUDGET })
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'victim')
  const statuses: number[] = []
  for (let i = 0; i < 8; i++)
    statuses.push((await ping(ctx, agentHeaders({ apiId: host.apiId, apiKey: 'wrong' }), `198.51.100.${i + 1}`)).statusCode)
  t.same(statusCounts(statuses), { 401: 5, 429: 3 })
})

t.test('agents behind the same NAT address keep working while a neighbour guesses', async (t) => {
  const ctx = await buildTestApp(t, { env: BUDGET })
  const known = await createHostViaApi(ctx.app, ctx.adminToken, 'known')
  const fresh = await createHostViaApi(ctx.app, ctx.adminToken, 'fresh')
  t.equal((await ping(ctx, agentHeaders(known))).statusCode, 200, 'known reports before the guessing starts')
  // Successful checks never spend the budget: 20 of them leave all 5 failures to the guesser.
  for (let i = 0; i < 20; i++) t.equal((await ping(ctx, agentHeaders(fresh))).statusCode, 200)
  const guesses: number[] = []
  for (let i = 0; i < 5; i++) guesses.push((await ping(ctx, agentHeaders({ apiId: 'patchmon_guess', apiKey: 'nope' }))).statusCode)
  t.same(guesses, [401, 401, 401, 401, 401], 'all five failures still available after 20 successes')
  t.equal((await ping(ctx, agentHeaders({ apiId: 'patchmon_guess', apiKey: 'nope' }))).statusCode, 429, 'the guesser is now refused')
  // `known` authenticated before: its verified pair is answered without the budget.
  t.equal((await ping(ctx, agentHeaders(known))).statusCode, 200, 'a recently verified agent on the exhausted address still works')
})

t.test('a burst of legitimate agents behind one address (nothing cached yet) is not refused', async (t) => {
  const ctx = await buildTestApp(t)
  const hosts = []
  for (let i = 0; i < 40; i++) hosts.push(await createHostViaApi(ctx.app, ctx.adminToken, `nat-${i}`))
  ctx.app.credentialCache.clear()
  const statuses = await Promise.all(hosts.map(async (host) => (await ping(ctx, agentHeaders(host))).statusCode))
  t.same(statusCounts(statuses), { 200: 40 }, 'more concurrent checks than the failure budget, all right, all answered')
})

t.test('a burst of concurrent wrong keys is judged at most budget + in-flight allowance', async (t) => {
  const ctx = await buildTestApp(t, { env: BUDGET })
  const statuses = await Promise.all(
    Array.from({ length: 100 }, async (_, i) => (await ping(ctx, agentHeaders({ apiId: `patchmon_burst${i}`, apiKey: 'x' }))).statusCode)
  )
  const counts = statusCounts(statuses)
  t.ok((counts[401] ?? 0) <= 5 + 64, `${counts[401]} judged`)
  t.ok((counts[429] ?? 0) >= 31, `${counts[429]} refused`)
})

t.test('Integration API Basic auth with a wrong secret spends the budget', async (t) => {
  const ctx = await buildTestApp(t, { env: BUDGET })
  const cred = await integrationCredential(ctx, 'api')
  const statuses: number[] = []
  for (let i = 0; i < 7; i++) {
    const authorization = `Basic ${Buffer.from(`${cred.key}:wrong-secret-${i}`).toString('base64')}`
    statuses.push((await ctx.app.inject({ method: 'GET', url: '/api/v1/api/hosts', headers: { authorization } })).statusCode)
  }
  t.same(statusCounts(statuses), { 401: 5, 429: 2 })
  const other = await integrationCredential(ctx, 'api')
  const right = `Basic ${Buffer.from(`${other.key}:${other.secret}`).toString('base64')}`
  t.equal(
    (await ctx.app.inject({ method: 'GET', url: '/api/v1/api/hosts', headers: { authorization: right }, remoteAddress: '192.0.2.7' }))
      .statusCode,
    200,
    'another client elsewhere is not affected'
  )
})

t.test('enrollment tokens with a wrong secret spend the budget', async (t) => {
  const ctx = await buildTestApp(t, { env: BUDGET })
  const cred = await integrationCredential(ctx, 'proxmox-lxc')
  const statuses: number[] = []
  for (let i = 0; i < 7; i++) {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auto-enrollment/enroll',
      headers: { 'x-auto-enrollment-key': cred.key, 'x-auto-enrollment-secret': `wrong-${i}` },
      payload: { friendly_name: 'x' }
    })
    statuses.push(res.statusCode)
  }
  t.same(statusCounts(statuses), { 401: 5, 429: 2 })
})

t.test('WebSocket upgrades with bad keys are rate-limited like other agent calls', async (t) => {
  const ctx = await buildTestApp(t, { env: { AGENT_RATE_LIMIT_MAX: '5', CREDENTIAL_FAILURE_LIMIT_MAX: '100000' } })
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const url = `ws://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}/api/v1/agents/ws`
  const statuses: number[] = []
  for (let i = 0; i < 8; i++) {
    statuses.push(
      await new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(url, { headers: { 'X-Api-Id': 'patchmon_bad', 'X-Api-Key': `bad-${i}` } })
        socket.on('unexpected-response', (_req, res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        })
        socket.on('open', () => reject(new Error('upgrade accepted')))
        socket.on('error', () => undefined)
      })
    )
  }
  t.same(statusCounts(statuses), { 401: 5, 429: 3 })
})

async function loginMs(ctx: TestApp): Promise<number> {
  const started = performance.now()
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } })
  if (res.statusCode !== 200) throw new Error(`login ${res.statusCode}`)
  return performance.now() - started
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN

t.test('a flood of wrong agent keys at the limit does not slow an admin login beyond ~2x', async (t) => {
  // Default budgets; the agent bucket at its default of 10,000 a minute for one address.
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'target')
  await loginMs(ctx)
  const quiet: number[] = []
  for (let i = 0; i < 7; i++) quiet.push(await loginMs(ctx))

  let flooding = true
  let sent = 0
  let judged = 0
  // 16 workers paced to the agent bucket's 10,000 a minute (~167/s): the most one address may
  // send. (Unpaced, an in-process client would mostly measure its own event-loop load; the
  // bench runs the server in its own process.) Bounded by the logins below and a request cap.
  const worker = async () => {
    while (flooding && sent < 5_000) {
      sent++
      const res = await ping(
        ctx,
        agentHeaders({ apiId: sent % 2 ? host.apiId : `patchmon_x${sent}`, apiKey: `wrong-${sent}` }),
        '203.0.113.50'
      )
      if (res.statusCode === 401) judged++
      await new Promise((r) => setTimeout(r, 16 * 6))
    }
  }
  const workers = Array.from({ length: 16 }, worker)
  // Measure the steady state: once the address's budget has been judged (30 failures; the old
  // code never stops judging). Bounded wait.
  for (let i = 0; i < 200 && judged < 30; i++) await new Promise((r) => setTimeout(r, 50))
  const loud: number[] = []
  try {
    for (let i = 0; i < 7; i++) loud.push(await loginMs(ctx))
  } finally {
    flooding = false
    await Promise.all(workers)
  }
  const q = median(quiet)
  const l = median(loud)
  t.comment(`login median quiet ${q.toFixed(0)} ms, under flood ${l.toFixed(0)} ms (${sent} flood requests)`)
  // The goal is 2x; the bound is loose (plus 150 ms) because this machine is shared and noisy.
  t.ok(l <= 2 * q + 150, `login under flood ${l.toFixed(0)} ms vs quiet ${q.toFixed(0)} ms`)
})
