// Builds a large fleet straight into a fresh data folder for the fleet-scale proof: N hosts that
// each hold the same P Debian-like packages (the list test/helpers/agent-fixtures.ts reports, so
// a later report from the bench is mostly unchanged), one report-history row each, consistent
// denormalised counts and maintained counters. Fast path for 20 M package rows: rollback journal
// and no fsync while building, host_packages' secondary indexes and counter triggers dropped and
// re-created from their own stored SQL afterwards (an index build sorts once instead of 20 M
// random inserts), counters recomputed with the migration's aggregate. Every host has the same
// agent key, hashed with bcrypt cost 4: credential checks are not what this bench measures.
import Database from 'better-sqlite3'
import bcrypt from 'bcrypt'
import { loadConfig } from '../src/config.js'
import { databaseFile, openStore } from '../src/store/open-database.js'
import { migrateToLatest } from '../src/store/migrate.js'
import { ensureFirstAdmin } from '../src/users/first-admin.js'
import { ensureBuiltinRoles } from '../src/users/role-queries.js'
import { newId } from '../src/security/random-tokens.js'
import { debianPackages } from '../test/helpers/agent-fixtures.js'

export const SCALE_AGENT_KEY = 'fleet-scale-bench-agent-key-0123456789abcdef0123456789abcdef'
export const SCALE_PASSWORD = 'bench-admin-password'
const HOSTS_PER_CHUNK = 500

export const scaleApiId = (i: number) => `patchmon_scale${i}`

export async function buildScaleFleet(dataDir: string, hosts: number, packagesPerHost: number, updates: number): Promise<void> {
  const config = loadConfig({ PATCHMON_DATA_DIR: dataDir, PATCHMON_ADMIN_PASSWORD: SCALE_PASSWORD })
  const store = openStore(databaseFile(dataDir))
  await migrateToLatest(store)
  await ensureBuiltinRoles(store.db)
  await ensureFirstAdmin(store.db, config.adminPassword)
  await store.close()

  const sqlite = new Database(databaseFile(dataDir))
  sqlite.pragma('journal_mode = DELETE')
  sqlite.pragma('synchronous = OFF')
  sqlite.pragma('cache_size = -262144') // 256 MiB while building only
  const rebuilt = sqlite
    .prepare(
      "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'host_packages' AND type IN ('index', 'trigger') AND sql IS NOT NULL"
    )
    .all() as { type: string; name: string; sql: string }[]
  for (const r of rebuilt) sqlite.exec(`DROP ${r.type.toUpperCase()} ${r.name}`)

  const now = new Date().toISOString()
  const keyHash = await bcrypt.hash(SCALE_AGENT_KEY, 4)
  const list = debianPackages(packagesPerHost, { updates, securityEvery: 4 })
  const security = list.filter((p) => p.needsUpdate && p.isSecurityUpdate).length
  const outdated = list.filter((p) => p.needsUpdate).length
  sqlite.transaction(() => {
    const pkg = sqlite.prepare('INSERT INTO packages (id, name, description, category, created_at) VALUES (?, ?, NULL, NULL, ?)')
    sqlite.exec(
      'CREATE TEMP TABLE seed_versions (package_id TEXT, current_version TEXT, available_version TEXT, needs_update INTEGER, is_security_update INTEGER)'
    )
    const version = sqlite.prepare('INSERT INTO seed_versions VALUES (?, ?, ?, ?, ?)')
    for (const p of list) {
      const id = newId()
      pkg.run(id, p.name, now)
      version.run(id, p.currentVersion, p.availableVersion ?? null, p.needsUpdate ? 1 : 0, p.isSecurityUpdate ? 1 : 0)
    }
  })()
  const host = sqlite.prepare(`INSERT INTO hosts (id, friendly_name, api_id, api_key_hash, hostname, ip, os_type, os_version, status,
    last_update, needs_reboot, total_packages, outdated_packages, security_updates, total_repos, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, 'Debian GNU/Linux', '12 (bookworm)', 'active', ?, 0, ?, ?, ?, 2, ?, ?)`)
  const history = sqlite.prepare(
    "INSERT INTO report_history (id, host_id, status, total_packages, outdated_packages, security_updates, created_at) VALUES (?, ?, 'success', ?, ?, ?, ?)"
  )
  const rows =
    sqlite.prepare(`INSERT INTO host_packages (host_id, package_id, current_version, available_version, needs_update, is_security_update, last_checked)
    SELECT h.id, v.package_id, v.current_version, v.available_version, v.needs_update, v.is_security_update, ? FROM hosts h CROSS JOIN seed_versions v
    WHERE h.rowid > ? AND h.rowid <= ?`)
  for (let from = 0; from < hosts; from += HOSTS_PER_CHUNK) {
    const to = Math.min(hosts, from + HOSTS_PER_CHUNK)
    sqlite.transaction(() => {
      for (let i = from; i < to; i++) {
        const id = newId()
        host.run(
          id,
          `scale-${String(i).padStart(6, '0')}`,
          scaleApiId(i),
          keyHash,
          `scale-${i}.lan`,
          `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
          now,
          packagesPerHost,
          outdated,
          security,
          now,
          now
        )
        history.run(newId(), id, packagesPerHost, outdated, security, now)
      }
      // hosts' rowids are 1..N in insert order (nothing is deleted while building).
      rows.run(now, from, to)
    })()
  }
  for (const r of rebuilt) sqlite.exec(r.sql)
  sqlite.exec(`UPDATE packages SET
    host_count = (SELECT count(*) FROM host_packages hp WHERE hp.package_id = packages.id),
    hosts_needing_update = coalesce((SELECT sum(hp.needs_update) FROM host_packages hp WHERE hp.package_id = packages.id), 0),
    hosts_needing_security_update = coalesce((SELECT sum(hp.needs_update * hp.is_security_update) FROM host_packages hp WHERE hp.package_id = packages.id), 0)`)
  sqlite.exec('DROP TABLE seed_versions')
  sqlite.pragma('journal_mode = WAL')
  sqlite.close()
}
