import { Migrator, type MigrationResultSet } from 'kysely'
import { migrations } from '../../migrations/index.js'
import type { Store } from './open-database.js'

/** Runs every pending forward-only migration. The index is static so it works inside the single executable. */
export async function migrateToLatest(store: Store): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations },
    // Feature branches add numbered migrations independently; order of arrival may differ.
    allowUnorderedMigrations: true
  })
  const result = await migrator.migrateToLatest()
  if (result.error) throw result.error instanceof Error ? result.error : new Error(String(result.error))
  return result
}

export function latestMigrationName(): string {
  return Object.keys(migrations).sort().at(-1) ?? ''
}
