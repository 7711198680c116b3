// Builds the real app on a temp data folder (a real SQLite file), with captured log lines, and
// closes both when the test ends. Every test file starts here.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { buildApp, type BuildAppOptions } from '../../src/app.js'
import { loadConfig, type AppConfig } from '../../src/config.js'
import { databaseFile, openStore, type Store } from '../../src/store/open-database.js'
import { migrateToLatest } from '../../src/store/migrate.js'
import { ensureFirstAdmin } from '../../src/users/first-admin.js'
import { auditSecrets } from './secrets-audit.js'

export const ADMIN_PASSWORD = 'admin-password-for-tests'

export interface TestApp {
  app: FastifyInstance
  store: Store
  config: AppConfig
  dataDir: string
  /** Every log line written so far (JSON text). */
  logs: string[]
  /** Bearer token of the first admin. */
  adminToken: string
  /** Restart on the same data folder (closes the current app first). */
  restart(): Promise<TestApp>
}

export interface TestAppOptions {
  env?: Record<string, string>
  dataDir?: string
  keepDataDir?: boolean
  /** Only for tests that deliberately echo secrets (none should need it). */
  skipSecretsAudit?: boolean
  /** The "CVEs open" source given to buildApp (trends and per-host metrics). */
  cveCountsByHost?: BuildAppOptions['cveCountsByHost']
}

export function tempDataDir(prefix = 'patchmon-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export async function buildTestApp(t: Test, options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? tempDataDir()
  const logs: string[] = []
  const logStream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean))
      cb()
    }
  })
  const config = loadConfig({ PATCHMON_DATA_DIR: dataDir, LOG_LEVEL: 'info', PATCHMON_ADMIN_PASSWORD: ADMIN_PASSWORD, ...options.env })
  const store = openStore(databaseFile(dataDir))
  await migrateToLatest(store)
  const app = await buildApp({ config, store, logStream, ...(options.cveCountsByHost ? { cveCountsByHost: options.cveCountsByHost } : {}) })
  await ensureFirstAdmin(store.db, config.adminPassword)
  const audit = options.skipSecretsAudit ? undefined : auditSecrets(app)
  await app.ready()
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await app.close()
    await store.close()
  }
  t.teardown(async () => {
    await close()
    // Teardown runs after the test ended, so a violation fails the file by throwing.
    const violations = audit?.violations(logs) ?? []
    if (violations.length > 0) throw new Error(`secrets audit failed:\n${violations.join('\n')}`)
    if (!options.keepDataDir && !options.dataDir) rmSync(dataDir, { recursive: true, force: true })
  })
  const adminToken = await login(app, 'admin', ADMIN_PASSWORD)
  return {
    app,
    store,
    config,
    dataDir,
    logs,
    adminToken,
    async restart() {
      await close()
      return buildTestApp(t, { ...options, dataDir, keepDataDir: true })
    }
  }
}

export async function login(app: FastifyInstance, username: string, password: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } })
  if (res.statusCode !== 200) throw new Error(`login as ${username} failed: ${res.statusCode} ${res.body}`)
  return (res.json() as { token: string }).token
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

/** Creates a user with a role through the API and returns a token for it. */
export async function userWithRole(ctx: TestApp, role: string, username = `${role}-user`): Promise<string> {
  const password = `${username}-password`
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(ctx.adminToken),
    payload: { username, password, role }
  })
  if (res.statusCode !== 201) throw new Error(`creating ${username} failed: ${res.statusCode} ${res.body}`)
  return login(ctx.app, username, password)
}
