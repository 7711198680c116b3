// Trend storage (issue 20 part 2): how much a year of daily figures costs per host, and what the
// daily snapshot costs at 1,000 and 10,000 hosts.
//  - Growth: BENCH_TREND_HOSTS (1,000) hosts get 365 daily rows each, written through the real
//    snapshot (takeDailySnapshot, one call per day) into a real migrated SQLite file; bytes per
//    host-day are measured with SQLite's dbstat (the table's pages: its primary key is its only
//    b-tree), and as the
//    file's growth after a checkpoint. Baseline: the same rows in the naive layout (a rowid table
//    with a separate unique index), written in the same run.
//  - Snapshot: takeDailySnapshot at 1,000 and 10,000 hosts (insert, then the same day again: the
//    upsert a restart would do), next to the read it starts with (hostListRows) as the baseline.
// Run: npm run bench -- trend-storage
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { databaseFile, openStore, type Store } from '../src/store/open-database.js'
import { migrateToLatest } from '../src/store/migrate.js'
import { takeDailySnapshot } from '../src/trends/daily-snapshot.js'
import { hostListRows } from '../src/hosts/host-read-queries.js'
import { pruneTrendsBefore } from '../src/trends/snapshot-queries.js'
import { seedFleet } from './fleet-seed.js'

const HOSTS = Number(process.env['BENCH_TREND_HOSTS'] ?? 1000)
const DAYS = 365
const SNAPSHOT_FLEETS = (process.env['BENCH_TREND_SNAPSHOT_HOSTS'] ?? '1000,10000').split(',').map(Number)
const DAY_MS = 86_400_000

