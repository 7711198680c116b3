// Every route that changes something says what its audit entry is: an action name, or why it
// writes none (agent traffic, sign-in steps whose services record the outcome, ...). A new
// POST/PUT/PATCH/DELETE route without `config.audit` fails here with its method and path.
import t from 'tap'
import { buildTestApp } from '../helpers/test-app.js'

t.test('every mutating route declares its audit action or why it is not audited', async (t) => {
  const { app } = await buildTestApp(t)
  const routes = app.auditDeclaredRoutes
  t.ok(routes.length > 50, `the hook saw the mutating routes (${routes.length})`)
  const missing = routes.filter((r) => r.declaration === undefined).map((r) => `${r.method} ${r.url}`)
  t.same(missing, [], 'routes without config.audit')
  const malformed = routes.flatMap((r) => {
    const d = r.declaration
    if (d && 'action' in d && !/^[a-z_]+\.[a-z_]+$/.test(d.action))
      return [`${r.method} ${r.url}: action ${d.action} is not <thing>.<verb>`]
    if (d && 'notAudited' in d && d.notAudited.length < 10) return [`${r.method} ${r.url}: the reason does not say why`]
    return []
  })
  t.same(malformed, [], 'declarations are well formed')
})

t.test('the audit actions of the security-relevant routes', async (t) => {
  const { app } = await buildTestApp(t)
  const actionOf = (method: string, url: string) => {
    const d = app.auditDeclaredRoutes.find((r) => r.method === method && r.url === url)?.declaration
    return d && 'action' in d ? d.action : undefined
  }
  t.equal(actionOf('POST', '/api/v1/users'), 'user.create')
  t.equal(actionOf('PUT', '/api/v1/users/:id'), 'user.update')
  t.equal(actionOf('DELETE', '/api/v1/hosts/:id'), 'host.delete')
  t.equal(actionOf('POST', '/api/v1/hosts/:id/regenerate-credentials'), 'host.credentials_rotate')
  t.equal(actionOf('POST', '/api/v1/auto-enrollment/tokens'), 'token.create')
  t.equal(actionOf('DELETE', '/api/v1/auto-enrollment/tokens/:tokenId'), 'token.delete')
  t.equal(actionOf('PUT', '/api/v1/settings'), 'settings.update')
  t.equal(actionOf('POST', '/api/v1/patching/trigger'), 'patch_run.trigger')
  t.equal(actionOf('POST', '/api/v1/patching/runs/:id/approve'), 'patch_run.approve')
})
