// The suite-wide secrets audit must itself catch leaks, or it proves nothing.
import t from 'tap'
import Fastify from 'fastify'
import { auditSecrets } from './helpers/secrets-audit.js'

t.test('the audit flags a secret echoed by a later response and a secret in a log line', async (t) => {
  const app = Fastify()
  const audit = auditSecrets(app)
  let stored = ''
  app.post('/create', async () => ({ token_secret: 'created-secret-0123456789' }))
  app.post('/remember', async (request) => {
    stored = (request.body as { password: string }).password
    return { ok: true }
  })
  app.get('/leak', async () => ({ echoed: stored, again: 'created-secret-0123456789' }))
  await app.ready()
  await app.inject({ method: 'POST', url: '/create' })
  await app.inject({ method: 'POST', url: '/remember', payload: { password: 'hunter2-but-longer' } })
  t.same(audit.violations([]), [], 'showing a secret in its creation response is allowed')
  await app.inject({ method: 'GET', url: '/leak' })
  const found = audit.violations(['{"msg":"debug hunter2-but-longer"}'])
  t.equal(found.filter((v) => v.startsWith('GET /leak returned a secret')).length, 2, 'both echoed secrets flagged')
  t.ok(
    found.some((v) => v.startsWith('a log line contains a secret')),
    'log leak flagged'
  )
  await app.close()
})
