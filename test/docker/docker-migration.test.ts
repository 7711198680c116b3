// Migration 0024 fills the new image and container columns of inventories stored before it from the
// agent objects kept in `details`, so the Docker screen shows them before the host's next inventory.
import t from 'tap'
import { rmSync } from 'node:fs'
import { Migrator, sql } from 'kysely'
import { migrations } from '../../migrations/index.js'
import { createHost } from '../../src/hosts/host-service.js'
import { migrateToLatest } from '../../src/store/migrate.js'
import { databaseFile, openStore } from '../../src/store/open-database.js'
import { tempDataDir } from '../helpers/test-app.js'
import { agentContainer, agentImage } from './docker-fixtures.js'

t.test('migration 0024 fills image id, repository, tag and size of inventories stored before it', async (t) => {
  const dir = tempDataDir('patchmon-0024-')
  const store = openStore(databaseFile(dir))
  t.teardown(async () => {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0024_docker_updates_and_history'))
  await new Migrator({ db: store.db, provider: { getMigrations: async () => before }, allowUnorderedMigrations: true }).migrateToLatest()
  const { host } = await createHost(store.db, { friendlyName: 'old' })
  const now = new Date().toISOString()
  const container = agentContainer({ id: 'c1', name: 'web', image: 'nginx', tag: '1.27', state: 'running' })
  // Written as the 0004 schema allowed: identity, name, state and the agent's object as received.
  await sql`insert into docker_containers (host_id, container_id, name, image, state, status, details, updated_at)
    values (${host.id}, 'c1', 'web', 'nginx:1.27', 'running', 'Up 3 hours', ${JSON.stringify(container)}, ${now})`.execute(store.db)
  await sql`insert into docker_images (host_id, object_id, name, details, updated_at)
    values (${host.id}, 'sha256:nginx-1.27', 'nginx:1.27', ${JSON.stringify(agentImage('nginx', '1.27', 187_000_000))}, ${now})`.execute(
    store.db
  )
  await sql`insert into docker_images (host_id, object_id, name, details, updated_at)
    values (${host.id}, 'broken', 'broken', 'not json', ${now})`.execute(store.db)
  await migrateToLatest(store)

  t.match(await store.db.selectFrom('docker_containers').selectAll().executeTakeFirstOrThrow(), {
    image_id: 'sha256:nginx-1.27',
    update_available: 0,
    available_tag: null
  })
  t.same(
    await store.db
      .selectFrom('docker_images')
      .select(['object_id', 'repository', 'tag', 'size_bytes', 'update_available'])
      .orderBy('object_id')
      .execute(),
    [
      { object_id: 'broken', repository: '', tag: '', size_bytes: null, update_available: 0 },
      { object_id: 'sha256:nginx-1.27', repository: 'nginx', tag: '1.27', size_bytes: 187_000_000, update_available: 0 }
    ],
    'a row whose details are not JSON keeps the defaults'
  )
})
