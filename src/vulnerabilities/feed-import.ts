// Writes a stream of normalised feed records (feed-advisory.ts) into the advisory tables. Bounded in
// memory: records are taken BATCH_SIZE at a time and each batch is one synchronous transaction, so a
// full OSV dump never sits in memory and a failure loses at most the batch in flight (earlier batches
// stay: a re-run finds them unchanged). Incremental: each record's normalised content is hashed, and a
// record whose digest matches the stored one does no row work at all.
import { createHash } from 'node:crypto'
import type { Store } from '../store/open-database.js'
import type { FeedAdvisory, FeedRecord, KnownExploitedEntry } from './feed-advisory.js'
import { importStatements, type ImportStatements } from './import-statements.js'

/**
 * Records per transaction. Small on purpose: the records of a batch stay alive while the reader awaits the
 * next zip entries, so every young-generation GC in that time promotes them (and the zip chunks in flight) to
 * the old generation, which V8 lets grow before it collects. At 500 an OSV Debian dump import peaked ~50 MiB
 * above reading the same feed; at 50 it stays close to it, at about the same speed (a WAL commit is cheap).
 */
export const BATCH_SIZE = 50
/** Progress (and the history row's counts) is reported every this many records, not per batch. */
export const PROGRESS_EVERY = 500

export interface ImportCounts {
  recordsRead: number
  added: number
  updated: number
  unchanged: number
  /** Advisories that name no package of a distribution we match (nothing to store). */
  skipped: number
}

/** What changed: any added or updated record means the fleet's exposure is recomputed. */
export interface ImportChanges {
  counts: ImportCounts
}

export const importChangedAnything = (changes: ImportChanges): boolean => changes.counts.added + changes.counts.updated > 0

export type ImportProgress = (counts: Readonly<ImportCounts>) => void

const digestOf = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex')

/**
 * The stored key of an advisory record. The Debian tracker sends one record per (source package, CVE), so
 * the same CVE arrives once per package: keyed by package too, each part is stored and compared on its own
 * (a re-import finds each part unchanged) instead of one part replacing the other. OSV records are whole.
 */
export function advisoryKey(advisory: Pick<FeedAdvisory, 'feed' | 'id' | 'affected'>): string {
  const packageName = advisory.feed === 'debian-tracker' ? advisory.affected[0]?.packageName : undefined
  return packageName === undefined ? `${advisory.feed}/${advisory.id}` : `${advisory.feed}/${advisory.id}/${packageName}`
}

type Outcome = 'added' | 'updated' | 'unchanged' | 'skipped'

export class FeedImport {
  private readonly statements: ImportStatements
  private readonly writeBatch: (batch: FeedRecord[], now: string) => void
  readonly changes: ImportChanges = {
    counts: { recordsRead: 0, added: 0, updated: 0, unchanged: 0, skipped: 0 }
  }

  constructor(private readonly store: Store) {
    this.statements = importStatements(store.db, store.sqlite)
    const transaction = store.sqlite.transaction((batch: FeedRecord[], now: string) => {
      for (const record of batch)
        this.count(record.kind === 'advisory' ? this.advisory(record.advisory, now) : this.exploited(record.entry, now))
    })
    this.writeBatch = (batch, now) => transaction.immediate(batch, now)
  }

  /** Reads every record, writing a batch at a time; progress is reported every PROGRESS_EVERY records and at the end. */
  async run(records: AsyncIterable<FeedRecord>, onProgress?: ImportProgress): Promise<ImportChanges> {
    let batch: FeedRecord[] = []
    let reported = 0
    for await (const record of records) {
      batch.push(record)
      if (batch.length >= BATCH_SIZE) {
        await this.flush(batch)
        batch = []
        if (this.changes.counts.recordsRead - reported >= PROGRESS_EVERY) {
          reported = this.changes.counts.recordsRead
          onProgress?.(this.changes.counts)
        }
      }
    }
    if (batch.length > 0) await this.flush(batch)
    onProgress?.(this.changes.counts)
    return this.changes
  }

  private async flush(batch: FeedRecord[]): Promise<void> {
    const now = new Date().toISOString()
    // Kysely's connection lock: the synchronous transaction never interleaves with an async one.
    await this.store.db.connection().execute(async () => this.writeBatch(batch, now))
    this.changes.counts.recordsRead += batch.length
  }

  private count(outcome: Outcome): void {
    this.changes.counts[outcome]++
  }

  private advisory(advisory: FeedAdvisory, now: string): Outcome {
    if (advisory.affected.length === 0) return 'skipped'
    const s = this.statements
    const id = advisoryKey(advisory)
    const digest = digestOf(advisory)
    const stored = s.advisoryDigest.get<{ content_digest: string }>({ id })
    if (stored?.content_digest === digest) return 'unchanged'
    s.upsertAdvisory.run({
      id,
      feed: advisory.feed,
      advisory_id: advisory.id,
      cve_ids: JSON.stringify(advisory.cveIds),
      summary: advisory.summary,
      severity: advisory.severity,
      cvss_score: advisory.cvssScore,
      cvss_vector: advisory.cvssVector,
      published: advisory.published,
      modified: advisory.modified,
      content_digest: digest,
      imported_at: now
    })
    if (stored) {
      s.deleteCves.run({ advisory_id: id })
      s.deleteAffected.run({ advisory_id: id })
    }
    for (const cveId of advisory.cveIds) s.insertCve.run({ advisory_id: id, cve_id: cveId })
    for (const affected of advisory.affected) {
      s.insertAffected.run({
        advisory_id: id,
        distro: affected.distro,
        release: affected.release,
        package_name: affected.packageName,
        name_kind: affected.nameKind,
        ranges: JSON.stringify(affected.ranges),
        versions: JSON.stringify(affected.versions),
        severity: affected.severity
      })
    }
    return stored ? 'updated' : 'added'
  }

  private exploited(entry: KnownExploitedEntry, now: string): Outcome {
    const s = this.statements
    const digest = digestOf(entry)
    const stored = s.exploitedDigest.get<{ content_digest: string }>({ cve_id: entry.cveId })
    if (stored?.content_digest === digest) return 'unchanged'
    s.upsertExploited.run({
      cve_id: entry.cveId,
      vendor: entry.vendor,
      product: entry.product,
      name: entry.name,
      date_added: entry.dateAdded,
      due_date: entry.dueDate,
      known_ransomware_use: entry.knownRansomwareUse === null ? null : entry.knownRansomwareUse ? 1 : 0,
      content_digest: digest,
      imported_at: now
    })
    return stored ? 'updated' : 'added'
  }
}
