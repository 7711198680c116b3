// One feed import, whatever started it (the CLI, a dashboard upload, the scheduled download): a
// history row, the streamed import, then the fleet's exposure recomputed when anything changed.
import { newId } from '../security/random-tokens.js'
import type { FeedReader } from './feed-advisory.js'
import { FeedImport, importChangedAnything, type ImportCounts } from './feed-import.js'
import { finishImportRow, progressImportRow, startImportRow } from './import-history-queries.js'
import { recomputeFleetExposure, type ExposureDeps } from './exposure-service.js'

export type ImportOrigin = 'cli' | 'upload' | 'schedule'

export interface ImportRequest {
  /** A file name or URL, as the history shows it. */
  source: string
  origin: ImportOrigin
  open: () => Promise<FeedReader>
}

export interface ImportResult {
  id: string
  status: 'completed' | 'failed'
  format: string | null
  counts: ImportCounts
  hostsRecomputed: number
  error: string | null
}

export interface ImportListener {
  onProgress?: (counts: Readonly<ImportCounts>) => void
  onHost?: (done: number, total: number) => void
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 500)

/** Writes the history row first and returns its id through `started` (the upload route replies with it). */
export async function runFeedImport(
  deps: ExposureDeps,
  request: ImportRequest,
  listener: ImportListener = {},
  started?: (id: string) => void
): Promise<ImportResult> {
  const db = deps.store.db
  const id = newId()
  await startImportRow(db, { id, source: request.source, origin: request.origin, format: null, startedAt: new Date().toISOString() })
  started?.(id)
  const feedImport = new FeedImport(deps.store)
  let format: string | null = null
  try {
    const reader = await request.open()
    format = reader.format
    await feedImport.run(reader.records, (counts) => {
      listener.onProgress?.(counts)
      void progressImportRow(db, id, counts, format).catch((err: unknown) => deps.log?.warn({ err }, 'import progress not recorded'))
    })
  } catch (err) {
    const counts = feedImport.changes.counts
    await finishImportRow(db, id, { status: 'failed', counts, error: errorText(err), finishedAt: new Date().toISOString() })
    // Batches before the failure are committed: the exposure follows what is stored.
    const hostsRecomputed = importChangedAnything(feedImport.changes) ? await recomputeFleetExposure(deps, listener.onHost) : 0
    return { id, status: 'failed', format, counts, hostsRecomputed, error: errorText(err) }
  }
  const hostsRecomputed = importChangedAnything(feedImport.changes) ? await recomputeFleetExposure(deps, listener.onHost) : 0
  const counts = feedImport.changes.counts
  await finishImportRow(db, id, { status: 'completed', counts, error: null, finishedAt: new Date().toISOString() })
  return { id, status: 'completed', format, counts, hostsRecomputed, error: null }
}
