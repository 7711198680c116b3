// issue 19: an upstream 2.x database (real PostgreSQL, our DDL from the facts sheet, secrets stored
// the way upstream stores them) is imported by the real command line; then the real HTTP surface
// proves every old credential still works: agent ping/report, Basic auth, enrollment, login + TFA.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { runImportCli } from './import-cli.js'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { TOTP, Secret } from 'otpauth'
import WebSocket from 'ws'
import { bearer, buildTestApp, tempDataDir } from '../helpers/test-app.js'
import { agentHeaders } from '../helpers/agent-fixtures.js'
import { basic } from '../integration-api/fleet-fixture.js'
import { PG_PASSWORD, postgresUnavailable, startUpstreamPostgres } from './upstream-postgres.js'
import { AI_ENCRYPTION_KEY, ENV_FILE_TEXT, IDS, seedUpstream } from './upstream-seed.js'

t.test('an upstream 2.x fleet moves over and every old credential keeps working', { skip: postgresUnavailable() ?? false }, async (t) => {
  const pg = await startUpstreamPostgres(t)
  const url = await pg.createDatabase('upstream2')
  const secrets = await seedUpstream(pg, 'upstream2', '2.x')
  const dataDir = tempDataDir()
  const envFile = join(dataDir, '..', `upstream-${process.pid}.env`)
  writeFileSync(envFile, ENV_FILE_TEXT)
  t.teardown(() => spawnSync('rm', ['-rf', dataDir, envFile]))

  const res = runImportCli(['--database-url', url, '--env-file', envFile, '--data-dir', dataDir])
  t.equal(res.status, 0, res.stderr)
  const out = res.stdout
  t.match(out, /Imported from upstream PatchMon 2\.x \(schema_migrations 47\) at 127\.0\.0\.1:\d+\/upstream2/)
  t.match(out, /\s2\s+hosts\n/)
  t.match(out, /\s3\s+installed packages/)
  t.match(out, /\s3\s+users\n/)
  t.match(out, /custom role "auditor" is not carried over/)
  t.match(out, /user bob: given "readonly" for upstream's custom role "auditor"/)
  t.match(out, /bob <bob@example.com>: signed in only through OIDC/)
  t.match(out, /notification destination "In-app alerts": upstream's in-app alerts have no counterpart here/)
  t.match(out, /limited to single hosts or match rules.*imported disabled/)
  t.match(out, /scheduled report "Weekly summary": schedule kept \(0 8 \* \* \*, in this server's time zone\)/)
  t.match(out, /patch run history \(1 runs\): not carried over/)
  for (const secret of [
    PG_PASSWORD,
    AI_ENCRYPTION_KEY,
    secrets.web.apiKey,
    secrets.api.secret,
    secrets.webhookSigningSecret,
    secrets.discordSecret,
    secrets.alice.totpSecret
  ]) {
    t.notOk(out.includes(secret) || res.stderr.includes(secret), 'no secret is printed')
  }

  // The upstream superadmin signs in with its cost-12 $2a$ password (buildTestApp logs in as admin).
  const ctx = await buildTestApp(t, { dataDir, keepDataDir: true })
  const admin = bearer(ctx.adminToken)

  const web = (await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${IDS.web}`, headers: admin })).json()
  t.equal(web.friendly_name, 'web-1')
  t.equal(web.notes, 'rack 4, ask Sam before rebooting')
  t.equal(web.last_update, '2026-12-01T10:00:00.000Z', 'last report time kept, read as UTC')
  t.same(web.host_groups.map((g: { name: string }) => g.name).sort(), ['Databases', 'Web servers'])
  const packages = (await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${IDS.web}/packages`, headers: admin })).json()
  t.equal(JSON.stringify(packages).includes('openssl'), true, 'inventory is there before any agent report')
  const pending = (await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${IDS.db}`, headers: admin })).json()
  t.equal(pending.status, 'pending')

  // Agents with their old credentials.yml, upstream agent headers ($2a$ and $2y$ hashes).
  for (const host of [secrets.web, secrets.db]) {
    const ping = await ctx.app.inject({ method: 'POST', url: '/api/v1/hosts/ping', headers: agentHeaders(host), payload: '' })
    t.equal(ping.statusCode, 200, `ping with the old key of ${host.apiId}`)
  }
  const wrong = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/hosts/ping',
    headers: agentHeaders({ ...secrets.web, apiKey: 'f'.repeat(64) }),
    payload: ''
  })
  t.equal(wrong.statusCode, 401, 'a wrong key is still refused')
  const report = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/hosts/update',
    headers: agentHeaders(secrets.web),
    payload: JSON.stringify({
      packages: [{ name: 'openssl', currentVersion: '3.0.15-1~deb12u1', needsUpdate: false }],
      agentVersion: '2.1.3'
    })
  })
  t.equal(report.statusCode, 200, report.body)

  // The live channel: the upstream agent's WebSocket, same headers, same old key.
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = ctx.app.server.address() as AddressInfo
  const socket = new WebSocket(`ws://127.0.0.1:${port}/api/v1/agents/ws`, { headers: agentHeaders(secrets.web) })
  const opened = await new Promise<boolean>((resolve) => {
    socket.once('open', () => resolve(true))
    socket.once('error', () => resolve(false))
  })
  t.equal(opened, true, 'the agent WebSocket connects with the old credentials')
  socket.close()

  // Integration credentials answer the same Basic auth; scopes come along.
  const hosts = await ctx.app.inject({ method: 'GET', url: '/api/v1/api/hosts', headers: basic(secrets.api.key, secrets.api.secret) })
  t.equal(hosts.statusCode, 200, hosts.body)
  const homepage = await ctx.app.inject({
    method: 'GET',
    url: '/api/v1/gethomepage/stats',
    headers: basic(secrets.homepage.key, secrets.homepage.secret)
  })
  t.equal(homepage.statusCode, 200, homepage.body)
  const wrongKind = await ctx.app.inject({
    method: 'GET',
    url: '/api/v1/api/hosts',
    headers: basic(secrets.homepage.key, secrets.homepage.secret)
  })
  t.not(wrongKind.statusCode, 200, 'a gethomepage credential stays a gethomepage credential')

  // The enrollment token enrolls, into its default group.
  const enrolled = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auto-enrollment/enroll',
    headers: { 'x-auto-enrollment-key': secrets.enrollment.key, 'x-auto-enrollment-secret': secrets.enrollment.secret },
    payload: { friendly_name: 'ct-101', machine_id: 'ct-101-mid' }
  })
  t.equal(enrolled.statusCode, 201, enrolled.body)
  const newHost = (
    await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${enrolled.json().host?.id ?? enrolled.json().id}`, headers: admin })
  ).json()
  t.same(
    newHost.host_groups?.map((g: { name: string }) => g.name),
    ['Web servers']
  )

  // alice: old password, then her authenticator app, then a backup code.
  const step1 = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'alice', password: secrets.alice.password }
  })
  t.equal(step1.statusCode, 200)
  t.equal(step1.json().requiresTfa, true)
  const code = new TOTP({ secret: Secret.fromBase32(secrets.alice.totpSecret), digits: 6, period: 30, algorithm: 'SHA1' }).generate()
  const step2 = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/verify-tfa',
    payload: { username: 'alice', token: code, tfa_ticket: step1.json().tfaTicket }
  })
  t.equal(step2.statusCode, 200, step2.body)
  const again = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'alice', password: secrets.alice.password }
  })
  const backup = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/verify-tfa',
    payload: { username: 'alice', token: secrets.alice.backupCodes[1]?.toLowerCase(), tfa_ticket: again.json().tfaTicket }
  })
  t.equal(backup.statusCode, 200, 'an upstream backup code signs in')
  const wrongPassword = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'alice', password: 'nope' }
  })
  t.equal(wrongPassword.statusCode, 401)

  // Alerts and settings.
  const destinations = (await ctx.app.inject({ method: 'GET', url: '/api/v1/notifications/destinations', headers: admin })).json()
  const list = Array.isArray(destinations) ? destinations : destinations.data
  t.same(
    list.map((d: { display_name: string; enabled: boolean }) => [d.display_name, d.enabled]),
    [['Ops webhook', true]],
    'the webhook came over enabled, its config opened with the upstream key'
  )
  t.notOk(JSON.stringify(destinations).includes(secrets.webhookSigningSecret), 'its signing secret is not shown')
  const settings = (await ctx.app.inject({ method: 'GET', url: '/api/v1/settings', headers: admin })).json()
  t.equal(settings.update_interval, 30)
  t.equal(settings.server_url, 'https://patchmon.example.net')
  const policies = (await ctx.app.inject({ method: 'GET', url: '/api/v1/patching/policies', headers: admin })).json()
  const reports = (await ctx.app.inject({ method: 'GET', url: '/api/v1/notifications/scheduled-reports', headers: admin })).json()
  const weekly = (Array.isArray(reports) ? reports : reports.data).find((r: { name: string }) => r.name === 'Weekly summary')
  t.match(weekly, { frequency: 'daily', time: '08:00', enabled: true }, 'the upstream cron became a daily report at 08:00')
  t.same(weekly.destination_ids, [list[0].id], 'sent to the imported webhook')
  t.match(JSON.stringify(policies), /Nightly/)
})
