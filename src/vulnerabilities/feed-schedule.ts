// The scheduled feed download (off by default): every `cve_download_interval_hours` each configured
// URL is fetched (feed-download.ts) and imported through the same path as an upload (ImportJobs, one
// import at a time, history origin 'schedule', source = the URL). A failure (HTTP status, timeout,
// too large, blocked by the outbound policy) becomes a failed history row and a log line; the next
// attempt waits for the next interval. The ETag / Last-Modified of a completed import are kept in
// settings so an unchanged feed answers 304 and is not downloaded or imported again.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import { ApiError } from '../http/errors.js'
import { errorOf } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import type { OutboundHttp } from '../notifications/outbound-http.js'
import { newId } from '../security/random-tokens.js'
import type { SettingsStore } from '../settings/settings-store.js'
import type { DB } from '../store/database-types.js'
import { DownloadError, requestFeed, saveBody, type Validators } from './feed-download.js'
import { openFeed } from './feeds/open-feed.js'
import type { ImportJobs } from './import-jobs.js'
import { importRow, recordFailedImport } from './import-history-queries.js'

/** Same ceiling as the upload: a full OSV Debian all.zip is a few hundred MB. */
export const DOWNLOAD_LIMIT_BYTES = 1024 * 1024 * 1024
/** One feed's whole download, headers to last byte. */
export const DOWNLOAD_TIMEOUT_MS = 30 * 60_000

export interface DownloadResult {
  /** The feed URL, as the import history's `source` shows it. */
  source: string
  outcome: 'imported' | 'unchanged' | 'failed'
  /** The import history row; null when the feed was unchanged. */
  id: string | null
  error: string | null
}

export interface FeedScheduleDeps {
  db: Kysely<DB>
  settings: SettingsStore
  http: () => OutboundHttp
  imports: ImportJobs
  log: FastifyBaseLogger
  now?: () => Date
  timeoutMs?: number
}

export class FeedSchedule {
  private running: Promise<DownloadResult[]> | null = null
  /** Aborted on close: a download in flight stops instead of holding shutdown for up to its timeout. */
  private readonly closing = new AbortController()
  /** Largest feed accepted; tests lower it. */
  limitBytes = DOWNLOAD_LIMIT_BYTES

  constructor(private readonly deps: FeedScheduleDeps) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date()
  }

  /** The timer's tick: a round when enabled and the interval has passed since the last one. */
  async tick(): Promise<DownloadResult[] | undefined> {
    const settings = await this.deps.settings.getAll()
    if (!settings.cve_download_enabled || this.running) return undefined
    const last = settings.cve_download_last_run ? Date.parse(settings.cve_download_last_run) : NaN
    const hours = Math.min(168, Math.max(1, Number(settings.cve_download_interval_hours) || 24))
    if (Number.isFinite(last) && this.now().getTime() - last < hours * 3_600_000) return undefined
    return this.runRound()
  }

  /** Downloads every configured URL now (also when the schedule is off: "Download now"). */
  async runRound(): Promise<DownloadResult[]> {
    if (this.running) throw errorOf(ERROR_MESSAGES.vulnerabilities.downloadRunning)
    const round = this.round()
    this.running = round
    try {
      return await round
    } finally {
      this.running = null
    }
  }

  async settled(): Promise<void> {
    await this.running?.catch(() => undefined)
  }

  async close(): Promise<void> {
    this.closing.abort()
    await this.settled()
  }

  private async round(): Promise<DownloadResult[]> {
    // Recorded first: a round that fails still waits a full interval before the next attempt.
    await this.deps.settings.set('cve_download_last_run', this.now().toISOString())
    const urls = await this.deps.settings.get('cve_download_urls')
    const results: DownloadResult[] = []
    for (const url of urls) {
      const result = await this.downloadOne(url)
      if (result.outcome === 'failed')
        this.deps.log.warn({ url, importId: result.id, reason: result.error }, 'vulnerability feed download failed')
      else this.deps.log.info({ url, importId: result.id, outcome: result.outcome }, 'vulnerability feed downloaded')
      results.push(result)
    }
    return results
  }

  private async downloadOne(url: string): Promise<DownloadResult> {
    const signal = AbortSignal.any([AbortSignal.timeout(this.deps.timeoutMs ?? DOWNLOAD_TIMEOUT_MS), this.closing.signal])
    const limit = this.limitBytes
    const known = (await this.deps.settings.get('cve_download_validators'))[url]
    // One import at a time: wait for an upload to end before asking, so the body is not left waiting.
    await this.deps.imports.settled()
    let fetched
    try {
      fetched = await requestFeed(this.deps.http(), url, known, signal)
    } catch (err) {
      return this.failed(url, err)
    }
    if (fetched.kind === 'unchanged') return { source: url, outcome: 'unchanged', id: null, error: null }
    const dir = await mkdtemp(join(tmpdir(), 'patchmon-feed-'))
    const file = join(dir, 'feed')
    const cleanup = () => rm(dir, { recursive: true, force: true })
    const body = fetched
    let id: string
    try {
      id = await this.startImport(
        {
          source: url,
          origin: 'schedule',
          open: async () => {
            await saveBody(body, file, limit, signal)
            return openFeed(file, { name: url })
          }
        },
        cleanup
      )
    } catch (err) {
      await body.body.cancel().catch(() => undefined)
      await cleanup()
      return this.failed(url, err)
    }
    await this.deps.imports.settled()
    const row = await importRow(this.deps.db, id)
    if (row?.status !== 'completed') return { source: url, outcome: 'failed', id, error: row?.error_message ?? 'import failed' }
    await this.remember(url, fetched.validators)
    return { source: url, outcome: 'imported', id, error: null }
  }

  /** Starts the import, waiting out an upload that slipped in between (the import runner takes one at a time). */
  private async startImport(request: Parameters<ImportJobs['start']>[0], cleanup: () => Promise<void>): Promise<string> {
    for (;;) {
      try {
        return await this.deps.imports.start(request, cleanup)
      } catch (err) {
        if (!(err instanceof ApiError) || err.statusCode !== 409) throw err
        await this.deps.imports.settled()
      }
    }
  }

  private async remember(url: string, validators: Validators): Promise<void> {
    const all = { ...(await this.deps.settings.get('cve_download_validators')) }
    if (validators.etag || validators.lastModified) all[url] = validators
    else delete all[url]
    await this.deps.settings.set('cve_download_validators', all)
  }

  private async failed(url: string, err: unknown): Promise<DownloadResult> {
    const error = err instanceof DownloadError ? err.message : `download failed: ${err instanceof Error ? err.message : String(err)}`
    const id = newId()
    await recordFailedImport(this.deps.db, { id, source: url, origin: 'schedule', error })
    return { source: url, outcome: 'failed', id, error }
  }
}
