// What a host reports about a repository — its display name and whether it is secure — belongs to
// the host's link, not to the catalogue row all hosts share: otherwise any one host (or a stolen
// agent key) renames the repository and flips is_secure on every other host's page. The link
// gets its own copy, filled from the catalogue for links made before this migration.
import { sql, type Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- schema builders do not need table types
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('host_repositories')
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema
    .alterTable('host_repositories')
    .addColumn('is_secure', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await sql`UPDATE host_repositories SET
    name = (SELECT r.name FROM repositories r WHERE r.id = host_repositories.repository_id),
    is_secure = (SELECT r.is_secure FROM repositories r WHERE r.id = host_repositories.repository_id)`.execute(db)
}
