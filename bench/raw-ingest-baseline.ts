// The baseline of the ingest bench: the same rows written into the same schema by a plain
// better-sqlite3 transaction with prepared statements, no HTTP, no validation, no diffing.
// Each trial is a new host's first report on a catalogue that already knows the names (as for
// the app's measured reports, which follow a warm-up report).
import { randomUUID } from 'node:crypto'
import { openStore } from '../src/store/open-database.js'
import { migrateToLatest } from '../src/store/migrate.js'
import type { AgentPackage } from '../test/helpers/agent-fixtures.js'

export async function rawIngestMs(file: string, packages: AgentPackage[], trials: number): Promise<number[]> {
  const store = openStore(file)
  await migrateToLatest(store)
  const db = store.sqlite
  const insertHost = db.prepare(
    `insert into hosts (id, friendly_name, api_id, api_key_hash, status, created_at, updated_at) values (?, ?, ?, 'x', 'pending', ?, ?)`
  )
  const insertPackage = db.prepare('insert into packages (id, name, created_at) values (?, ?, ?) on conflict (name) do nothing')
  const packageId = db.prepare('select id from packages where name = ?').pluck()
  const insertHostPackage =
    db.prepare(`insert into host_packages (host_id, package_id, current_version, available_version, needs_update, is_security_update, last_checked)
    values (?, ?, ?, ?, ?, ?, ?)`)
  const updateHost = db.prepare(
    `update hosts set total_packages = ?, outdated_packages = ?, security_updates = ?, status = 'active', last_update = ?, updated_at = ? where id = ?`
  )
  const insertHistory =
    db.prepare(`insert into report_history (id, host_id, status, total_packages, outdated_packages, security_updates, payload_kb, created_at)
    values (?, ?, 'success', ?, ?, ?, ?, ?)`)
  const write = db.transaction((hostId: string, now: string) => {
    let outdated = 0
    let security = 0
    for (const p of packages) {
      insertPackage.run(randomUUID(), p.name, now)
      const id = packageId.get(p.name) as string
      insertHostPackage.run(
        hostId,
        id,
        p.currentVersion,
        p.availableVersion ?? null,
        p.needsUpdate ? 1 : 0,
        p.isSecurityUpdate ? 1 : 0,
        now
      )
      if (p.needsUpdate) outdated++
      if (p.needsUpdate && p.isSecurityUpdate) security++
    }
    updateHost.run(packages.length, outdated, security, now, now, hostId)
    insertHistory.run(randomUUID(), hostId, packages.length, outdated, security, 200, now)
  })
  const times: number[] = []
  try {
    for (let i = 0; i <= trials; i++) {
      const hostId = randomUUID()
      const now = new Date().toISOString()
      insertHost.run(hostId, `raw-${i}`, `raw_${i}`, now, now)
      const t0 = performance.now()
      write.immediate(hostId, now)
      // Trial 0 fills the catalogue, like the app's warm-up report.
      if (i > 0) times.push(performance.now() - t0)
    }
  } finally {
    await store.close()
  }
  return times
}
