// The outbound policy (SSRF): by default notifications reach public addresses only; loopback,
// link-local (cloud metadata), private and special ranges are refused in every spelling; the
// operator's allow-list and LAN switch open exactly what they name; a name is resolved once,
// every address it resolves to is checked, and the connection goes to the checked address (DNS
// rebinding cannot reach loopback); replies from non-public targets are never shown back.
import t, { type Test } from 'tap'
import { bearer, buildTestApp, type TestApp, type TestAppOptions } from '../helpers/test-app.js'
import { startWebhookReceiver, type WebhookReceiver } from './helpers/webhook-receiver.js'
import { startSmtpReceiver } from './helpers/smtp-receiver.js'
import { classifyAddress, decideAddress, PUBLIC_ONLY } from '../../src/security/outbound-targets.js'

// Direct connections only: this file tests what the server itself connects to.
for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) delete process.env[name]
process.env.NO_PROXY = '*'

interface Ctx extends TestApp {
  receiver: WebhookReceiver
}

async function setup(t: Test, options: TestAppOptions = {}): Promise<Ctx> {
  const receiver = await startWebhookReceiver()
  t.teardown(() => receiver.close())
  const ctx = await buildTestApp(t, options)
  ctx.app.notifications.http.timeoutMs = 1_500
  ctx.app.notifications.options.retryBaseMs = 20
  return { ...ctx, receiver }
}

async function testSend(ctx: Ctx, url: string): Promise<{ statusCode: number; body: string; json: Record<string, unknown> }> {
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/notifications/destinations',
    headers: bearer(ctx.adminToken),
    payload: { channel_type: 'webhook', display_name: 'target', config: { url } }
  })
  if (created.statusCode !== 201) throw new Error(`destination: ${created.statusCode} ${created.body}`)
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/notifications/test',
    headers: bearer(ctx.adminToken),
    payload: { destination_id: created.json().id }
  })
  return { statusCode: res.statusCode, body: res.body, json: res.json() }
}

t.test('by default loopback, link-local, private and unique-local targets are refused in every spelling', async (t) => {
  const ctx = await setup(t)
  const port = ctx.receiver.port
  const targets = [
    `http://127.0.0.1:${port}/hook`,
    `http://127.1:${port}/hook`,
    `http://2130706433:${port}/hook`,
    `http://[::1]:${port}/hook`,
    `http://[::ffff:127.0.0.1]:${port}/hook`,
    `http://[::ffff:7f00:1]:${port}/hook`,
    `http://localhost:${port}/hook`,
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:169.254.169.254]/latest/meta-data/',
    'http://10.0.0.5/hook',
    'http://192.168.1.10/hook',
    'http://[fc00::5]/hook',
    'http://[fd12:3456::1]/hook',
    'http://0.0.0.0/hook'
  ]
  for (const url of targets) {
    const res = await testSend(ctx, url)
    t.match(res.json, { message: /outbound policy blocks/, delivery: { status: 'failed', attempt_count: 1, response_status: null } }, url)
  }
  t.equal(ctx.receiver.requests.length, 0, 'nothing reached the local receiver')
  for (const address of [
    '127.0.0.1',
    '::1',
    '169.254.169.254',
    '10.1.2.3',
    '192.168.0.1',
    'fc00::1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '64:ff9b::a9fe:a9fe',
    '2002:a9fe:a9fe::1'
  ]) {
    t.same(decideAddress('example.net', address, PUBLIC_ONLY), { allowed: false, internal: true }, `${address} blocked`)
  }
  t.same(decideAddress('example.net', '93.184.215.14', PUBLIC_ONLY), { allowed: true, internal: false }, 'public IPv4 allowed')
  t.same(decideAddress('example.net', '2606:4700::1111', PUBLIC_ONLY), { allowed: true, internal: false }, 'public IPv6 allowed')
})

t.test('the allow-list opens exactly what it names, and an internal reply body is never shown back', async (t) => {
  const ctx = await setup(t, { env: { PATCHMON_NOTIFY_ALLOWED_TARGETS: '127.0.0.1' } })
  const ok = await testSend(ctx, `${ctx.receiver.url}/hook`)
  t.match(ok.json, { message: 'Test notification sent', delivery: { status: 'sent', response_status: 200 } })
  t.equal(ctx.receiver.requests.length, 1)

  ctx.receiver.script({ status: 500, body: 'INTERNAL-ADMIN-PANEL root:x:0:0' })
  const bad = await testSend(ctx, `${ctx.receiver.url}/hook`)
  t.match(bad.json, {
    message: 'Test notification not delivered yet: HTTP 500',
    delivery: { response_status: 500, error_message: 'HTTP 500' }
  })
  await ctx.app.notifications.settle()
  t.notMatch(bad.body, /INTERNAL-ADMIN-PANEL/, 'the test reply does not echo the internal body')
  t.notOk(
    ctx.logs.some((l) => l.includes('INTERNAL-ADMIN-PANEL')),
    'nor does the log'
  )

  const other = await testSend(ctx, `http://[::1]:${ctx.receiver.port}/hook`)
  t.match(other.json, { message: /outbound policy blocks/ }, '::1 is not 127.0.0.1')
})

