// Applies one agent report to the database in a single transaction: the host's package set is
// replaced, repositories and their host links upserted, the host's facts (only those sent),
// denormalised counts, last_update and status updated, and a report_history row appended.
//
// Write only what changed: the stored rows are compared with the report, so an unchanged
// re-report writes the host row and one history row and nothing else. Cheaper still, the host row
// keeps a digest of the last package set and repositories (package-set-digest.ts): a report with
// the same digest skips reading and comparing those rows altogether.
//
// Concurrency: the whole write is one synchronous better-sqlite3 transaction (BEGIN IMMEDIATE),
// run while holding Kysely's connection lock (db.connection()), so it never interleaves with an
// async Kysely transaction on the same connection, and concurrent reports simply queue; the
// busy_timeout covers other processes. SQLITE_BUSY never reaches a client.
import type Database from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import type { HostFactColumns } from './host-facts.js'
import { newId } from '../security/random-tokens.js'
import { OutboxWriter, type OutboxEntry } from '../events/event-outbox.js'
import { param, PreparedQuery, type BindValue } from '../store/prepared-query.js'
import { PackageCatalogue } from './package-catalogue.js'
import { REPORTS_KEPT_PER_HOST } from './report-retention.js'
import { packageSetDigest, type IngestPackage } from './package-set-digest.js'
import {
  ingestStatements,
  type IngestHost,
  type IngestStatements,
  type StoredHostPackage,
  type StoredHostRepository,
  type StoredRepository
} from './report-ingest-statements.js'

export type { IngestPackage }

export interface IngestRepository {
  name?: string | null | undefined
  url: string
  distribution?: string | null | undefined
  components?: string | null | undefined
  repoType?: string | null | undefined
  isEnabled?: boolean | null | undefined
  isSecure?: boolean | null | undefined
}

export interface IngestReport {
  hostId: string
  packages: IngestPackage[]
  /** null/undefined = not sent: the host's repositories stay as they are. */
  repositories?: IngestRepository[] | null | undefined
  facts: HostFactColumns
  payloadBytes: number
  executionTimeSeconds: number | null
}

export interface IngestOutcome {
  hostName: string
  packagesProcessed: number
  updatesAvailable: number
  securityUpdates: number
  previousSecurityUpdates: number
  /** Names of the packages with a security update (for the notification). */
  securityPackages: string[]
  /** False when the package set and repositories were exactly as stored (same digest). */
  packagesChanged: boolean
  /**
   * Written to the outbox inside the ingest transaction when the security count rose: emit it
   * (emitCommitted) once ingest() has returned.
   */
  securityEvent?: OutboxEntry<'security_updates_available'>
}

const FOREIGN_KEY_FAILED = 'SQLITE_CONSTRAINT_FOREIGNKEY'

/** Resolves in the check phase of the loop iteration after the current one's poll. */
const nextLoopTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** A name listed twice counts once (the later entry wins), as the primary key demands. */
function distinctByName(packages: IngestPackage[]): Map<string, IngestPackage> {
  const byName = new Map<string, IngestPackage>()
  for (const pkg of packages) byName.set(pkg.name, pkg)
  return byName
}

function countsOf(byName: Map<string, IngestPackage>) {
  let outdated = 0
  const securityPackages: string[] = []
  for (const pkg of byName.values()) {
    if (!pkg.needsUpdate) continue
    outdated++
    if (pkg.isSecurityUpdate) securityPackages.push(pkg.name)
  }
  return { total: byName.size, outdated, securityPackages }
}

