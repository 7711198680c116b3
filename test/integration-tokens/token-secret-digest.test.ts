// Integration and enrollment credentials after first contact (issue 22 part 5): one bcrypt check
// stores a keyed digest of the secret on the token row, bound to the key and the bcrypt hash; from
// then on, also after a restart, the digest answers and bcrypt is not run. A wrong secret always
// pays bcrypt, and every other check (active, expiry, type, IP) still reads the row each time.
import t from 'tap'
import { bearer, buildTestApp, type TestApp } from '../helpers/test-app.js'
import { fillMachineLane } from '../helpers/bcrypt-lane.js'
import { apiCredential, basic } from '../integration-api/fleet-fixture.js'
import { enroll, insertToken } from '../enrollment/enrollment-fixtures.js'

const HOSTS = '/api/v1/api/hosts'
const apiGet = (ctx: TestApp, key: string, secret: string) => ctx.app.inject({ method: 'GET', url: HOSTS, headers: basic(key, secret) })

const storedDigest = (ctx: TestApp, id: string) =>
  (ctx.store.sqlite.prepare('select token_secret_digest as d from auto_enrollment_tokens where id = ?').get(id) as { d: string | null }).d

t.test('Integration API: the first accepted request stores a digest that is neither the secret nor its hash', async (t) => {
  const ctx = await buildTestApp(t)
  const cred = await apiCredential(ctx)
  t.equal(storedDigest(ctx, cred.id), null, 'no digest before first use')
  t.equal((await apiGet(ctx, cred.key, `${cred.secret}x`)).statusCode, 401)
  t.equal(storedDigest(ctx, cred.id), null, 'a wrong secret stores nothing')
  t.equal((await apiGet(ctx, cred.key, cred.secret)).statusCode, 200)
  const digest = storedDigest(ctx, cred.id)
  const hash = (
    ctx.store.sqlite.prepare('select token_secret_hash as h from auto_enrollment_tokens where id = ?').get(cred.id) as { h: string }
  ).h
  t.ok(digest && digest.length >= 40, 'digest stored')
  t.not(digest, hash)
  t.notOk(digest?.includes(cred.secret), 'the secret is not in it')
  const listed = await ctx.app.inject({ method: 'GET', url: '/api/v1/auto-enrollment/tokens', headers: bearer(ctx.adminToken) })
  t.notOk(listed.body.includes(digest as string), 'the digest never leaves the server')
})

t.test('Integration API: after a restart a known credential is accepted without bcrypt; a wrong secret still pays it', async (t) => {
  const first = await buildTestApp(t)
  const cred = await apiCredential(first)
  t.equal((await apiGet(first, cred.key, cred.secret)).statusCode, 200)
  const ctx = await first.restart()
  const release = fillMachineLane()
  try {
    t.equal((await apiGet(ctx, cred.key, cred.secret)).statusCode, 200, 'the digest answers: no bcrypt needed')
    const wrong = await apiGet(ctx, cred.key, `${cred.secret.slice(0, -1)}0`)
    t.equal(wrong.statusCode, 429, 'a wrong secret goes to bcrypt (refused while the lane is full)')
  } finally {
    await release()
  }
  t.same((await apiGet(ctx, cred.key, `${cred.secret.slice(0, -1)}0`)).json(), { error: 'Invalid API secret' })
})

t.test('Integration API: a known secret still meets every other check on every request', async (t) => {
  const ctx = await buildTestApp(t)
  const cred = await apiCredential(ctx)
  t.equal((await apiGet(ctx, cred.key, cred.secret)).statusCode, 200)
  const patch = (payload: Record<string, unknown>) =>
    ctx.app.inject({ method: 'PATCH', url: `/api/v1/auto-enrollment/tokens/${cred.id}`, headers: bearer(ctx.adminToken), payload })
  await patch({ is_active: false })
  t.same((await apiGet(ctx, cred.key, cred.secret)).json(), { error: 'API key is disabled' })
  await patch({ is_active: true, expires_at: '2001-01-01T00:00:00Z' })
  t.same((await apiGet(ctx, cred.key, cred.secret)).json(), { error: 'API key has expired' })
  await patch({ expires_at: null, allowed_ip_ranges: ['10.9.9.9'] })
  t.same((await apiGet(ctx, cred.key, cred.secret)).json(), { error: 'IP address not allowed' })
  await patch({ allowed_ip_ranges: [] })
  t.equal((await apiGet(ctx, cred.key, cred.secret)).statusCode, 200)
})

t.test('a digest that does not match (e.g. a changed server key) falls back to bcrypt and is stored afresh', async (t) => {
  const first = await buildTestApp(t)
  const cred = await apiCredential(first)
  t.equal((await apiGet(first, cred.key, cred.secret)).statusCode, 200)
  const good = storedDigest(first, cred.id)
  first.store.sqlite.prepare('update auto_enrollment_tokens set token_secret_digest = ? where id = ?').run('A'.repeat(43), cred.id)
  const ctx = await first.restart()
  t.equal((await apiGet(ctx, cred.key, cred.secret)).statusCode, 200, 'accepted through bcrypt')
  t.equal(storedDigest(ctx, cred.id), good, 'the right digest is back')
})

t.test('a digest copied to another token does not open it: it is bound to the key and the bcrypt hash', async (t) => {
  const ctx = await buildTestApp(t)
  const a = await apiCredential(ctx)
  const b = await apiCredential(ctx)
  t.equal((await apiGet(ctx, a.key, a.secret)).statusCode, 200)
  ctx.store.sqlite.prepare('update auto_enrollment_tokens set token_secret_digest = ? where id = ?').run(storedDigest(ctx, a.id), b.id)
  t.same((await apiGet(ctx, b.key, a.secret)).json(), { error: 'Invalid API secret' }, "a's secret does not open b")
})

t.test('enrollment: after a restart a known token enrolls without bcrypt', async (t) => {
  const first = await buildTestApp(t)
  const token = await insertToken(first)
  t.equal((await enroll(first, token, { friendly_name: 'lxc-1' })).statusCode, 201)
  t.ok(storedDigest(first, token.id), 'digest stored by the first enrollment')
  const ctx = await first.restart()
  const release = fillMachineLane()
  try {
    t.equal((await enroll(ctx, token, { friendly_name: 'lxc-2' })).statusCode, 201, 'the digest answers: no bcrypt needed')
    const wrong = await enroll(ctx, { ...token, secret: `${token.secret.slice(0, -1)}0` }, { friendly_name: 'lxc-3' })
    t.equal(wrong.statusCode, 429, 'a wrong secret goes to bcrypt (refused while the lane is full)')
  } finally {
    await release()
  }
  await ctx.store.db.updateTable('auto_enrollment_tokens').set({ is_active: 0 }).where('id', '=', token.id).execute()
  t.equal((await enroll(ctx, token, { friendly_name: 'lxc-4' })).statusCode, 401, 'a disabled token is refused at once')
})
