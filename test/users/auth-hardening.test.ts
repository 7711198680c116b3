// Issue 15 items 3-8: lockouts keyed on the account and counted before the slow compare, the
// current-password checks of tfa/disable and change-password under the login budget,
// regenerating backup codes needs a proof, enabling TFA ends other sessions, and verify-tfa does
// not tell unknown users from users with TFA.
import t from 'tap'
import { Secret, TOTP } from 'otpauth'
import { ADMIN_PASSWORD, bearer, buildTestApp, login, type TestApp } from '../helpers/test-app.js'

const T0 = Date.UTC(2026, 0, 1, 12, 0, 5)
const VICTIM_PASSWORD = 'victim-password-1'

const codeAt = (secret: string, ms: number) =>
  new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: ms })

async function createVictim(ctx: TestApp): Promise<void> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(ctx.adminToken),
    payload: { username: 'victim', email: 'victim@example.com', password: VICTIM_PASSWORD, role: 'user' }
  })
  if (res.statusCode !== 201) throw new Error(`create victim: ${res.statusCode} ${res.body}`)
}

const loginAs = (ctx: TestApp, username: string, password: string) =>
  ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } })

/** Turns TFA on for the admin (clock fixed at T0); returns the secret and backup codes. */
async function enableAdminTfa(ctx: TestApp, token = ctx.adminToken): Promise<{ secret: string; backupCodes: string[] }> {
  ctx.app.tfa.now = () => T0
  const setup = await ctx.app.inject({ method: 'GET', url: '/api/v1/tfa/setup', headers: bearer(token) })
  const secret = (setup.json() as { secret: string }).secret
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/tfa/verify-setup',
    headers: bearer(token),
    payload: { token: codeAt(secret, T0) }
  })
  if (res.statusCode !== 200) throw new Error(`verify-setup: ${res.body}`)
  return { secret, backupCodes: (res.json() as { backupCodes: string[] }).backupCodes }
}

t.test('item 3: login lockout follows the account, not the typed name', async (t) => {
  const ctx = await buildTestApp(t)
  await createVictim(ctx)
  for (let i = 0; i < 5; i++) t.equal((await loginAs(ctx, 'victim', `wrong-${i}`)).statusCode, 401)
  const byEmail = await loginAs(ctx, 'victim@example.com', VICTIM_PASSWORD)
  t.equal(byEmail.statusCode, 429, 'the e-mail of the locked account is locked too')
  t.equal(byEmail.json().message, 'Too many failed login attempts. Try again later.')
})

t.test('item 3: name and e-mail guesses share one counter (5, not 5 + 5)', async (t) => {
  const ctx = await buildTestApp(t)
  await createVictim(ctx)
  const statuses: number[] = []
  for (let i = 0; i < 10; i++) statuses.push((await loginAs(ctx, i % 2 ? 'victim' : 'victim@example.com', `wrong-${i}`)).statusCode)
  t.same(statuses, [401, 401, 401, 401, 401, 429, 429, 429, 429, 429])
})

t.test('item 4: 40 concurrent backup-code guesses on one ticket judge at most the limit', async (t) => {
  const ctx = await buildTestApp(t)
  await enableAdminTfa(ctx)
  const step1 = await loginAs(ctx, 'admin', ADMIN_PASSWORD)
  const ticket = (step1.json() as { tfaTicket: string }).tfaTicket
  const guesses = Array.from({ length: 40 }, (_, i) => `ZZZ${String(i).padStart(3, '0')}`)
  const results = await Promise.all(
    guesses.map((token) =>
      ctx.app.inject({ method: 'POST', url: '/api/v1/auth/verify-tfa', payload: { username: 'admin', token, tfa_ticket: ticket } })
    )
  )
  const judged = results.filter((r) => r.statusCode === 401 && r.json().error === 'Invalid verification code').length
  const refused = results.filter((r) => r.statusCode === 429 || r.json().error === 'TFA session expired. Please sign in again.').length
  t.ok(judged <= 5, `${judged} guesses judged (limit 5)`)
  t.equal(judged + refused, 40, `${refused} refused unjudged (locked, or the ticket already spent)`)
  t.notOk(results.some((r) => r.statusCode === 200))
})

