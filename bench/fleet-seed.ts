// A fleet written straight into a bench's database (no HTTP, no bcrypt: these hosts never
// authenticate): hosts with consistent denormalised counts, 20 groups, memberships, one report
// each and optionally the same N packages on every host. Shared by the read benches.
import type Database from 'better-sqlite3'
import { newId } from '../src/security/random-tokens.js'

const GROUPS = 20
const OS = [
  ['Ubuntu', '24.04 LTS'],
  ['Ubuntu', '22.04.3 LTS'],
  ['Debian', '12'],
  ['Rocky Linux', '9.3'],
  ['Alpine Linux', '3.19']
] as const

/** Seeds hosts (with consistent denormalised counts), groups, memberships and optionally packages. */
export function seedFleet(sqlite: Database.Database, hosts: number, packagesPerHost: number): void {
  const nowMs = Date.now()
  const now = new Date(nowMs).toISOString()
  sqlite.transaction(() => {
    const group = sqlite.prepare('INSERT INTO host_groups (id, name, color, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
    const groupIds = Array.from({ length: GROUPS }, (_, g) => {
      const id = newId()
      group.run(id, `group-${String(g).padStart(2, '0')}`, '#3B82F6', now, now)
      return id
    })
    const host =
      sqlite.prepare(`INSERT INTO hosts (id, friendly_name, api_id, api_key_hash, hostname, ip, os_type, os_version, status, last_update,
      needs_reboot, total_packages, outdated_packages, security_updates, total_repos, created_at, updated_at)
      VALUES (?, ?, ?, 'not-a-real-hash', ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, 3, ?, ?)`)
    const member = sqlite.prepare('INSERT INTO host_group_memberships (host_id, host_group_id, created_at) VALUES (?, ?, ?)')
    const report = sqlite.prepare(
      "INSERT INTO report_history (id, host_id, status, total_packages, created_at) VALUES (?, ?, 'success', ?, ?)"
    )
    for (let i = 1; i <= hosts; i++) {
      const id = newId()
      const [osType, osVersion] = OS[i % OS.length] ?? OS[0]
      const outdated = packagesPerHost > 0 ? Math.min(i % 20, packagesPerHost) : i % 20
      const security = Math.min(i % 5, outdated)
      // Last reports spread over the past hour, as a real fleet's are (all still active with the
      // default 60-minute interval): one shared instant would make sort=last_update a 20,000-way tie.
      const reportedAt = new Date(nowMs - (i % 3600) * 1000).toISOString()
      host.run(
        id,
        `host-${String(i).padStart(6, '0')}`,
        `patchmon_bench${i}`,
        `host-${i}.example.com`,
        `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        osType,
        osVersion,
        reportedAt,
        i % 9 === 0 ? 1 : 0,
        packagesPerHost,
        outdated,
        security,
        now,
        now
      )
      member.run(id, groupIds[i % GROUPS], now)
      if (i % 7 === 0) member.run(id, groupIds[(i + 1) % GROUPS], now)
      report.run(newId(), id, packagesPerHost, reportedAt)
    }
    if (packagesPerHost > 0) {
      const pkg = sqlite.prepare('INSERT INTO packages (id, name, description, category, created_at) VALUES (?, ?, ?, ?, ?)')
      for (let p = 1; p <= packagesPerHost; p++) pkg.run(newId(), `package-${String(p).padStart(4, '0')}`, 'bench package', 'bench', now)
      // One statement in C instead of millions of JS round trips; rowids are 1..N in insert order,
      // so package p is outdated on host h when p <= h % 20 (matching the counts written above).
      sqlite
        .prepare(
          `INSERT INTO host_packages (host_id, package_id, current_version, available_version, needs_update, is_security_update, last_checked)
        SELECT h.id, p.id, '1.0.0',
               CASE WHEN p.rowid <= h.rowid % 20 THEN '1.0.1' END,
               CASE WHEN p.rowid <= h.rowid % 20 THEN 1 ELSE 0 END,
               CASE WHEN p.rowid <= min(h.rowid % 5, h.rowid % 20) THEN 1 ELSE 0 END,
               ?
        FROM hosts h CROSS JOIN packages p`
        )
        .run(now)
    }
  })()
}
