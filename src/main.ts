// The only entry point: a small CLI. `serve` (default) reads config, opens the store, runs
// pending migrations, creates the first admin, builds the app and listens.
import { existsSync } from 'node:fs'
import { ConfigError, describeSettings, loadConfig, parseFlags, resolveDataDir, type AppConfig } from './config.js'
import { databaseFile, openStore, type Store } from './store/open-database.js'
import { migrateToLatest } from './store/migrate.js'
import { checkDatabaseIntegrity, refuseLostDatabase } from './store/start-checks.js'
import { buildApp } from './app.js'
import { ensureFirstAdmin, startFirstAdminHash } from './users/first-admin.js'
import { turnOffOidcOnlyMode } from './oidc/oidc-settings-queries.js'
import { newPassword } from './security/random-tokens.js'
import { createUserFromCli, prepareUserCommands, resetPasswordFromCli, resetTfaFromCli, UserCommandError } from './users/user-service.js'
import { APP_VERSION, PRODUCT_NAME } from './version.js'
import { acquireDataDirLock, refuseDatabaseInUse } from './backup/data-dir-lock.js'
import { trackConnections } from './http/connection-drain.js'
import { descriptorLimits, openDescriptors, watchDescriptors } from './http/descriptor-watch.js'
import { backupDatabase } from './backup/backup-database.js'
import { restoreDatabase } from './backup/restore-database.js'
import { probeHealth } from './health-probe.js'
import { recordServingVersion, snapshotBeforeUpgrade } from './backup/upgrade-snapshot.js'
import { rollbackToSnapshot } from './backup/rollback.js'
import { CollectConfigError } from './proxmox/collect-config.js'
import { cveCommand, CveCommandError } from './vulnerabilities/cve-command.js'

const HELP = `${PRODUCT_NAME} ${APP_VERSION}

Usage: patchmon [command] [options]

Commands:
  serve                              start the server (default)
  migrate                            apply pending database migrations and exit
  admin create <username> [role]     create a user; the password comes from PATCHMON_ADMIN_PASSWORD or is generated and printed
  admin reset-password <username>    set a new password (PATCHMON_ADMIN_PASSWORD or generated) and sign the user out everywhere
  admin reset-tfa <username>         turn two-factor authentication off (lost phone and backup codes)
  admin allow-password-login         break-glass: turn OIDC-only mode off so password sign-in works again
  backup <file>                      write a consistent copy of the database (and the data folder's keys) while the server runs
  restore <file>                     replace the database with a backup; the server must be stopped; the previous one is kept
  health                             ask the server on this machine for GET /health (PORT, HOST); exit 0 when healthy
  proxmox-collect [--config FILE] [--exclude LIST] [--dry-run]
                                     on a Proxmox host: report every running LXC container's packages without an agent (docs/proxmox.md)
  rollback [--force]                 after a bad upgrade: put back the newest pre-upgrade snapshot (without --force: only show what would be lost),
  import-upstream --database-url postgresql://USER:PASSWORD@HOST/DB [--env-file upstream.env] [--dry-run] [--merge]
                                     move hosts, users, credentials and alert set-up from an upstream PatchMon (server stopped);
                                     see docs/moving-from-patchmon.md
  cve import FILE...                 import vulnerability feeds (OSV, Debian security tracker, CISA KEV); see docs/vulnerabilities.md
  version                            print the version

Settings (environment variable, flag, meaning):
${describeSettings()}
`

export class CliError extends Error {}

/**
 * Requests in flight at SIGTERM get this long to finish; then their sockets are cut so the
 * process exits 0 within 2 s (systemd's stop timeout is far longer, and agents retry anyway).
 */
const SHUTDOWN_GRACE_MS = 1_000

async function withStore<T>(config: AppConfig, fn: (store: Store) => Promise<T>): Promise<T> {
  checkDatabaseIntegrity(databaseFile(config.dataDir))
  await snapshotBeforeUpgrade(config.dataDir, config.upgradeSnapshots, (line) => console.log(line))
  const store = openStore(databaseFile(config.dataDir))
  try {
    await migrateToLatest(store)
    recordServingVersion(store.sqlite)
    await prepareUserCommands(store.db)
    return await fn(store)
  } finally {
    await store.close()
  }
}

/** Human-readable logs when a person watches the terminal; JSON lines otherwise (journald, files). */
async function prettyLogStream(): Promise<{ logStream?: NodeJS.WritableStream }> {
  if (!process.stdout.isTTY || process.env.PATCHMON_LOG_FORMAT === 'json') return {}
  // pino-pretty used as a plain stream, not a transport: transports start worker files, which a
  // single executable does not have.
  const { default: pretty } = await import('pino-pretty')
  return { logStream: pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }) }
}

