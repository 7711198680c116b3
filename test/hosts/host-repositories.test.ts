// Repositories are one catalogue row per (url, distribution, components, type), shared by every
// host that reports them; what a host says about a repository (its name, whether it is secure,
// whether it is enabled) belongs to that host. One host's report must never change what another
// host shows for the same repository.
import t from 'tap'
import { rmSync } from 'node:fs'
import { Migrator } from 'kysely'
import { migrations } from '../../migrations/index.js'
import { createHost } from '../../src/hosts/host-service.js'
import { migrateToLatest } from '../../src/store/migrate.js'
import { databaseFile, openStore } from '../../src/store/open-database.js'
import { bearer, buildTestApp, tempDataDir } from '../helpers/test-app.js'
import { agentReport, createHostViaApi, postReport } from '../helpers/agent-fixtures.js'

const packages = [{ name: 'bash', currentVersion: '5.2.15-2+b2', needsUpdate: false, isSecurityUpdate: false }]
const repo = { url: 'http://deb.debian.org/debian', distribution: 'bookworm', components: 'main', repoType: 'deb' }

t.test("a host's report does not rename another host's repository or flip its is_secure", async (t) => {
  const ctx = await buildTestApp(t)
  const honest = await createHostViaApi(ctx.app, ctx.adminToken, 'honest')
  const hostile = await createHostViaApi(ctx.app, ctx.adminToken, 'hostile')
  const repositories = async (hostId: string) => {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${hostId}/repositories`, headers: bearer(ctx.adminToken) })
    t.equal(res.statusCode, 200)
    return res.json().repositories as Array<Record<string, unknown>>
  }

  t.equal(
    (
      await postReport(
        ctx,
        honest,
        agentReport(packages, { repositories: [{ ...repo, name: 'debian-main', isEnabled: true, isSecure: true }] })
      )
    ).statusCode,
    200
  )
  t.match(await repositories(honest.id), [{ name: 'debian-main', url: repo.url, is_secure: true, is_enabled: true }])

  t.equal(
    (
      await postReport(
        ctx,
        hostile,
        agentReport(packages, { repositories: [{ ...repo, name: 'totally-trusted-mirror', isEnabled: false, isSecure: false }] })
      )
    ).statusCode,
    200
  )
  t.match(
    await repositories(hostile.id),
    [{ name: 'totally-trusted-mirror', is_secure: false, is_enabled: false }],
    'the hostile host sees what it reported'
  )
  t.match(
    await repositories(honest.id),
    [{ name: 'debian-main', is_secure: true, is_enabled: true }],
    'the honest host still shows its own name and is_secure'
  )
  const [a] = await repositories(honest.id)
  const [b] = await repositories(hostile.id)
  t.equal(a?.id, b?.id, 'still one catalogue row for the shared repository')

  t.equal(
    (
      await postReport(
        ctx,
        honest,
        agentReport(packages, { repositories: [{ ...repo, name: 'debian-main-renamed', isEnabled: true, isSecure: false }] })
      )
    ).statusCode,
    200
  )
  t.match(
    await repositories(honest.id),
    [{ name: 'debian-main-renamed', is_secure: false }],
    "a host's own later report does update its view"
  )
  t.match(await repositories(hostile.id), [{ name: 'totally-trusted-mirror', is_secure: false }])
})

t.test('migration 0009 gives links made before it the catalogue name and is_secure', async (t) => {
  const dir = tempDataDir('patchmon-0009-')
  const store = openStore(databaseFile(dir))
  t.teardown(async () => {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0009_host_repository_attributes'))
  await new Migrator({ db: store.db, provider: { getMigrations: async () => before }, allowUnorderedMigrations: true }).migrateToLatest()
  const { host } = await createHost(store.db, { friendlyName: 'old' })
  const now = new Date().toISOString()
  await store.db
    .insertInto('repositories')
    .values({ id: 'r1', name: 'debian-security', url: 'http://security.debian.org', is_secure: 1, created_at: now, updated_at: now })
    .execute()
  // Written as the pre-0009 schema allowed (no per-host name or flag yet).
  await store.db.insertInto('host_repositories').values({ host_id: host.id, repository_id: 'r1', last_checked: now }).execute()
  await migrateToLatest(store)
  const link = await store.db
    .selectFrom('host_repositories')
    .select(['name', 'is_secure'])
    .where('host_id', '=', host.id)
    .executeTakeFirstOrThrow()
  t.same(link, { name: 'debian-security', is_secure: 1 })
})