export class ReportIngest {
  private readonly statements: IngestStatements
  private readonly catalogue: PackageCatalogue
  private readonly outbox: OutboxWriter
  /** Host-column updates differ by which facts were sent: one prepared statement per column set. */
  private readonly hostUpdates = new Map<string, PreparedQuery<Record<string, BindValue>>>()
  private readonly transaction: Database.Transaction<(report: IngestReport, now: string, digest: string) => IngestOutcome | undefined>
  /**
   * Reports are written one per event-loop turn. A report's transaction holds the one JavaScript
   * thread for tens of milliseconds, and reports whose bodies were already buffered used to run
   * back to back inside a single loop iteration (each finished report admitting the next
   * without returning to the loop). Such an iteration answered no ping and accepted no
   * connection — libuv accepts one connection per iteration — so under a large fleet iterations
   * lasted seconds, the listen backlog overflowed and agents saw SYN retries, connect timeouts
   * and minutes-long waits while the CPU was half idle. Waiting for the next turn (setImmediate)
   * before each write puts a poll phase (accepts, pings, timers such as the admission's
   * 503 deadline) between any two reports.
   */
  private turns: Promise<void> = Promise.resolve()

  constructor(
    private readonly db: Kysely<DB>,
    private readonly sqlite: Database.Database
  ) {
    this.statements = ingestStatements(db, sqlite)
    this.catalogue = new PackageCatalogue(db, sqlite)
    this.outbox = new OutboxWriter(db, sqlite)
    this.transaction = sqlite.transaction((report: IngestReport, now: string, digest: string) => this.write(report, now, digest))
  }

  /** Undefined when the host no longer exists (deleted while its report was in flight). */
  async ingest(report: IngestReport, now = new Date()): Promise<IngestOutcome | undefined> {
    // Hashed before taking the connection: the write lock is held only for the writing.
    const digest = packageSetDigest(report.packages, report.repositories)
    const written = this.turns.then(nextLoopTurn).then(() =>
      this.db.connection().execute(async () => {
        try {
          return this.runOnce(report, now.toISOString(), digest)
        } catch (err) {
          // A cached catalogue id whose row was deleted behind our back: reload and try once more.
          if ((err as { code?: string }).code !== FOREIGN_KEY_FAILED) throw err
          this.catalogue.reset()
          return this.runOnce(report, now.toISOString(), digest)
        }
      })
    )
    this.turns = written.then(
      () => undefined,
      () => undefined
    )
    return written
  }

  private runOnce(report: IngestReport, now: string, digest: string): IngestOutcome | undefined {
    try {
      const outcome = this.transaction.immediate(report, now, digest)
      this.catalogue.commit()
      return outcome
    } catch (err) {
      this.catalogue.rollback()
      throw err
    }
  }

  private write(report: IngestReport, now: string, digest: string): IngestOutcome | undefined {
    const s = this.statements
    const host = s.host.get<IngestHost>({ id: report.hostId })
    if (!host) return undefined
    // Same digest: the rows already say exactly this (the digest was written with them).
    const unchanged = host.package_set_digest === digest
    const byName = distinctByName(report.packages)
    const counts = countsOf(byName)
    if (!unchanged) this.replacePackages(report.hostId, byName, now)
    const totalRepos =
      report.repositories && !unchanged ? this.replaceRepositories(report.hostId, report.repositories, now) : host.total_repos
    this.updateHost(report.hostId, {
      ...report.facts,
      package_set_digest: digest,
      total_packages: counts.total,
      outdated_packages: counts.outdated,
      security_updates: counts.securityPackages.length,
      total_repos: totalRepos,
      status: 'active',
      last_update: now,
      updated_at: now
    })
    s.insertHistory.run({
      id: newId(),
      host_id: report.hostId,
      total_packages: counts.total,
      outdated_packages: counts.outdated,
      security_updates: counts.securityPackages.length,
      payload_kb: Math.round((report.payloadBytes / 1024) * 100) / 100,
      execution_time_seconds: report.executionTimeSeconds,
      created_at: now
    })
    s.trimHistory.run({ host_id: report.hostId, offset: REPORTS_KEPT_PER_HOST - 1 })
    const securityUpdates = counts.securityPackages.length
    // Decided here, in the transaction that raises the count: the next report would not raise it again.
    const securityEvent =
      securityUpdates > host.security_updates
        ? this.outbox.write(
            'security_updates_available',
            {
              hostId: report.hostId,
              hostName: host.friendly_name,
              previousCount: host.security_updates,
              securityCount: securityUpdates,
              packages: counts.securityPackages
            },
            new Date(now)
          )
        : undefined
    return {
      hostName: host.friendly_name,
      packagesProcessed: counts.total,
      updatesAvailable: counts.outdated,
      securityUpdates,
      previousSecurityUpdates: host.security_updates,
      securityPackages: counts.securityPackages,
      packagesChanged: !unchanged,
      ...(securityEvent ? { securityEvent } : {})
    }
  }