async function serve(config: AppConfig): Promise<void> {
  // No database file yet: a first start, so the admin's password hash can start right away.
  const earlyAdminHash = existsSync(databaseFile(config.dataDir)) ? undefined : startFirstAdminHash(config.adminPassword)
  // Held while serving, so `patchmon restore` refuses to swap the database under a live server.
  const lock = acquireDataDirLock(config.dataDir, 'serve')
  let integrity: ReturnType<typeof checkDatabaseIntegrity>
  let snapshot: Awaited<ReturnType<typeof snapshotBeforeUpgrade>>
  try {
    refuseDatabaseInUse(config.dataDir, 'serve')
    integrity = checkDatabaseIntegrity(databaseFile(config.dataDir))
    // Before any migration touches the file: the way back from a bad upgrade (`patchmon rollback`).
    snapshot = await snapshotBeforeUpgrade(config.dataDir, config.upgradeSnapshots, () => undefined)
  } catch (err) {
    lock.release()
    throw err
  }
  const store = openStore(databaseFile(config.dataDir))
  const migrations = await migrateToLatest(store)
  recordServingVersion(store.sqlite)
  // On a first start the admin's bcrypt hash (started above) runs on libuv's thread pool meanwhile.
  const firstAdmin = ensureFirstAdmin(store.db, config.adminPassword, earlyAdminHash)
  const app = await buildApp({ config, store, ...(await prettyLogStream()) })
  if (integrity.skipped && integrity.bytes > 0) {
    app.log.info(
      { file: integrity.file, bytes: integrity.bytes },
      'database integrity check skipped: the file is larger than the start-up check reads'
    )
  } else if (!integrity.skipped) {
    app.log.info({ file: integrity.file, bytes: integrity.bytes, ms: integrity.ms }, 'database integrity check passed')
  }
  if (snapshot) {
    app.log.info(
      {
        snapshot: snapshot.file,
        fromVersion: snapshot.fromVersion,
        bytes: snapshot.bytes,
        pending: snapshot.pending,
        pruned: snapshot.removed
      },
      'pre-upgrade snapshot written (patchmon rollback puts it back)'
    )
  }
  for (const r of migrations.results ?? []) app.log.info({ migration: r.migrationName, status: r.status }, 'migration applied')
  const admin = await firstAdmin
  if (admin.generatedPassword) {
    // Printed once, on stdout, outside the JSON log so it is easy to spot and copy.
    process.stdout.write(
      `\n==================================================================\n` +
        `  First start: created the administrator account\n` +
        `    username: ${admin.username}\n` +
        `    password: ${admin.generatedPassword}\n` +
        `  This password is shown only once. Sign in and change it.\n` +
        `==================================================================\n\n`
    )
  } else if (admin.created) {
    app.log.info({ username: admin.username }, 'created the first admin with PATCHMON_ADMIN_PASSWORD')
  }

  const drain = trackConnections(app.server)
  let stopDescriptorWatch = () => {}
  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down: finishing in-flight requests')
    // app.close() stops accepting connections, waits for in-flight requests, runs onClose hooks
    // (timers stop, queues drain); then the WAL is checkpointed and the database closed.
    const force = setTimeout(() => {
      app.log.error('shutdown took longer than 15 s; exiting')
      process.exit(1)
    }, 15_000)
    force.unref()
    stopDescriptorWatch()
    const stopDrain = drain.begin(SHUTDOWN_GRACE_MS)
    try {
      await app.close()
      await store.close()
      lock.release()
      process.exitCode = 0
    } catch (err) {
      app.log.error({ err }, 'error during shutdown')
      process.exitCode = 1
    } finally {
      stopDrain()
    }
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  process.once('SIGINT', () => void shutdown('SIGINT'))

  await app.listen({ port: config.port, host: config.host })
  app.timers.start()
  stopDescriptorWatch = watchDescriptors(app.server, app.log)
  const fdLimits = descriptorLimits()
  if (fdLimits) app.log.info({ openFiles: openDescriptors(), limit: fdLimits.soft, hardLimit: fdLimits.hard }, 'file descriptor limit')
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host
  app.log.info({ dataDir: config.dataDir }, `PatchMon appliance listening on http://${shownHost}:${config.port}`)
}

/** Runs a user command, turning its refusal into the CLI's error (printed without a stack). */
async function cliUserCommand<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (err instanceof UserCommandError) throw new CliError(err.message)
    throw err
  }
}