async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'patchmon-trend-bench-'))
  const store = openStore(databaseFile(dir))
  try {
    await migrateToLatest(store)
    return await work(store)
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

function fileBytes(store: Store): number {
  store.sqlite.pragma('wal_checkpoint(TRUNCATE)')
  return statSync(store.file).size
}

/** Bytes of the pages of these b-trees (tables and indexes), from the dbstat virtual table. */
function btreeBytes(store: Store, names: string[]): number {
  const marks = names.map(() => '?').join(',')
  return (store.sqlite.prepare(`select coalesce(sum(pgsize), 0) as n from dbstat where name in (${marks})`).get(...names) as { n: number })
    .n
}

/** Changes a few hosts' figures so the days differ (as real days do). */
function driftFigures(store: Store, day: number): void {
  store.sqlite
    .prepare(
      'update hosts set outdated_packages = (outdated_packages + ?) % 40, security_updates = (security_updates + ?) % 6 where rowid % 10 = ?'
    )
    .run(day % 3, day % 2, day % 10)
}

async function growth(): Promise<void> {
  await withStore(async (store) => {
    seedFleet(store.sqlite, HOSTS, 0)
    // Every host patched at some point, so days_since_patch is filled like on a real fleet.
    store.sqlite
      .prepare(
        "insert into trend_host_states (host_id, outdated_packages, last_patched_at, updated_at) select id, outdated_packages, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' from hosts"
      )
      .run()
    const before = fileBytes(store)
    const start = Date.parse('2026-01-02T00:30:00Z')
    const t0 = process.hrtime.bigint()
    for (let d = 0; d < DAYS; d++) {
      driftFigures(store, d)
      await takeDailySnapshot(store.db, new Date(start + d * DAY_MS), async () => new Map([['none', 0]]))
    }
    const writeSeconds = Number(process.hrtime.bigint() - t0) / 1e9
    const rows = (store.sqlite.prepare('select count(*) as n from trend_host_days').get() as { n: number }).n
    const after = fileBytes(store)
    const hostBtree = btreeBytes(store, ['trend_host_days'])
    const fleetBtree = btreeBytes(store, ['trend_fleet_days', 'sqlite_autoindex_trend_fleet_days_1'])

    // Retention's daily work once a year is stored: one day's rows of every host.
    const ids = (store.sqlite.prepare('select id from hosts').all() as { id: string }[]).map((r) => r.id)
    const p0 = process.hrtime.bigint()
    const pruned = await pruneTrendsBefore(store.db, ids, '2026-01-03')
    const pruneMs = Number(process.hrtime.bigint() - p0) / 1e6

    // Baseline: the naive layout, same rows, same file.
    store.sqlite
      .exec(`create table naive_host_days (id integer primary key, host_id text not null, day text not null, outdated_packages integer not null,
      security_updates integer not null, needs_reboot integer not null, cves_open integer, days_since_patch real);
      create unique index naive_host_day on naive_host_days (host_id, day); create index naive_day on naive_host_days (day);
      insert into naive_host_days (host_id, day, outdated_packages, security_updates, needs_reboot, cves_open, days_since_patch)
        select host_id, day, outdated_packages, security_updates, needs_reboot, cves_open, days_since_patch from trend_host_days order by day, host_id;`)
    const naive = btreeBytes(store, ['naive_host_days', 'naive_host_day', 'naive_day'])
    const naiveRows = (store.sqlite.prepare('select count(*) as n from naive_host_days').get() as { n: number }).n
    const perNaiveRow = naive / naiveRows

    const perHostDay = hostBtree / rows
    console.log(`growth: ${HOSTS} hosts x ${DAYS} days = ${rows} host rows, written by ${DAYS} snapshots in ${writeSeconds.toFixed(1)} s`)
    console.log(
      `  trend_host_days (its primary key is its only b-tree): ${(hostBtree / 1e6).toFixed(1)} MB = ${perHostDay.toFixed(1)} bytes per host-day`
    )
    console.log(
      `  per host per year: ${((perHostDay * DAYS) / 1024).toFixed(1)} KiB; 10,000 hosts x 2 years (default retention): ${((perHostDay * DAYS * 2 * 10_000) / 1e9).toFixed(2)} GB`
    )
    console.log(`  retention: one day pruned from the year (${pruned} rows) in ${pruneMs.toFixed(0)} ms`)
    console.log(`  fleet rows: ${(fleetBtree / 1024).toFixed(0)} KiB for the year`)
    console.log(
      `  database file grew ${((after - before) / 1e6).toFixed(1)} MB (${((after - before) / rows).toFixed(1)} bytes per host-day incl. fleet rows and free pages)`
    )
    console.log(
      `  baseline (rowid table + unique index + day index): ${perNaiveRow.toFixed(1)} bytes per host-day; ours = ${(perHostDay / perNaiveRow).toFixed(2)} x baseline`
    )
  })
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6

async function snapshotCost(hosts: number): Promise<void> {
  await withStore(async (store) => {
    seedFleet(store.sqlite, hosts, 0)
    const cves = async () => new Map<string, number>()
    let t0 = process.hrtime.bigint()
    await hostListRows(store.db, undefined)
    const read = ms(t0)
    t0 = process.hrtime.bigint()
    await takeDailySnapshot(store.db, new Date('2026-06-01T00:10:00Z'), cves)
    const first = ms(t0)
    t0 = process.hrtime.bigint()
    await takeDailySnapshot(store.db, new Date('2026-06-01T13:00:00Z'), cves)
    const again = ms(t0)
    t0 = process.hrtime.bigint()
    await takeDailySnapshot(store.db, new Date('2026-06-02T00:10:00Z'), cves)
    const nextDay = ms(t0)
    console.log(
      `snapshot at ${hosts} hosts: ${first.toFixed(0)} ms (first day), ${again.toFixed(0)} ms (same day again: upsert), ${nextDay.toFixed(0)} ms (next day); baseline read of the hosts ${read.toFixed(0)} ms; snapshot = ${(first / read).toFixed(1)} x baseline`
    )
  })
}

export async function runTrendStorageBench(): Promise<void> {
  await growth()
  for (const hosts of SNAPSHOT_FLEETS) await snapshotCost(hosts)
}

if (require.main === module) {
  runTrendStorageBench().catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}