  private replacePackages(hostId: string, byName: Map<string, IngestPackage>, now: string): void {
    const s = this.statements
    const stored = new Map<string, StoredHostPackage>()
    for (const row of s.hostPackages.all<StoredHostPackage>({ host_id: hostId })) stored.set(row.package_id, row)
    for (const pkg of byName.values()) {
      const packageId = this.catalogue.idOf(pkg, now)
      const needsUpdate = pkg.needsUpdate ? 1 : 0
      const isSecurity = pkg.isSecurityUpdate ? 1 : 0
      const available = pkg.availableVersion ?? null
      // Empty is as good as not sent: NULL, "unknown".
      const sourceName = pkg.sourceName || null
      const old = stored.get(packageId)
      stored.delete(packageId)
      if (
        old &&
        old.current_version === pkg.currentVersion &&
        old.available_version === available &&
        old.needs_update === needsUpdate &&
        old.is_security_update === isSecurity &&
        old.source_name === sourceName
      )
        continue
      s.upsertHostPackage.run({
        host_id: hostId,
        package_id: packageId,
        current_version: pkg.currentVersion,
        available_version: available,
        needs_update: needsUpdate,
        is_security_update: isSecurity,
        source_name: sourceName,
        last_checked: now
      })
    }
    // Whatever the report no longer lists was removed from the host.
    for (const packageId of stored.keys()) s.deleteHostPackage.run({ host_id: hostId, package_id: packageId })
  }

  private replaceRepositories(hostId: string, repositories: IngestRepository[], now: string): number {
    const s = this.statements
    const linked = new Map<string, StoredHostRepository>()
    for (const row of s.hostRepositories.all<StoredHostRepository>({ host_id: hostId })) linked.set(row.repository_id, row)
    const seen = new Set<string>()
    for (const repo of repositories) {
      const identity = {
        url: repo.url,
        distribution: repo.distribution ?? '',
        components: repo.components ?? '',
        repo_type: repo.repoType ?? ''
      }
      const name = repo.name || repo.url
      const isSecure = repo.isSecure ? 1 : 0
      const existing = s.repositoryByIdentity.get<StoredRepository>(identity)
      let repositoryId: string
      // The catalogue row keeps the first reporter's name and flag; what this host says is stored on its own link.
      if (existing) {
        repositoryId = existing.id
      } else {
        repositoryId = newId()
        s.insertRepository.run({ id: repositoryId, name, ...identity, is_secure: isSecure, now })
      }
      if (seen.has(repositoryId)) continue
      seen.add(repositoryId)
      const isEnabled = repo.isEnabled === false ? 0 : 1
      const link = linked.get(repositoryId)
      linked.delete(repositoryId)
      if (!link || link.is_enabled !== isEnabled || link.name !== name || link.is_secure !== isSecure) {
        s.upsertHostRepository.run({ host_id: hostId, repository_id: repositoryId, is_enabled: isEnabled, name, is_secure: isSecure, now })
      }
    }
    for (const repositoryId of linked.keys()) s.deleteHostRepository.run({ host_id: hostId, repository_id: repositoryId })
    return seen.size
  }

  private updateHost(hostId: string, columns: Record<string, BindValue>): void {
    const names = Object.keys(columns).sort()
    const key = names.join(',')
    let statement = this.hostUpdates.get(key)
    if (!statement) {
      const set = Object.fromEntries(names.map((n) => [n, param(n)]))
      statement = new PreparedQuery(this.sqlite, this.db.updateTable('hosts').set(set).where('id', '=', param('__host_id')))
      this.hostUpdates.set(key, statement)
    }
    statement.run({ ...columns, __host_id: hostId })
  }
}
