// Child process of the migration crash test: migrates the database file given as argv[2] and
// SIGKILLs itself right after the Nth statement that reaches SQLite through Kysely (N from
// KILL_AFTER_STATEMENT). Statement N+1 of a run is the first after a COMMIT when N was the last
// of a migration, so the kills cover every point inside and between migrations. Imports only the
// store, so each of the many runs starts fast.
import type { KyselyPlugin } from 'kysely'
import { openStore } from '../../src/store/open-database.js'
import { migrateToLatest } from '../../src/store/migrate.js'

const killAfter = Number(process.env.KILL_AFTER_STATEMENT ?? 0)
let statements = 0

const killer: KyselyPlugin = {
  transformQuery: (args) => args.node,
  transformResult: async (args) => {
    if (++statements === killAfter) process.kill(process.pid, 'SIGKILL')
    return args.result
  }
}

async function main(): Promise<void> {
  const store = openStore(process.argv[2] as string)
  store.db = store.db.withPlugin(killer)
  try {
    await migrateToLatest(store)
  } finally {
    await store.close()
  }
  process.stdout.write(`statements=${statements}\n`)
}

main().catch((err: unknown) => {
  console.error((err as Error).message)
  process.exit(1)
})
