// A migration killed at any point (first start or upgrade) must never brick the database: the
// next start brings it to the latest schema. A real child process migrates and SIGKILLs itself
// after statement 1, 2, 3, ... until a run completes; after each kill the database is migrated
// again here and compared with one that was never interrupted.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { buildSync } from 'esbuild'
import { migrations } from '../../migrations/index.js'
import { openStore } from '../../src/store/open-database.js'
import { migrateToLatest } from '../../src/store/migrate.js'
import { tempDataDir } from '../helpers/test-app.js'

const ROOT = join(__dirname, '../..')
const CHILD = join(__dirname, '../fixtures/crash-children/migrate-child.ts')
/** Bound on the loop: far more statements than all migrations have together. */
const MAX_STEPS = 400

function schemaOf(file: string): string[] {
  const db = new Database(file, { readonly: true })
  try {
    const rows = db.prepare(`SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`).all() as {
      type: string
      name: string
      sql: string | null
    }[]
    return rows.map((r) => `${r.type} ${r.name}: ${r.sql ?? ''}`)
  } finally {
    db.close()
  }
}

/** The child bundled once: one start per statement of every migration, so a plain node start
 * (tens of ms) instead of tsx compiling the sources each time keeps the test well inside its timeout. */
function bundleChild(dir: string): string {
  const outfile = join(dir, 'migrate-child.cjs')
  buildSync({
    entryPoints: [CHILD],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    external: ['better-sqlite3'],
    logLevel: 'error'
  })
  return outfile
}

function migrateInChild(child: string, file: string, killAfter: number) {
  return spawnSync(join(ROOT, 'node_modules/.bin/node'), [child, file], {
    cwd: ROOT,
    env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules'), KILL_AFTER_STATEMENT: String(killAfter) },
    encoding: 'utf8',
    timeout: 60_000
  })
}

t.test('a migration killed after any statement leaves a database the next start migrates to the latest schema', async (t) => {
  const dir = tempDataDir()
  const reference = join(dir, 'reference.db')
  const clean = openStore(reference)
  await migrateToLatest(clean)
  await clean.close()
  const expected = schemaOf(reference)
  const child = bundleChild(dir)

  let kills = 0
  let completed = false
  for (let step = 1; step <= MAX_STEPS && !completed; step++) {
    const file = join(dir, `killed-at-${step}.db`)
    const run = migrateInChild(child, file, step)
    if (run.status === 0) {
      completed = true
      t.match(run.stdout, /statements=\d+/, `an uninterrupted run completes (at step ${step})`)
      break
    }
    if (run.signal !== 'SIGKILL') {
      t.fail(`step ${step}: migration failed instead of being killed: ${run.stderr.slice(0, 500)}`)
      break
    }
    kills++
    const store = openStore(file)
    try {
      await migrateToLatest(store)
    } catch (err) {
      t.fail(`after a kill at statement ${step} the next start fails: ${(err as Error).message}`)
      break
    } finally {
      await store.close()
    }
    const names = (
      new Database(file, { readonly: true }).prepare('SELECT name FROM kysely_migration ORDER BY name').all() as { name: string }[]
    ).map((r) => r.name)
    if (
      JSON.stringify(schemaOf(file)) !== JSON.stringify(expected) ||
      JSON.stringify(names) !== JSON.stringify(Object.keys(migrations).sort())
    ) {
      t.same(schemaOf(file), expected, `schema after a kill at statement ${step}`)
      break
    }
  }
  t.ok(completed, 'the loop reached a run that was not killed')
  t.ok(kills > Object.keys(migrations).length * 2, `killed at every one of ${kills} statements`)
})
