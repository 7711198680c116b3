// issue 19 follow-up: upstream's OpenID Connect settings and users' OIDC links move with the import.
// The upstream database (real PostgreSQL) points at the suite's real OpenID provider; after the import
// the settings read back through the admin API (secret never shown, stored sealed with our key) and
// bob, who only ever signed in through OIDC upstream, signs in through the provider as the SAME account.
// Without the upstream key the settings arrive with sign-in off and a note to re-enter the secret.
import t from 'tap'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { bearer, buildTestApp, tempDataDir } from '../helpers/test-app.js'
import { importUpstream } from '../../src/import-upstream/import-service.js'
import { loadConfig } from '../../src/config.js'
import { CLIENT_ID, CLIENT_SECRET, INJECT_CALLBACK, sessionCookie, signInWithOidc, startProvider } from '../oidc/oidc-test-provider.js'
import { PG_PASSWORD, postgresUnavailable, startUpstreamPostgres } from './upstream-postgres.js'
import { AI_ENCRYPTION_KEY, ENV_FILE_TEXT, seedUpstream, seedUpstreamOidc } from './upstream-seed.js'
import { runImportCli } from './import-cli.js'

const keyOf = (dataDir: string) => loadConfig({ PATCHMON_DATA_DIR: dataDir }).secretEncryptionKey

t.test('upstream OIDC settings and links', { skip: postgresUnavailable() ?? false }, async (t) => {
  const pg = await startUpstreamPostgres(t)
  const provider = await startProvider(t)

  t.test('with the upstream key: settings on, secret sealed, bob signs in as bob', async (t) => {
    const url = await pg.createDatabase('oidc_keyed')
    await seedUpstream(pg, 'oidc_keyed', '2.x')
    const upstream = { issuer: provider.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: INJECT_CALLBACK }
    await seedUpstreamOidc(pg, 'oidc_keyed', { ...upstream, disableLocalAuth: false })
    const dataDir = tempDataDir()
    const envFile = join(dataDir, '..', `upstream-oidc-${process.pid}.env`)
    writeFileSync(envFile, `${ENV_FILE_TEXT}OIDC_BUTTON_TEXT=Corp SSO\n`)
    t.teardown(() => rmSync(envFile, { force: true }))
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))

    const dry = await importUpstream({ dataDir, databaseUrl: url, envFile, dryRun: true, merge: false })
    t.equal(dry.counts.get('OIDC sign-in settings (on)'), 1, 'the dry run says the settings would move')
    t.equal(dry.counts.get('OIDC links'), 1)

    const res = runImportCli(['--database-url', url, '--env-file', envFile, '--data-dir', dataDir])
    t.equal(res.status, 0, res.stderr)
    const out = res.stdout
    t.match(out, /\s1\s+OIDC sign-in settings \(on\)\n/)
    t.match(out, /\s1\s+OIDC links\n/)
    t.match(out, /upstream configures OIDC sign-in in its environment \(OIDC_BUTTON_TEXT\): this server reads the same OIDC_\* variables/)
    t.match(out, /OIDC default role: given "readonly" for upstream's custom role "auditor"/)
    t.match(out, /here only a verified e-mail links an existing account/)
    t.notMatch(out, /signed in only through OIDC/, 'bob needs no password: his link came over')
    for (const secret of [CLIENT_SECRET, AI_ENCRYPTION_KEY, PG_PASSWORD])
      t.notOk(out.includes(secret) || res.stderr.includes(secret), 'no secret printed')

    const ctx = await buildTestApp(t, { dataDir, keepDataDir: true })
    const view = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/settings', headers: bearer(ctx.adminToken) })
    t.equal(view.statusCode, 200, view.body)
    t.match(view.json(), {
      oidc_enabled: true,
      oidc_issuer_url: provider.issuer,
      oidc_client_id: CLIENT_ID,
      oidc_client_secret_set: true,
      oidc_redirect_uri: INJECT_CALLBACK,
      oidc_scopes: 'openid email profile groups',
      oidc_button_text: 'Sign in with Corp SSO',
      oidc_auto_create_users: true,
      oidc_default_role: 'readonly',
      oidc_group_claim: 'groups',
      oidc_link_by_email: true,
      oidc_disable_local_auth: false
    })
    t.same(view.json().oidc_role_mapping, [
      { claim: 'pm-admins', role: 'admin' },
      { claim: 'pm-users', role: 'user' }
    ])
    t.notOk(view.body.includes(CLIENT_SECRET), 'the API never shows the secret')
    const row = await ctx.store.db.selectFrom('oidc_settings').select('client_secret').executeTakeFirstOrThrow()
    t.ok(row.client_secret && !row.client_secret.includes(CLIENT_SECRET), 'stored sealed')
    t.equal(ctx.app.secretBox.open(row.client_secret ?? ''), CLIENT_SECRET, 'sealed with our key')

    // bob's provider account carries no e-mail: only the imported issuer + subject can link him.
    await provider.setAccounts({ 'oidc|bob': { groups: ['pm-users'] } })
    const signedIn = await signInWithOidc(ctx, 'oidc|bob')
    const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { token: sessionCookie(signedIn) ?? '' } })
    t.match(me.json(), { user: { username: 'bob', email: 'bob@example.com', role: 'user' } }, 'the same account, role from the groups')
    const users = (await ctx.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(ctx.adminToken) })).json()
    const list: { username: string }[] = Array.isArray(users) ? users : users.data
    t.equal(list.filter((u) => u.username.startsWith('bob')).length, 1, 'no second bob was created')
  })

  t.test('without the upstream key: imported off, OIDC-only not turned on, notes say why', async (t) => {
    const url = await pg.createDatabase('oidc_locked')
    await seedUpstream(pg, 'oidc_locked', '2.x')
    await seedUpstreamOidc(pg, 'oidc_locked', {
      issuer: provider.issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: INJECT_CALLBACK,
      disableLocalAuth: true
    })
    const dataDir = tempDataDir()
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
    const summary = await importUpstream({ dataDir, databaseUrl: url, dryRun: false, merge: false, secretKey: keyOf(dataDir) })
    const notes = summary.render()
    t.match(notes, /OIDC sign-in imported off: its client secret is encrypted upstream and no --env-file was given; re-enter the secret/)
    t.match(notes, /OIDC-only mode \(upstream disable local auth\) not turned on/)
    t.equal(summary.counts.get('OIDC sign-in settings (off)'), 1)
    t.equal(summary.counts.get('OIDC links'), 1, 'the link needs no secret')

    const ctx = await buildTestApp(t, { dataDir, keepDataDir: true })
    const view = (await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/settings', headers: bearer(ctx.adminToken) })).json()
    t.match(view, { oidc_enabled: false, oidc_client_secret_set: false, oidc_issuer_url: provider.issuer, oidc_disable_local_auth: false })

    // A second import (--merge) keeps the OIDC settings that are now configured here.
    const again = await importUpstream({ dataDir, databaseUrl: url, dryRun: true, merge: true })
    t.match(again.render(), /OIDC sign-in is already configured here \(http:\/\/127\.0\.0\.1:\d+\); kept ours/)
    t.equal(again.counts.get('OIDC sign-in settings (off)'), undefined)
  })
})
