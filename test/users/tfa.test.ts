import t from 'tap'
import { Secret, TOTP } from 'otpauth'
import { ADMIN_PASSWORD, bearer, buildTestApp, type TestApp } from '../helpers/test-app.js'

// A fixed clock 5 s into a 30 s step, so "the next step" is always exactly +30 s.
const T0 = Date.UTC(2026, 0, 1, 12, 0, 5)

function codeAt(secret: string, ms: number): string {
  return new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: ms })
}

async function startSetup(ctx: TestApp): Promise<string> {
  const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/tfa/setup', headers: bearer(ctx.adminToken) })
  if (res.statusCode !== 200) throw new Error(`setup failed: ${res.body}`)
  return (res.json() as { secret: string }).secret
}

/** Turns TFA on for the admin at T0 and returns the secret and backup codes. */
async function enableTfa(ctx: TestApp): Promise<{ secret: string; backupCodes: string[] }> {
  ctx.app.tfa.now = () => T0
  const secret = await startSetup(ctx)
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/tfa/verify-setup',
    headers: bearer(ctx.adminToken),
    payload: { token: codeAt(secret, T0) }
  })
  if (res.statusCode !== 200) throw new Error(`verify-setup failed: ${res.body}`)
  return { secret, backupCodes: (res.json() as { backupCodes: string[] }).backupCodes }
}

async function passwordStep(ctx: TestApp) {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } })
  return { res, ticket: (res.json() as { tfaTicket: string }).tfaTicket }
}

function verifyTfa(ctx: TestApp, ticket: string, token: string) {
  return ctx.app.inject({ method: 'POST', url: '/api/v1/auth/verify-tfa', payload: { username: 'admin', token, tfa_ticket: ticket } })
}

t.test('setup returns a secret, a PNG QR code and the manual key; the secret is sealed at rest', async (t) => {
  const ctx = await buildTestApp(t)
  const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/tfa/setup', headers: bearer(ctx.adminToken) })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.match(body.secret, /^[A-Z2-7]{32}$/, '160-bit base32 secret')
  t.equal(body.manualEntryKey, body.secret)
  t.match(body.qrCode, /^data:image\/png;base64,[A-Za-z0-9+/=]{100,}$/)
  const row = await ctx.store.db
    .selectFrom('users')
    .select(['tfa_secret', 'tfa_enabled'])
    .where('username', '=', 'admin')
    .executeTakeFirstOrThrow()
  t.match(row.tfa_secret, /^enc:v1:/, 'sealed with the secret box')
  t.notOk(row.tfa_secret?.includes(body.secret), 'the clear secret is not stored')
  t.equal(row.tfa_enabled, 0, 'not enabled until a code is confirmed')
  const login = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'admin', password: ADMIN_PASSWORD }
  })
  t.type(login.json().token, 'string', 'an unconfirmed setup does not change the login')
})

t.test('verify-setup checks the code against the injected clock and returns 10 hashed single-use backup codes', async (t) => {
  const ctx = await buildTestApp(t)
  ctx.app.tfa.now = () => T0
  const secret = await startSetup(ctx)
  const malformed = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/tfa/verify-setup',
    headers: bearer(ctx.adminToken),
    payload: { token: '12ab' }
  })
  t.equal(malformed.statusCode, 400)
  t.same(malformed.json(), { errors: [{ msg: 'Token must be exactly 6 digits', param: 'token', location: 'body' }] })
  const stale = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/tfa/verify-setup',
    headers: bearer(ctx.adminToken),
    payload: { token: codeAt(secret, T0 - 5 * 60_000) }
  })
  t.equal(stale.statusCode, 400)
  t.same(stale.json(), { error: 'Invalid verification code. Please try again.' })

  const ok = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/tfa/verify-setup',
    headers: bearer(ctx.adminToken),
    payload: { token: codeAt(secret, T0) }
  })
  t.equal(ok.statusCode, 200)
  t.equal(ok.json().message, 'Two-factor authentication has been enabled successfully')
  const codes: string[] = ok.json().backupCodes
  t.equal(codes.length, 10)
  for (const code of codes) t.match(code, /^(?=.*[A-Z])[A-Z0-9]{6}$/, 'six characters with at least one letter')
  t.equal(new Set(codes).size, 10, 'codes are distinct')
  const row = await ctx.store.db
    .selectFrom('users')
    .select(['tfa_backup_codes', 'tfa_enabled'])
    .where('username', '=', 'admin')
    .executeTakeFirstOrThrow()
  t.equal(row.tfa_enabled, 1)
  const hashes = JSON.parse(row.tfa_backup_codes ?? '[]') as string[]
  t.equal(hashes.length, 10)
  for (const h of hashes) t.match(h, /^\$2[aby]\$10\$/, 'bcrypt hashes')
  for (const code of codes) t.notOk(row.tfa_backup_codes?.includes(code), 'no clear backup code at rest')

  const status = await ctx.app.inject({ method: 'GET', url: '/api/v1/tfa/status', headers: bearer(ctx.adminToken) })
  t.same(status.json(), { enabled: true, hasBackupCodes: true, backupCodesRemaining: 10 })
  const again = await ctx.app.inject({ method: 'GET', url: '/api/v1/tfa/setup', headers: bearer(ctx.adminToken) })
  t.equal(again.statusCode, 400)
  t.same(again.json(), { error: 'Two-factor authentication is already enabled for this account' })
})

