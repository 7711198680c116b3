// issue 19: what the import refuses and what it leaves alone: a dry run writes nothing, a used data
// folder needs --merge (which skips what is already here), a running server blocks it, and an
// unreachable, foreign or half-migrated database or a bad env file stops it with a clear message.
// Also the 1.4.x variant (plain-text and cost-12 host keys, 16-byte-IV Discord secret).
import t, { type Test } from 'tap'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { bearer, buildTestApp, tempDataDir } from '../helpers/test-app.js'
import { agentHeaders, createHostViaApi } from '../helpers/agent-fixtures.js'
import { acquireDataDirLock } from '../../src/backup/data-dir-lock.js'
import { importUpstream } from '../../src/import-upstream/import-service.js'
import { loadDiscordSettings, openClientSecret } from '../../src/discord-login/discord-settings.js'
import { loadConfig } from '../../src/config.js'
import { databaseFile, openStore } from '../../src/store/open-database.js'
import { migrateToLatest } from '../../src/store/migrate.js'
import { ensureFirstAdmin } from '../../src/users/first-admin.js'
import { PG_PASSWORD, postgresUnavailable, startUpstreamPostgres, type UpstreamPostgres } from './upstream-postgres.js'
import { ENV_FILE_TEXT, seedUpstream, type SeededSecrets } from './upstream-seed.js'
import { upstreamDdl } from './upstream-schema.js'
import { runImportCli } from './import-cli.js'

/** Every file of a folder with its content hash: equal before and after means nothing changed. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir).map((name) => [
      name,
      createHash('sha256')
        .update(readFileSync(join(dir, name)))
        .digest('hex')
    ])
  )
}

const keyOf = (dataDir: string) => loadConfig({ PATCHMON_DATA_DIR: dataDir }).secretEncryptionKey

/** A data folder of an appliance that ran once (its admin exists), optionally with one host. */
async function usedDataDir(t: Test, withHost: boolean): Promise<string> {
  const dataDir = tempDataDir()
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const ctx = await buildTestApp(t, { dataDir, keepDataDir: true })
  if (withHost) await createHostViaApi(ctx.app, ctx.adminToken, 'already-here')
  await ctx.app.close()
  await ctx.store.close()
  return dataDir
}

