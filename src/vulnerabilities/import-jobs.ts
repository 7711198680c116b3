// Feed imports started from the dashboard run in the background, one at a time: the upload replies
// with the import's id at once and the screen polls its history row for progress. A second import
// while one runs is refused (two imports would only race on the same advisories).
import { conflict } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import type { ExposureDeps } from './exposure-service.js'
import { runFeedImport, type ImportRequest, type ImportResult } from './import-service.js'

export class ImportJobs {
  private running: Promise<ImportResult | undefined> | null = null

  constructor(private readonly deps: ExposureDeps) {}

  get busy(): boolean {
    return this.running !== null
  }

  /**
   * Starts the import and resolves with its id once the history row exists; `cleanup` runs when the
   * import has ended, whatever the outcome (the upload's temp file is removed there).
   */
  async start(request: ImportRequest, cleanup: () => Promise<void> = async () => {}): Promise<string> {
    if (this.running) throw conflict(ERROR_MESSAGES.vulnerabilities.importRunning.message)
    return new Promise<string>((resolve, reject) => {
      let started = false
      const run = runFeedImport(this.deps, request, {}, (id) => {
        started = true
        resolve(id)
      })
        .catch((err: unknown) => {
          this.deps.log?.error({ err }, 'vulnerability feed import failed')
          if (!started) reject(err)
          return undefined
        })
        .finally(async () => {
          this.running = null
          await cleanup().catch((err: unknown) => this.deps.log?.warn({ err }, 'import cleanup failed'))
        })
      this.running = run
    })
  }

  /** Resolves when no import is running (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.running) await this.running
  }
}
