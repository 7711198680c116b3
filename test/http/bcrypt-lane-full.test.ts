// A full bcrypt machine lane (security/bcrypt-lanes.ts) is refused without bcrypt work, answered by
// http/ as 429 in the rate-limit shape with Retry-After: 1. security/ only says "full"; the wire
// shape is http/'s (this is what broke the http <-> security folder cycle).
import t from 'tap'
import { bearer, buildTestApp } from '../helpers/test-app.js'
import { machineLane, runInteractive } from '../../src/security/bcrypt-lanes.js'

t.test('enrollment with a full machine lane: 429 with Retry-After 1, and the lane recovers', async (t) => {
  const ctx = await buildTestApp(t, { env: { AUTH_RATE_LIMIT_MAX: '100000' } })
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auto-enrollment/tokens',
    headers: bearer(ctx.adminToken),
    payload: { token_name: 'lane', metadata: { integration_type: 'proxmox-lxc' } }
  })
  const { token_key: key, token_secret: secret } = (created.json() as { token: { token_key: string; token_secret: string } }).token
  const enroll = () =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auto-enrollment/enroll',
      headers: { 'x-auto-enrollment-key': key, 'x-auto-enrollment-secret': secret },
      payload: { friendly_name: 'lane-host', machine_id: 'lane-machine' }
    })

  // Interactive work in flight holds the machine lane's running slots; then its queue is filled.
  let releaseInteractive = () => {}
  const interactive = runInteractive(() => new Promise<void>((resolve) => (releaseInteractive = resolve)))
  const fillers = Array.from({ length: machineLane.concurrency + machineLane.maxWaiting }, () => machineLane.run(async () => {}))
  t.equal(machineLane.queued, machineLane.maxWaiting, 'the machine lane queue is full')

  const refused = await enroll()
  t.equal(refused.statusCode, 429)
  t.equal(refused.headers['retry-after'], '1')
  t.same(refused.json(), { error: 'Too many requests', message: 'Too many requests. Try again later.' })

  releaseInteractive()
  await Promise.all([interactive, ...fillers])
  t.equal((await enroll()).statusCode, 201, 'the same credentials enroll once the lane drains')
})
