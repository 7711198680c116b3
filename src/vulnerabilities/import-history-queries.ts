// The feed import history (vulnerability_imports): one row per import, written when it starts and
// brought up to date as batches commit, so the dashboard can poll a running import's progress.
import type { Kysely } from 'kysely'
import type { DB, VulnerabilityImportRow } from '../store/database-types.js'
import type { ImportCounts } from './feed-import.js'

export async function startImportRow(
  db: Kysely<DB>,
  row: { id: string; source: string; origin: string; format: string | null; startedAt: string }
): Promise<void> {
  await db
    .insertInto('vulnerability_imports')
    .values({ id: row.id, source: row.source, origin: row.origin, format: row.format, status: 'running', started_at: row.startedAt })
    .execute()
}

function countColumns(counts: ImportCounts) {
  return {
    records_read: counts.recordsRead,
    added: counts.added,
    updated: counts.updated,
    unchanged: counts.unchanged,
    skipped: counts.skipped
  }
}

export async function progressImportRow(db: Kysely<DB>, id: string, counts: ImportCounts, format: string | null): Promise<void> {
  await db
    .updateTable('vulnerability_imports')
    .set({ ...countColumns(counts), format })
    .where('id', '=', id)
    .execute()
}

export async function finishImportRow(
  db: Kysely<DB>,
  id: string,
  outcome: { status: 'completed' | 'failed'; counts: ImportCounts; error: string | null; finishedAt: string }
): Promise<void> {
  await db
    .updateTable('vulnerability_imports')
    .set({ ...countColumns(outcome.counts), status: outcome.status, error_message: outcome.error, finished_at: outcome.finishedAt })
    .where('id', '=', id)
    .execute()
}

export async function importRow(db: Kysely<DB>, id: string): Promise<VulnerabilityImportRow | undefined> {
  return db.selectFrom('vulnerability_imports').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function recentImports(db: Kysely<DB>, limit: number): Promise<VulnerabilityImportRow[]> {
  return db.selectFrom('vulnerability_imports').selectAll().orderBy('started_at', 'desc').orderBy('id').limit(limit).execute()
}

/** A history row for an import that failed before reading anything (a scheduled download that failed). */
export async function recordFailedImport(
  db: Kysely<DB>,
  row: { id: string; source: string; origin: string; error: string }
): Promise<void> {
  const now = new Date().toISOString()
  await startImportRow(db, { id: row.id, source: row.source, origin: row.origin, format: null, startedAt: now })
  const counts = { recordsRead: 0, added: 0, updated: 0, unchanged: 0, skipped: 0 }
  await finishImportRow(db, row.id, { status: 'failed', counts, error: row.error.slice(0, 500), finishedAt: now })
}
