// Route schemas compile on first use (src/http/lazy-compile.ts). These tests prove that laziness
// changes nothing a client can see: every schema still compiles, a route validates and
// serialises exactly as before on its first request, and only that route's schemas compile.
import t from 'tap'
import { buildTestApp } from '../helpers/test-app.js'

t.test('no route schema is compiled at start, and every one compiles when forced', async (t) => {
  const ctx = await buildTestApp(t)
  const pending = ctx.app.schemaCompiles.pendingCount
  // Dozens of routes, each with a body/query/params validator and one serializer per status.
  t.ok(pending > 200, `${pending} schemas wait for their first request`)
  t.equal(ctx.app.schemaCompiles.compileAll(), pending, 'every pending schema compiled without error')
  t.equal(ctx.app.schemaCompiles.pendingCount, 0)
})

t.test('the first request to a route compiles its schemas and still validates in the documented shape', async (t) => {
  const ctx = await buildTestApp(t)
  const before = ctx.app.schemaCompiles.pendingCount
  const headers = { authorization: `Bearer ${ctx.adminToken}` }
  const bad = await ctx.app.inject({ method: 'POST', url: '/api/v1/host-groups', headers, payload: { name: 42 } })
  t.equal(bad.statusCode, 400)
  t.same(bad.json(), { errors: [{ msg: 'Name is required (1-100 characters)', param: 'name', location: 'body' }] })
  const compiled = before - ctx.app.schemaCompiles.pendingCount
  t.ok(compiled >= 1 && compiled < 10, `only this route's schemas compiled (${compiled})`)

  const ok = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/host-groups',
    headers,
    payload: { name: 'web', description: 'front ends', unknown_field: 'dropped' }
  })
  t.equal(ok.statusCode, 201)
  const body = ok.json<Record<string, unknown>>()
  t.equal(body['name'], 'web')
  t.notOk('unknown_field' in body, 'the response schema still drops fields it does not declare')
})

t.test('a query string is still coerced on the first request', async (t) => {
  const ctx = await buildTestApp(t)
  const res = await ctx.app.inject({
    method: 'GET',
    url: '/api/v1/hosts?limit=abc',
    headers: { authorization: `Bearer ${ctx.adminToken}` }
  })
  t.equal(res.statusCode, 400, 'a non-numeric limit is rejected by the freshly compiled validator')
  const coerced = await ctx.app.inject({
    method: 'GET',
    url: '/api/v1/hosts?limit=5',
    headers: { authorization: `Bearer ${ctx.adminToken}` }
  })
  t.equal(coerced.statusCode, 200, 'a numeric limit in the query string is coerced to an integer')
})
