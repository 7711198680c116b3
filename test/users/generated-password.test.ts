// The first admin's generated password (printed once in the journal) is marked: the user views
// say must_change_password until the password is changed, so the dashboard can ask for a new one.
// A password chosen with PATCHMON_ADMIN_PASSWORD is not marked.
import t from 'tap'
import { rmSync } from 'node:fs'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { databaseFile, openStore } from '../../src/store/open-database.js'
import { migrateToLatest } from '../../src/store/migrate.js'
import { ensureFirstAdmin } from '../../src/users/first-admin.js'
import { bearer, buildTestApp, login, tempDataDir } from '../helpers/test-app.js'

t.test('a generated first-admin password must be changed; changing it clears the mark', async (t) => {
  const dataDir = tempDataDir()
  const store = openStore(databaseFile(dataDir))
  await migrateToLatest(store)
  const app = await buildApp({ config: loadConfig({ PATCHMON_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), store })
  t.teardown(async () => {
    await app.close()
    await store.close()
    rmSync(dataDir, { recursive: true, force: true })
  })
  await app.ready()
  const first = await ensureFirstAdmin(store.db, undefined)
  const generated = first.generatedPassword ?? ''
  t.ok(generated.length >= 16, 'a password was generated')
  const token = await login(app, 'admin', generated)
  const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })
  t.equal(me.json().user.must_change_password, true, '/auth/me says the password must be changed')

  const changed = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/change-password',
    headers: bearer(token),
    payload: { current_password: generated, new_password: 'a-password-I-chose-1' }
  })
  t.equal(changed.statusCode, 200, changed.body)
  const fresh = await login(app, 'admin', 'a-password-I-chose-1')
  const after = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(fresh) })
  t.equal(after.json().user.must_change_password, false, 'cleared by the change')
  const users = await app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(fresh) })
  t.equal(
    (users.json() as Array<{ username: string; must_change_password: boolean }>).find((u) => u.username === 'admin')?.must_change_password,
    false
  )
})

t.test('a first-admin password set with PATCHMON_ADMIN_PASSWORD is not marked', async (t) => {
  const ctx = await buildTestApp(t)
  const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(ctx.adminToken) })
  t.equal(me.json().user.must_change_password, false)
})
