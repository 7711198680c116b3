// Agent authentication after first contact: one bcrypt check stores a keyed digest of the host's
// API key on its row (bound to the bcrypt hash); from then on the digest is compared instead, so
// a restart or a busy bcrypt lane costs a known agent nothing. Rotation invalidates it.
import t from 'tap'
import { bearer, buildTestApp, type TestApp } from '../helpers/test-app.js'
import { agentHeaders, createHostViaApi, type TestHost } from '../helpers/agent-fixtures.js'
import { fillMachineLane } from '../helpers/bcrypt-lane.js'

const ping = (ctx: TestApp, host: Pick<TestHost, 'apiId' | 'apiKey'>) =>
  ctx.app.inject({ method: 'POST', url: '/api/v1/hosts/ping', headers: agentHeaders(host) })

const storedDigest = (ctx: TestApp, hostId: string) =>
  (ctx.store.sqlite.prepare('select api_key_digest as d from hosts where id = ?').get(hostId) as { d: string | null }).d

t.test('the first accepted request stores a key digest that is neither the key nor its hash', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'digest-1')
  t.equal(storedDigest(ctx, host.id), null, 'no digest before first contact')
  t.equal((await ping(ctx, { ...host, apiKey: `${host.apiKey}x` })).statusCode, 401)
  t.equal(storedDigest(ctx, host.id), null, 'a wrong key stores nothing')
  t.equal((await ping(ctx, host)).statusCode, 200)
  const digest = storedDigest(ctx, host.id)
  t.ok(digest && digest.length >= 40, 'digest stored')
  const hash = (ctx.store.sqlite.prepare('select api_key_hash as h from hosts where id = ?').get(host.id) as { h: string }).h
  t.not(digest, host.apiKey)
  t.not(digest, hash)
  t.notOk(digest?.includes(host.apiKey))
})

t.test('after a restart a known agent is accepted without bcrypt; a wrong key still pays it', async (t) => {
  const first = await buildTestApp(t)
  const host = await createHostViaApi(first.app, first.adminToken, 'digest-2')
  t.equal((await ping(first, host)).statusCode, 200)
  const ctx = await first.restart()
  // With the bcrypt lane full, anything that needs bcrypt is refused 429 without being judged.
  const release = fillMachineLane()
  try {
    const known = await ping(ctx, host)
    t.equal(known.statusCode, 200, 'the digest answers: no bcrypt needed')
    const wrong = await ping(ctx, { ...host, apiKey: `${host.apiKey.slice(0, -1)}0` })
    t.equal(wrong.statusCode, 429, 'a wrong key goes to bcrypt (refused while the lane is full)')
    t.equal(wrong.headers['retry-after'], '1')
  } finally {
    await release()
  }
  t.equal((await ping(ctx, { ...host, apiKey: `${host.apiKey.slice(0, -1)}0` })).statusCode, 401)
})

t.test('a digest that does not match falls back to bcrypt and is stored afresh', async (t) => {
  const first = await buildTestApp(t)
  const host = await createHostViaApi(first.app, first.adminToken, 'digest-3')
  t.equal((await ping(first, host)).statusCode, 200)
  const good = storedDigest(first, host.id)
  first.store.sqlite.prepare('update hosts set api_key_digest = ? where id = ?').run('A'.repeat(43), host.id)
  const ctx = await first.restart()
  t.equal((await ping(ctx, host)).statusCode, 200, 'accepted through bcrypt')
  t.equal(storedDigest(ctx, host.id), good, 'the right digest is back')
})

t.test('regenerated credentials clear the digest; the old key is refused, the new one works', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'digest-4')
  t.equal((await ping(ctx, host)).statusCode, 200)
  const old = storedDigest(ctx, host.id)
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/hosts/${host.id}/regenerate-credentials`,
    headers: bearer(ctx.adminToken)
  })
  t.equal(res.statusCode, 200)
  t.equal(storedDigest(ctx, host.id), null, 'digest cleared with the rotation')
  const fresh = res.json() as { api_id: string; api_key: string }
  t.equal((await ping(ctx, host)).statusCode, 401, 'old credentials refused')
  // The old digest put back cannot match: it is bound to the old bcrypt hash and API id.
  ctx.store.sqlite.prepare('update hosts set api_key_digest = ? where id = ?').run(old, host.id)
  t.equal((await ping(ctx, { apiId: fresh.api_id, apiKey: host.apiKey })).statusCode, 401, 'old key with new id refused')
  t.equal((await ping(ctx, { apiId: fresh.api_id, apiKey: fresh.api_key })).statusCode, 200)
  t.not(storedDigest(ctx, host.id), old)
})
