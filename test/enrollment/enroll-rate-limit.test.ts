import t from 'tap'
import { buildTestApp } from '../helpers/test-app.js'
import { enroll, insertToken } from './enrollment-fixtures.js'

t.test('enrollment shares the auth rate-limit bucket', async (t) => {
  // The bucket is shared by every auth route: buildTestApp's admin login is the first of four.
  const ctx = await buildTestApp(t, { env: { AUTH_RATE_LIMIT_MAX: '4' } })
  const token = await insertToken(ctx)
  const codes: number[] = []
  for (let i = 0; i < 4; i++) codes.push((await enroll(ctx, token, { friendly_name: `r${i}` })).statusCode)
  t.same(codes, [201, 201, 201, 429])
  const limited = await enroll(ctx, token, { friendly_name: 'again' })
  t.equal(limited.json().error, 'Too many requests')
  t.ok(limited.headers['retry-after'], 'Retry-After is set')
})
