// `patchmon import-upstream`: reads an upstream PatchMon database (read-only) and writes it into
// this appliance's data folder through each feature's own functions. The import runs on a copy of
// our database that replaces the real one in one rename when everything went in, so a failure half
// way leaves the data folder as it was; a dry run does the same work on a copy and throws it away.
import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { acquireDataDirLock, refuseDatabaseInUse } from '../backup/data-dir-lock.js'
import { swapInDatabase } from '../backup/restore-database.js'
import { countHosts } from '../hosts/host-import.js'
import { createSecretBox } from '../security/secret-box.js'
import { fillMessage } from '../http/error-messages.js'
import { databaseFile, openStore, type Store } from '../store/open-database.js'
import { migrateToLatest } from '../store/migrate.js'
import { ImportError, IMPORT_ERRORS as E } from './import-errors.js'
import type { ImportContext } from './import-context.js'
import { ImportSummary } from './import-summary.js'
import { openUpstream, type UpstreamConnection } from './upstream-connection.js'
import { loadUpstreamKeys } from './upstream-secrets.js'
import { readGroups, readHostBatches } from './read-hosts.js'
import { readCustomRoleNames, readSettings, readTokens, readUsers } from './read-accounts.js'
import { countPatchRuns, readDestinations, readPolicies, readRoutes, readScheduledReports } from './read-alerts.js'
import { writeScheduledReports } from './write-reports.js'
import { HostWriter, writeGroups } from './write-hosts.js'
import { writeTokens, writeUsers } from './write-accounts.js'
import { writeDestinations, writePolicies, writeRoutes, writeSettings } from './write-alerts.js'
import { writeOidcSettings } from './write-oidc.js'
import { BUILTIN_ROLES } from '../users/permissions.js'
import { ensureBuiltinRoles } from '../users/role-queries.js'

export interface ImportOptions {
  dataDir: string
  databaseUrl: string
  envFile?: string | undefined
  dryRun: boolean
  merge: boolean
  /** Our secret-encryption key (seals TOTP seeds and destination configs); a dry run needs none. */
  secretKey?: Buffer | undefined
  /** Hosts per batch read from upstream. */
  batchSize?: number
}

/** Upstream tables whose contents are history or have no counterpart here: named in every summary. */
const NOT_IMPORTED = [
  'sessions and trusted devices (everyone signs in again)',
  'update history, statistics, job, audit and alert history',
  'Docker and compliance data (agents send Docker data again with their next report)',
  'Redis contents (rate limits, lockouts, queues)'
]

async function importInto(ctx: ImportContext, conn: UpstreamConnection, merge: boolean, dataDir: string, batchSize: number): Promise<void> {
  const existingHosts = await countHosts(ctx.store.db)
  if (existingHosts > 0 && !merge) throw new ImportError(fillMessage(E.dataFolderHasHosts, { dir: dataDir, count: existingHosts }))
  await writeGroups(ctx, await readGroups(conn))
  const hosts = new HostWriter(ctx)
  for await (const batch of readHostBatches(conn, batchSize)) await hosts.write(batch)
  for (const role of await readCustomRoleNames(conn, Object.keys(BUILTIN_ROLES))) {
    ctx.summary.note(`custom role "${role}" is not carried over; its users get "readonly" (create the role here and reassign them)`)
  }
  const settings = await readSettings(conn)
  // Before the users: their OIDC links belong to the issuer of these settings.
  const oidcIssuer = await writeOidcSettings(ctx, settings)
  await writeUsers(ctx, await readUsers(conn), oidcIssuer)
  await writeTokens(ctx, await readTokens(conn))
  const destinations = await readDestinations(conn)
  await writeDestinations(ctx, destinations)
  await writeRoutes(ctx, await readRoutes(conn), new Map(destinations.map((d) => [d.id, d.display_name])))
  await writeSettings(ctx, settings)
  await writePolicies(ctx, await readPolicies(conn))
  await writeScheduledReports(ctx, await readScheduledReports(conn))
  const runs = await countPatchRuns(conn)
  if (runs > 0) ctx.summary.note(`patch run history (${runs} runs): not carried over (upstream keeps it)`)
  for (const what of NOT_IMPORTED) ctx.summary.note(`not imported: ${what}`)
}

/** A copy of our database (or a new one) in `file`, migrated, ready to import into. */
async function workingCopy(dataDir: string, file: string): Promise<Store> {
  const current = databaseFile(dataDir)
  if (existsSync(current)) {
    // Not readonly: a read-only connection cannot remove the -wal/-shm files it creates on close,
    // which would leave traces of a dry run. This one writes nothing and tidies up after itself.
    const source = new Database(current, { fileMustExist: true })
    try {
      await source.backup(file)
    } finally {
      source.close()
    }
  }
  const store = openStore(file)
  await migrateToLatest(store)
  // Users name their role: the built-in roles must exist before the first one is written.
  await ensureBuiltinRoles(store.db)
  return store
}

export async function importUpstream(options: ImportOptions): Promise<ImportSummary> {
  // The env file first: a typo there should not cost a database connection.
  const keys = options.envFile ? loadUpstreamKeys(options.envFile) : undefined
  const lock = options.dryRun ? undefined : acquireDataDirLock(options.dataDir, 'import-upstream')
  const scratch = mkdtempSync(join(options.dryRun ? tmpdir() : options.dataDir, options.dryRun ? 'patchmon-import-dry-run-' : '.import-'))
  try {
    if (!options.dryRun) refuseDatabaseInUse(options.dataDir, 'import-upstream')
    const conn = await openUpstream(options.databaseUrl)
    const work = join(scratch, 'patchmon.db')
    let store: Store | undefined
    try {
      store = await workingCopy(options.dataDir, work)
      const summary = new ImportSummary(`${conn.schema.label} at ${conn.where}`, options.dryRun)
      const ctx: ImportContext = {
        store,
        // A dry run seals nothing it keeps: a throw-away key spares it the data folder's key files.
        box: createSecretBox(options.secretKey ?? randomBytes(32)),
        summary,
        keys,
        dryRun: options.dryRun,
        groupIds: new Map(),
        userIds: new Map(),
        hostIds: new Set(),
        destinationIds: new Map()
      }
      await importInto(ctx, conn, options.merge, options.dataDir, options.batchSize ?? 50)
      await store.close()
      store = undefined
      if (!options.dryRun) {
        const previous = swapInDatabase(options.dataDir, work, 'import-upstream')
        if (previous) summary.note(`the database as it was before the import is kept as ${previous}`)
      }
      return summary
    } finally {
      await store?.close()
      await conn.close()
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
    lock?.release()
  }
}