t.test('the dashboard setting widens the policy at once; bad entries are refused', async (t) => {
  const ctx = await setup(t)
  const blocked = await testSend(ctx, `${ctx.receiver.url}/hook`)
  t.match(blocked.json, { message: /outbound policy blocks/ })
  const bad = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings',
    headers: bearer(ctx.adminToken),
    payload: { notify_allowed_targets: ['not a host!'] }
  })
  t.equal(bad.statusCode, 400)
  const saved = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings',
    headers: bearer(ctx.adminToken),
    payload: { notify_allowed_targets: ['127.0.0.0/8'], notify_allow_private_networks: true }
  })
  t.equal(saved.statusCode, 200, saved.body)
  t.match(saved.json(), { notify_allowed_targets: ['127.0.0.0/8'], notify_allow_private_networks: true })
  const sent = await testSend(ctx, `${ctx.receiver.url}/hook`)
  t.match(sent.json, { delivery: { status: 'sent' } })
  t.equal(ctx.receiver.requests.length, 1)
})

t.test('the LAN switch allows private ranges but not loopback or metadata', async (t) => {
  const lan = { allowPrivateNetworks: true, allowedTargets: [] }
  for (const address of ['10.0.0.5', '172.16.3.4', '192.168.1.10', 'fd00::5', '100.101.102.103'])
    t.ok(decideAddress('ntfy.lan', address, lan).allowed, `${address} allowed`)
  for (const address of ['127.0.0.1', '::1', '169.254.169.254', 'fe80::1', '0.0.0.0'])
    t.notOk(decideAddress('ntfy.lan', address, lan).allowed, `${address} still blocked`)
  t.ok(
    decideAddress('ntfy.home.arpa', '127.0.0.1', { allowPrivateNetworks: false, allowedTargets: ['.home.arpa'] }).allowed,
    'a name suffix on the allow-list'
  )
  t.equal(classifyAddress('::ffff:192.168.1.1'), 'lan', 'IPv4-mapped IPv6 judged as the IPv4 address')

  const ctx = await setup(t, { env: { PATCHMON_NOTIFY_ALLOW_PRIVATE_NETWORKS: 'true' } })
  const res = await testSend(ctx, `${ctx.receiver.url}/hook`)
  t.match(res.json, { message: /outbound policy blocks/ }, 'loopback needs the allow-list even with the LAN switch')
})

t.test('DNS rebinding: the connection goes to the address that was checked', async (t) => {
  const ctx = await setup(t)
  const answers: string[][] = [['93.184.215.14'], ['127.0.0.1']]
  const asked: string[] = []
  ctx.app.notifications.http.resolver = async (name) => {
    asked.push(name)
    return answers.length > 1 ? (answers.shift() as string[]) : (answers[0] as string[])
  }
  // Public when checked, loopback on any later lookup: a check-then-connect client would reach the receiver.
  ctx.app.notifications.http.timeoutMs = 800
  const res = await testSend(ctx, `http://rebind.test:${ctx.receiver.port}/hook`)
  t.notMatch(res.json, { delivery: { status: 'sent' } })
  t.equal(ctx.receiver.requests.length, 0, 'loopback was never reached')
  t.same(asked, ['rebind.test'], 'resolved once per connection')

  // Every address a name resolves to is checked, not just the first.
  ctx.app.notifications.http.resolver = async () => ['93.184.215.14', '127.0.0.1']
  const mixed = await testSend(ctx, `http://mixed.test:${ctx.receiver.port}/hook`)
  t.match(mixed.json, { message: /outbound policy blocks/ })
  ctx.app.notifications.http.resolver = async () => ['::ffff:127.0.0.1']
  const mapped = await testSend(ctx, `http://mapped.test:${ctx.receiver.port}/hook`)
  t.match(mapped.json, { message: /outbound policy blocks/ })
  t.equal(ctx.receiver.requests.length, 0)
})

t.test('redirects are not followed', async (t) => {
  const ctx = await setup(t, { env: { PATCHMON_NOTIFY_ALLOWED_TARGETS: '127.0.0.1' } })
  ctx.receiver.script({ status: 302, headers: { location: `http://[::1]:${ctx.receiver.port}/metadata` } })
  const res = await testSend(ctx, `${ctx.receiver.url}/hook`)
  t.notMatch(res.json, { delivery: { status: 'sent' } })
  t.equal(ctx.receiver.requests.length, 1, 'only the first request')
})

t.test('e-mail destinations are under the same policy: a loopback SMTP host needs the allow-list', async (t) => {
  const smtp = await startSmtpReceiver()
  t.teardown(() => smtp.close())
  const config = { host: '127.0.0.1', port: smtp.port, tls_mode: 'none', from: 'patchmon@example.com', to: ['ops@example.com'] }
  const send = async (ctx: Ctx) => {
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/destinations',
      headers: bearer(ctx.adminToken),
      payload: { channel_type: 'email', display_name: 'mail', config }
    })
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/test',
      headers: bearer(ctx.adminToken),
      payload: { destination_id: created.json().id }
    })
    return res.json() as Record<string, unknown>
  }
  const closed = await setup(t)
  t.match(await send(closed), { message: /outbound policy blocks/, delivery: { status: 'failed' } })
  t.equal(smtp.mails.length, 0, 'no mail reached the loopback relay')
  const open = await setup(t, { env: { PATCHMON_NOTIFY_ALLOWED_TARGETS: '127.0.0.1' } })
  t.match(await send(open), { delivery: { status: 'sent', response_status: 250 } })
  t.equal(smtp.mails.length, 1)
})