t.test('login answers "TFA verification required" with a ticket; a TOTP code then issues the session, once', async (t) => {
  const ctx = await buildTestApp(t)
  const { secret } = await enableTfa(ctx)
  const { res, ticket } = await passwordStep(ctx)
  t.equal(res.statusCode, 200)
  t.same(Object.keys(res.json()).sort(), ['message', 'requiresTfa', 'tfaTicket', 'username'])
  t.match(res.json(), { message: 'TFA verification required', requiresTfa: true, username: 'admin' })
  t.match(ticket, /^[0-9a-f]{64}$/)
  t.notOk(res.headers['set-cookie'], 'no session cookie before the second factor')

  const setupCode = await verifyTfa(ctx, ticket, codeAt(secret, T0))
  t.equal(setupCode.statusCode, 401, 'the code spent on setup cannot sign in')
  t.same(
    setupCode.json(),
    {
      error: 'Invalid verification code',
      message: 'This code was already used. Wait for the next code from your authenticator app and enter that one.'
    },
    'a reused code says so'
  )

  ctx.app.tfa.now = () => T0 + 30_000
  const ok = await verifyTfa(ctx, ticket, codeAt(secret, T0 + 30_000))
  t.equal(ok.statusCode, 200)
  t.equal(ok.json().message, 'Login successful')
  t.match(ok.headers['set-cookie'], /token=.*HttpOnly/i)
  const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(ok.json().token) })
  t.equal(me.json().user.tfa_enabled, true)

  const reused = await verifyTfa(ctx, ticket, codeAt(secret, T0 + 60_000))
  t.equal(reused.statusCode, 401, 'a ticket is single use')
  t.same(reused.json(), { error: 'TFA session expired. Please sign in again.' })

  const second = await passwordStep(ctx)
  const replay = await verifyTfa(ctx, second.ticket, codeAt(secret, T0 + 30_000))
  t.equal(replay.statusCode, 401, 'the same TOTP code is refused inside its window')
  t.match(replay.json().message, /already used/, 'the replay gets its own message')
  const drifted = await verifyTfa(ctx, second.ticket, codeAt(secret, T0 + 30_000 + 3 * 30_000))
  t.equal(drifted.statusCode, 401, 'three steps ahead is outside the window')
  t.same(drifted.json(), { error: 'Invalid verification code' }, 'a wrong code keeps the plain answer')
  const nextStep = await verifyTfa(ctx, second.ticket, codeAt(secret, T0 + 60_000))
  t.equal(nextStep.statusCode, 200, 'one step ahead is inside the window')
})

t.test('a backup code signs in once and is then gone', async (t) => {
  const ctx = await buildTestApp(t)
  const { backupCodes } = await enableTfa(ctx)
  const code = backupCodes[3] as string
  const first = await passwordStep(ctx)
  const ok = await verifyTfa(ctx, first.ticket, code.toLowerCase())
  t.equal(ok.statusCode, 200, 'case-insensitive')
  const second = await passwordStep(ctx)
  const again = await verifyTfa(ctx, second.ticket, code)
  t.equal(again.statusCode, 401)
  t.same(again.json(), { error: 'Invalid verification code' })
  const status = await ctx.app.inject({ method: 'GET', url: '/api/v1/tfa/status', headers: bearer(ctx.adminToken) })
  t.equal(status.json().backupCodesRemaining, 9)
})

t.test('five wrong codes lock TFA for 30 minutes with 429 and Retry-After', async (t) => {
  const ctx = await buildTestApp(t)
  const { secret } = await enableTfa(ctx)
  const { ticket } = await passwordStep(ctx)
  for (let i = 0; i < 4; i++) {
    const res = await verifyTfa(ctx, ticket, '000000')
    t.equal(res.statusCode, 401)
  }
  const fifth = await verifyTfa(ctx, ticket, '000000')
  t.equal(fifth.statusCode, 429, 'the fifth failure locks')
  t.equal(fifth.headers['retry-after'], '1800')
  t.equal(fifth.json().error, 'Too many failed TFA attempts')

  ctx.app.tfa.now = () => T0 + 60_000
  const fresh = await passwordStep(ctx)
  const right = await verifyTfa(ctx, fresh.ticket, codeAt(secret, T0 + 60_000))
  t.equal(right.statusCode, 429, 'even the right code is refused while locked')
  t.equal(Number(right.headers['retry-after']), 1740)
  t.equal(right.json().message, 'TFA verification is locked. Try again in 29 minute(s).')

  ctx.app.tfa.now = () => T0 + 31 * 60_000
  const later = await passwordStep(ctx)
  const unlocked = await verifyTfa(ctx, later.ticket, codeAt(secret, T0 + 31 * 60_000))
  t.equal(unlocked.statusCode, 200, 'the lock ends after 30 minutes')
})