async function adminCommand(config: AppConfig, args: string[]): Promise<void> {
  const [action, username, role] = args
  if (action === 'create') {
    if (!username) throw new CliError('usage: patchmon admin create <username> [role]')
    await withStore(config, async (store) => {
      const roleName = role ?? 'superadmin'
      const password = config.adminPassword ?? newPassword()
      // A generated password is only printed here: the dashboard asks for a new one at first sign-in.
      await cliUserCommand(() =>
        createUserFromCli(store.db, { username, role: roleName, password, mustChangePassword: !config.adminPassword })
      )
      console.log(`Created ${roleName} ${username}` + (config.adminPassword ? ' with PATCHMON_ADMIN_PASSWORD' : `\npassword: ${password}`))
    })
    return
  }
  if (action === 'reset-password') {
    if (!username) throw new CliError('usage: patchmon admin reset-password <username>')
    await withStore(config, async (store) => {
      const password = config.adminPassword ?? newPassword()
      await cliUserCommand(() => resetPasswordFromCli(store.db, username, password, !config.adminPassword))
      console.log(`Password of ${username} reset` + (config.adminPassword ? ' to PATCHMON_ADMIN_PASSWORD' : `\npassword: ${password}`))
    })
    return
  }
  if (action === 'reset-tfa') {
    if (!username) throw new CliError('usage: patchmon admin reset-tfa <username>')
    await withStore(config, async (store) => {
      const hadTfa = await cliUserCommand(() => resetTfaFromCli(store.db, username))
      console.log(hadTfa ? `Two-factor authentication of ${username} turned off` : `${username} had no two-factor authentication`)
    })
    return
  }
  if (action === 'allow-password-login') {
    await withStore(config, async (store) => {
      const wasOn = await turnOffOidcOnlyMode(store.db)
      console.log(wasOn ? 'OIDC-only mode turned off: password sign-in works again' : 'OIDC-only mode was not on in the dashboard settings')
      if (config.oidc.disableLocalAuth) {
        console.log('OIDC_DISABLE_LOCAL_AUTH=true in the environment still turns it on: remove it and restart the server')
      }
    })
    return
  }
  throw new CliError('usage: patchmon admin create|reset-password|reset-tfa <username> | admin allow-password-login')
}

export async function runCli(argv: string[]): Promise<void> {
  const positional = argv.filter(
    (a, i) =>
      !a.startsWith('--') &&
      !(
        i > 0 &&
        (argv[i - 1] ?? '').startsWith('--') &&
        !(argv[i - 1] ?? '').includes('=') &&
        (argv[i - 1] ?? '') !== '--help' &&
        (argv[i - 1] ?? '') !== '--force' &&
        (argv[i - 1] ?? '') !== '--version'
      )
  )
  if (argv.includes('--help') || argv.includes('-h') || positional[0] === 'help') {
    process.stdout.write(HELP)
    return
  }
  if (argv.includes('--version') || positional[0] === 'version') {
    console.log(`patchmon ${APP_VERSION}`)
    return
  }
  const command = positional[0] ?? 'serve'
  if (command === 'health') {
    // Before loadConfig(): a probe reads PORT and HOST only, and must never create a data folder.
    const probe = await probeHealth(process.env, parseFlags(argv))
    if (!probe.healthy) throw new CliError(probe.line)
    console.log(probe.line)
    return
  }
  if (command === 'proxmox-collect') {
    // Runs on the Proxmox host with its own settings file: no data folder is read or created.
    // Loaded only for this command, as is import-upstream's: their HTTP and PostgreSQL clients
    // (undici, pg) would otherwise be evaluated on every start of the server.
    const { proxmoxCollectCommand } = await import('./proxmox/collect-command.js')
    if (!(await proxmoxCollectCommand(process.env, argv))) process.exitCode = 1
    return
  }
  // Before loadConfig(), which generates missing keys: their presence tells a lost database from a first start.
  if (command === 'serve' || command === 'migrate' || command === 'admin' || command === 'import-upstream') {
    refuseLostDatabase(resolveDataDir(process.env, parseFlags(argv)))
  }
  // A dry run resolves the data folder only: loading the config would create it and its keys.
  if (command === 'import-upstream') {
    const { importUpstreamCommand } = await import('./import-upstream/import-command.js')
    return importUpstreamCommand(argv, (line) => console.log(line))
  }
  const config = loadConfig(process.env, argv)
  switch (command) {
    case 'serve':
      return serve(config)
    case 'migrate': {
      // Not under a running server: its code expects the schema it started with.
      const lock = acquireDataDirLock(config.dataDir, 'migrate')
      try {
        refuseDatabaseInUse(config.dataDir, 'migrate')
        await withStore(config, async (store) => {
          console.log(`Database ${store.file} is at the latest schema`)
        })
      } finally {
        lock.release()
      }
      return
    }
    case 'backup':
    case 'restore': {
      const file = positional[1]
      if (!file) throw new CliError(`usage: patchmon ${command} <file>`)
      const report = (line: string) => console.log(line)
      if (command === 'backup') await backupDatabase(config.dataDir, file, report)
      else await restoreDatabase(config.dataDir, file, report)
      return
    }
    case 'rollback': {
      const result = await rollbackToSnapshot(config.dataDir, argv.includes('--force'), (line) => console.log(line))
      if (!result.restored)
        throw new CliError('nothing changed: stop the server, then run `patchmon rollback --force` to restore this snapshot')
      return
    }
    case 'admin':
      return adminCommand(config, positional.slice(1))
    case 'cve': {
      const ok = await cveCommand(
        positional.slice(1),
        (fn) => withStore(config, fn),
        (line) => console.log(line)
      )
      if (!ok) process.exitCode = 1
      return
    }
    default:
      throw new CliError(`unknown command ${command} (try --help)`)
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).catch((err: unknown) => {
    if (err instanceof ConfigError || err instanceof CliError || err instanceof CollectConfigError || err instanceof CveCommandError) {
      console.error(`patchmon: ${err.message}`)
    } else {
      console.error(`patchmon: ${err instanceof Error ? err.message : String(err)}`)
    }
    process.exit(1)
  })
}