t.test('item 5: tfa/disable judges the password under the login lockout', async (t) => {
  const ctx = await buildTestApp(t)
  await enableAdminTfa(ctx)
  const statuses: number[] = []
  for (let i = 0; i < 7; i++) {
    statuses.push(
      (
        await ctx.app.inject({
          method: 'POST',
          url: '/api/v1/tfa/disable',
          headers: bearer(ctx.adminToken),
          payload: { password: `wrong-${i}` }
        })
      ).statusCode
    )
  }
  t.same(statuses, [400, 400, 400, 400, 400, 429, 429])
  const right = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/tfa/disable',
    headers: bearer(ctx.adminToken),
    payload: { password: ADMIN_PASSWORD }
  })
  t.equal(right.statusCode, 429, 'even the right password waits out the lockout')
  t.match(right.headers['retry-after'], /^\d+$/)
  t.equal((await loginAs(ctx, 'admin', ADMIN_PASSWORD)).statusCode, 429, 'the same budget as the login')
})

t.test('item 5: change-password judges the current password under the login lockout', async (t) => {
  const ctx = await buildTestApp(t, { env: { AUTH_RATE_LIMIT_MAX: '1000' } })
  const statuses: number[] = []
  for (let i = 0; i < 7; i++) {
    statuses.push(
      (
        await ctx.app.inject({
          method: 'POST',
          url: '/api/v1/auth/change-password',
          headers: bearer(ctx.adminToken),
          payload: { current_password: `wrong-${i}`, new_password: 'brand-new-password-1' }
        })
      ).statusCode
    )
  }
  t.same(statuses, [400, 400, 400, 400, 400, 429, 429])
})

t.test('item 6: regenerate-backup-codes needs the password or a current code', async (t) => {
  const ctx = await buildTestApp(t)
  const { secret } = await enableAdminTfa(ctx)
  const url = '/api/v1/tfa/regenerate-backup-codes'
  const none = await ctx.app.inject({ method: 'POST', url, headers: bearer(ctx.adminToken) })
  t.equal(none.statusCode, 400, 'no proof, no new codes')
  t.same(none.json(), { error: 'Password or a current authentication code is required to regenerate backup codes' })
  const wrong = await ctx.app.inject({ method: 'POST', url, headers: bearer(ctx.adminToken), payload: { password: 'wrong' } })
  t.equal(wrong.statusCode, 400)
  t.same(wrong.json(), { error: 'Invalid password' })
  const byPassword = await ctx.app.inject({ method: 'POST', url, headers: bearer(ctx.adminToken), payload: { password: ADMIN_PASSWORD } })
  t.equal(byPassword.statusCode, 200)
  t.equal(byPassword.json().backupCodes.length, 10)
  const next = T0 + 30_000
  ctx.app.tfa.now = () => next
  const byCode = await ctx.app.inject({ method: 'POST', url, headers: bearer(ctx.adminToken), payload: { token: codeAt(secret, next) } })
  t.equal(byCode.statusCode, 200)
  const replay = await ctx.app.inject({ method: 'POST', url, headers: bearer(ctx.adminToken), payload: { token: codeAt(secret, next) } })
  t.equal(replay.statusCode, 400, 'a code is spent once')
})

t.test('item 7: enabling TFA ends the other sessions of the user and keeps this one', async (t) => {
  const ctx = await buildTestApp(t)
  const other = await login(ctx.app, 'admin', ADMIN_PASSWORD)
  await enableAdminTfa(ctx)
  t.equal(
    (await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(other) })).statusCode,
    401,
    'the other session is over'
  )
  t.equal(
    (await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(ctx.adminToken) })).statusCode,
    200,
    'this session goes on'
  )
})

t.test('item 8: verify-tfa answers unknown users and users with TFA alike', async (t) => {
  const ctx = await buildTestApp(t)
  await enableAdminTfa(ctx)
  const ask = (username: string) =>
    ctx.app.inject({ method: 'POST', url: '/api/v1/auth/verify-tfa', payload: { username, token: '123456', tfa_ticket: 'f'.repeat(64) } })
  const existing = await ask('admin')
  const unknown = await ask('no-such-user')
  t.equal(existing.statusCode, unknown.statusCode)
  t.same(existing.json(), unknown.json())
  t.equal(existing.statusCode, 401)
})