t.test('verify-tfa refuses missing, foreign and expired tickets', async (t) => {
  const ctx = await buildTestApp(t)
  const { secret } = await enableTfa(ctx)
  const missing = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/verify-tfa',
    payload: { username: 'admin', token: codeAt(secret, T0) }
  })
  t.equal(missing.statusCode, 400)
  t.same(missing.json(), { error: 'TFA ticket is required' })
  const forged = await verifyTfa(ctx, 'a'.repeat(64), codeAt(secret, T0 + 30_000))
  t.equal(forged.statusCode, 401)
  t.same(forged.json(), { error: 'TFA session expired. Please sign in again.' })
  const { ticket } = await passwordStep(ctx)
  ctx.app.tfa.now = () => T0 + 6 * 60_000
  const expired = await verifyTfa(ctx, ticket, codeAt(secret, T0 + 6 * 60_000))
  t.equal(expired.statusCode, 401, 'tickets live 5 minutes')
  const noTfa = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/verify-tfa',
    payload: { username: 'ghost', token: '123456', tfa_ticket: ticket }
  })
  // An unknown user gets the same answer as a user with TFA and no valid ticket (issue 15 item 8).
  t.same(noTfa.json(), { error: 'TFA session expired. Please sign in again.' })
})

t.test('disable needs the password, emits user_tfa_disabled, and login is single-step again', async (t) => {
  const ctx = await buildTestApp(t)
  await enableTfa(ctx)
  const events: unknown[] = []
  ctx.app.events.on('user_tfa_disabled', (e) => void events.push(e))
  const noPassword = await ctx.app.inject({ method: 'POST', url: '/api/v1/tfa/disable', headers: bearer(ctx.adminToken), payload: {} })
  t.equal(noPassword.statusCode, 400)
  t.same(noPassword.json(), { errors: [{ msg: 'Password is required to disable TFA', param: 'password', location: 'body' }] })
  const wrong = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/tfa/disable',
    headers: bearer(ctx.adminToken),
    payload: { password: 'wrong' }
  })
  t.equal(wrong.statusCode, 400)
  t.same(wrong.json(), { error: 'Invalid password' })
  t.equal(events.length, 0)

  const ok = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/tfa/disable',
    headers: bearer(ctx.adminToken),
    payload: { password: ADMIN_PASSWORD }
  })
  t.equal(ok.statusCode, 200)
  t.same(ok.json(), { message: 'Two-factor authentication has been disabled successfully' })
  t.equal(events.length, 1)
  t.match(events[0], { username: 'admin' })
  const row = await ctx.store.db
    .selectFrom('users')
    .select(['tfa_secret', 'tfa_backup_codes', 'tfa_enabled'])
    .where('username', '=', 'admin')
    .executeTakeFirstOrThrow()
  t.same(row, { tfa_secret: null, tfa_backup_codes: null, tfa_enabled: 0 })
  const login = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'admin', password: ADMIN_PASSWORD }
  })
  t.type(login.json().token, 'string')
  const twice = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/tfa/disable',
    headers: bearer(ctx.adminToken),
    payload: { password: ADMIN_PASSWORD }
  })
  t.same(twice.json(), { error: 'Two-factor authentication is not enabled for this account' })
})

t.test('regenerating backup codes replaces the old ones; no secret or code reaches the logs', async (t) => {
  const ctx = await buildTestApp(t)
  const { secret, backupCodes } = await enableTfa(ctx)
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/tfa/regenerate-backup-codes',
    headers: bearer(ctx.adminToken),
    payload: { password: ADMIN_PASSWORD }
  })
  t.equal(res.statusCode, 200)
  const fresh: string[] = res.json().backupCodes
  t.equal(fresh.length, 10)
  const { ticket } = await passwordStep(ctx)
  const old = await verifyTfa(ctx, ticket, backupCodes[0] as string)
  t.equal(old.statusCode, 401, 'old codes no longer work')
  const ok = await verifyTfa(ctx, ticket, fresh[0] as string)
  t.equal(ok.statusCode, 200)
  const logs = ctx.logs.join('\n')
  t.ok(ctx.logs.length > 0)
  t.notOk(logs.includes(secret), 'no TOTP secret in logs')
  for (const code of [...backupCodes, ...fresh]) t.notOk(logs.includes(code), 'no backup code in logs')
  t.notOk(logs.includes(ticket), 'no TFA ticket in logs')
})
