// Changes made by machines are attributed to their credential: a host enrolled with an
// auto-enrollment token, a host deleted through the Integration API. The credential is named by
// its public key and name, never its secret.
import t from 'tap'
import { bearer, buildTestApp } from '../helpers/test-app.js'
import { enroll, insertToken } from '../enrollment/enrollment-fixtures.js'
import { basic } from '../integration-api/fleet-fixture.js'
import { lastEntry } from './audit-helpers.js'

t.test('an enrollment token and an API credential are the actors of what they did', async (t) => {
  const ctx = await buildTestApp(t)
  const token = await insertToken(ctx, { token_name: 'PVE cluster' })
  const enrolled = await enroll(ctx, token, { friendly_name: 'ct-101', machine_id: 'machine-101' })
  t.equal(enrolled.statusCode, 201, enrolled.body)
  const entry = await lastEntry(ctx, 'host.enroll')
  t.match(entry, { actor_type: 'credential', actor_id: token.key, actor_label: 'PVE cluster', target_type: 'host', target_label: 'ct-101' })

  const created = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auto-enrollment/tokens',
    headers: bearer(ctx.adminToken),
    payload: { token_name: 'cleanup job', metadata: { integration_type: 'api' }, scopes: { host: ['get', 'delete'] } }
  })
  const credential = (created.json() as { token: { token_key: string; token_secret: string } }).token
  const hostId = entry?.target_id ?? ''
  const deleted = await ctx.app.inject({
    method: 'DELETE',
    url: `/api/v1/api/hosts/${hostId}`,
    headers: basic(credential.token_key, credential.token_secret)
  })
  t.equal(deleted.statusCode, 200, deleted.body)
  t.match(await lastEntry(ctx, 'host.delete'), {
    actor_type: 'credential',
    actor_id: credential.token_key,
    actor_label: 'cleanup job',
    target_id: hostId,
    target_label: 'ct-101',
    outcome: 'success'
  })
  const text = JSON.stringify(ctx.store.sqlite.prepare('SELECT * FROM audit_log').all())
  t.notOk(text.includes(token.secret) || text.includes(credential.token_secret), 'no credential secret in the log')
})