t.test('import refusals and merges', { skip: postgresUnavailable() ?? false }, async (t) => {
  const pg: UpstreamPostgres = await startUpstreamPostgres(t)
  const url = await pg.createDatabase('fleet')
  await seedUpstream(pg, 'fleet', '2.x')

  t.test('a dry run prints what would move and changes nothing', async (t) => {
    const dataDir = await usedDataDir(t, false)
    const before = snapshot(dataDir)
    const summary = await importUpstream({ dataDir, databaseUrl: url, dryRun: true, merge: false })
    t.equal(summary.counts.get('hosts'), 2)
    t.match(summary.render(), /^Dry run: nothing was written\. Would import from upstream PatchMon 2\.x/)
    t.match(summary.render(), /"Ops webhook": imported disabled; its settings are encrypted upstream and no --env-file was given/)
    t.same(snapshot(dataDir), before, 'every file of the data folder is as it was')
  })

  t.test('a data folder with hosts is refused without --merge; --merge adds the fleet and skips what is there', async (t) => {
    const dataDir = await usedDataDir(t, true)
    const before = snapshot(dataDir)
    await t.rejects(importUpstream({ dataDir, databaseUrl: url, dryRun: false, merge: false, secretKey: keyOf(dataDir) }), {
      message: `${dataDir} already holds 1 hosts. An import is meant for a new appliance: adding a second fleet to a used one is a merge, which keeps what is there and skips upstream hosts, users, groups and tokens whose names or keys it already has. Run again with --merge to do that, or use an empty --data-dir.`
    })
    t.same(snapshot(dataDir), before, 'the refusal wrote nothing')
    const merged = await importUpstream({ dataDir, databaseUrl: url, dryRun: false, merge: true, secretKey: keyOf(dataDir) })
    t.equal(merged.counts.get('hosts'), 2)
    t.match(merged.notes.join('\n'), /user admin: a user with this name is already here; kept ours/)
    const again = await importUpstream({ dataDir, databaseUrl: url, dryRun: false, merge: true, secretKey: keyOf(dataDir) })
    t.equal(again.counts.get('hosts'), undefined, 'a second merge imports no host twice')
    t.match(again.notes.join('\n'), /host "web-1" \(patchmon_[0-9a-f]{16}\): a host with this api_id is already here; kept ours/)
    const ctx = await buildTestApp(t, { dataDir, keepDataDir: true })
    const list = (await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts', headers: bearer(ctx.adminToken) })).json()
    const names = (Array.isArray(list) ? list : (list.hosts ?? list.data)).map((h: { friendly_name: string }) => h.friendly_name).sort()
    t.same(names, ['already-here', 'db-1', 'web-1'])
  })

  t.test("the first-start administrator (generated password, never signed in) gives way to upstream's admin", async (t) => {
    const dataDir = tempDataDir()
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
    const store = openStore(databaseFile(dataDir))
    await migrateToLatest(store)
    t.ok((await ensureFirstAdmin(store.db, undefined)).generatedPassword, 'the appliance made its admin at first start')
    await store.close()
    const summary = await importUpstream({ dataDir, databaseUrl: url, dryRun: false, merge: false, secretKey: keyOf(dataDir) })
    t.match(summary.notes.join('\n'), /user admin: replaces the administrator this appliance made at its first start \(never signed in\)/)
    // buildTestApp signs in as admin with upstream's password (ADMIN_PASSWORD in the seed).
    const ctx = await buildTestApp(t, { dataDir, keepDataDir: true })
    const me = (await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(ctx.adminToken) })).json()
    t.match(me.user, { username: 'admin', role: 'superadmin' })
  })

  t.test('a running server on the data folder blocks the import', async (t) => {
    const dataDir = await usedDataDir(t, false)
    const lock = acquireDataDirLock(dataDir, 'serve')
    t.teardown(() => lock.release())
    await t.rejects(importUpstream({ dataDir, databaseUrl: url, dryRun: false, merge: false, secretKey: keyOf(dataDir) }), {
      message: new RegExp(`^${dataDir} is in use by the PatchMon server \\(pid ${process.pid}`)
    })
  })

  t.test('unreachable, foreign and half-migrated databases are refused clearly, without the password', async (t) => {
    const dataDir = tempDataDir()
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
    const closed = `postgresql://postgres:${PG_PASSWORD}@127.0.0.1:1/nothing`
    const err = await importUpstream({ dataDir, databaseUrl: closed, dryRun: true, merge: false }).catch((e: Error) => e)
    t.match((err as Error).message, /^cannot connect to the upstream database 127\.0\.0\.1:1\/nothing: /)
    t.notOk((err as Error).message.includes(PG_PASSWORD))

    await pg.createDatabase('empty')
    await t.rejects(importUpstream({ dataDir, databaseUrl: pg.url('empty'), dryRun: true, merge: false }), {
      message: /^127\.0\.0\.1:\d+\/empty is not an upstream PatchMon database: it has no hosts table$/
    })
    await pg.createDatabase('dirty')
    await pg.exec('dirty', upstreamDdl('2.x'))
    await pg.exec('dirty', 'UPDATE schema_migrations SET version = 48, dirty = true')
    await t.rejects(importUpstream({ dataDir, databaseUrl: pg.url('dirty'), dryRun: true, merge: false }), {
      message: /has a schema this importer does not read \(migration 48 stopped half-way: schema_migrations is dirty\)/
    })
    await pg.createDatabase('oldhosts')
    await pg.exec('oldhosts', upstreamDdl('2.x'))
    await pg.exec('oldhosts', 'ALTER TABLE hosts DROP COLUMN api_key')
    // The command line: exit status 1 and the one line from the error table.
    const cli = runImportCli(['--database-url', pg.url('oldhosts'), '--data-dir', dataDir, '--dry-run'])
    t.equal(cli.status, 1)
    t.match(
      cli.stderr,
      /^patchmon: the upstream database 127\.0\.0\.1:\d+\/oldhosts has a schema this importer does not read \(hosts lacks api_key\)\n$/
    )
    const usage = runImportCli(['--data-dir', dataDir])
    t.equal(usage.status, 1)
    t.match(usage.stderr, /usage: patchmon import-upstream --database-url/)
  })

  t.test('a bad env file stops the import before anything is read', async (t) => {
    const dataDir = tempDataDir()
    const envFile = join(dataDir, 'wrong.env')
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
    await t.rejects(importUpstream({ dataDir, databaseUrl: url, envFile: join(dataDir, 'missing.env'), dryRun: true, merge: false }), {
      message: `cannot read the env file ${join(dataDir, 'missing.env')}: ENOENT`
    })
    writeFileSync(envFile, 'AI_ENCRYPTION_KEY=0000000000000000000000000000000000000000000000000000000000000000\n')
    await t.rejects(importUpstream({ dataDir, databaseUrl: url, envFile, dryRun: true, merge: false }), {
      message: new RegExp(`^the upstream key from ${envFile} does not open notification destination "Ops webhook"`)
    })
    writeFileSync(envFile, 'LOG_LEVEL=info\n')
    await t.rejects(importUpstream({ dataDir, databaseUrl: url, envFile, dryRun: true, merge: false }), {
      message: /sets none of AI_ENCRYPTION_KEY/
    })
  })

  t.test('a 1.4.x database: plain-text and cost-12 host keys and a 16-byte-IV Discord secret come over', async (t) => {
    await pg.createDatabase('legacy')
    const secrets: SeededSecrets = await seedUpstream(pg, 'legacy', '1.4.x')
    await pg.exec('legacy', "UPDATE hosts SET api_key = $1 WHERE friendly_name = 'web-1'", [
      '$2a$12$' + (await import('bcrypt')).default.hashSync(secrets.web.apiKey, 12).slice(7)
    ])
    const dataDir = tempDataDir()
    const envFile = join(dataDir, 'upstream.env')
    writeFileSync(envFile, ENV_FILE_TEXT)
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
    const summary = await importUpstream({
      dataDir,
      databaseUrl: pg.url('legacy'),
      envFile,
      dryRun: false,
      merge: false,
      secretKey: keyOf(dataDir)
    })
    t.match(summary.source, /^1\.4\.x \(Prisma\)/)
    t.equal(summary.counts.get('hosts'), 3)
    t.match(
      summary.notes.join('\n'),
      /host "legacy-1": its agent key was stored in plain text upstream \(1\.4\.x\); stored here as a bcrypt hash/
    )
    const ctx = await buildTestApp(t, { dataDir, keepDataDir: true })
    for (const host of [secrets.web, secrets.db, secrets.legacy!]) {
      const ping = await ctx.app.inject({ method: 'POST', url: '/api/v1/hosts/ping', headers: agentHeaders(host), payload: '' })
      t.equal(ping.statusCode, 200, `ping with the old key of ${host.apiId}`)
    }
    const discord = await loadDiscordSettings(ctx.app)
    t.equal(discord.enabled, true)
    t.equal(openClientSecret(ctx.app, discord), secrets.discordSecret, 'the 1.4.x secret (16-byte IV) was opened and sealed with our key')
  })
})
