// Every setting of the appliance in one table: its env var, CLI flag, default and validation.
// Precedence: CLI flag > environment variable > default. A bad value stops start-up with one
// line that names the setting (see ConfigError and main.ts).
import { randomBytes, createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { invalidTargets, parseTargetList } from './notifications/target-policy.js'

export class ConfigError extends Error {}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

/** `false` = use the socket address; otherwise what Fastify's `trustProxy` accepts. */
export type TrustProxy = boolean | number | string[]

export interface RateLimitBucket {
  max: number
  windowMs: number
}

export interface AppConfig {
  port: number
  host: string
  dataDir: string
  /** Public base URL without trailing slash; undefined = derived from each request. */
  serverUrl: string | undefined
  jwtSecret: string
  jwtExpiresIn: string
  /** 32-byte key for AES-256-GCM secrets at rest. */
  secretEncryptionKey: Buffer
  trustProxy: TrustProxy
  logLevel: LogLevel
  adminPassword: string | undefined
  rateLimits: { general: RateLimitBucket; auth: RateLimitBucket; agent: RateLimitBucket; gethomepage: RateLimitBucket }
  /** Failed credential checks (each costs a bcrypt compare) allowed per client address and per key id. */
  credentialFailures: RateLimitBucket
  maxLoginAttempts: number
  lockoutMinutes: number
  jsonBodyLimit: number
  agentUpdateBodyLimit: number
  reportRetentionDays: number
  discordApiUrl: string
  metricsToken: string
  /** Outbound notification policy from the environment (widened further by the dashboard settings). */
  notifyAllowPrivateNetworks: boolean
  notifyAllowedTargets: string[]
  /** Folder of operator-supplied upstream agent binaries (`patchmon-agent-<os>-<arch>[.exe]`). */
  agentBinariesDir: string
}

type Source = Record<string, string | undefined>

interface SettingSpec<T> {
  env: string
  flag?: string
  describe: string
  parse: (raw: string) => T
}

const int =
  (min: number, max: number) =>
  (raw: string): number => {
    if (!/^-?\d+$/.test(raw.trim())) throw new Error(`must be an integer between ${min} and ${max}`)
    const n = Number(raw)
    if (n < min || n > max) throw new Error(`must be an integer between ${min} and ${max}`)
    return n
  }

const nonEmpty = (raw: string): string => {
  if (raw.trim() === '') throw new Error('must not be empty')
  return raw
}

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

export function parseServerUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    throw new Error('must be an absolute http:// or https:// URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('must start with http:// or https://')
  if (url.search || url.hash) throw new Error('must not contain a query string or fragment')
  // Agents join paths by string concatenation, so a trailing slash would give them `//api/v1`.
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '')
}

function parseTrustProxy(raw: string): TrustProxy {
  const v = raw.trim().toLowerCase()
  if (['', 'false', '0', 'off', 'no'].includes(v)) return false
  if (['true', 'on', 'yes'].includes(v)) return true
  if (/^\d+$/.test(v)) return Number(v) // number of proxy hops to trust
  // Comma-separated addresses/CIDRs of the proxies allowed to set X-Forwarded-For.
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}

function parseDuration(raw: string): string {
  if (!/^\d+\s*[smhd]$/.test(raw.trim())) throw new Error('must look like 30m, 8h or 7d')
  return raw.trim().replace(/\s+/g, '')
}

function parseBoolean(raw: string): boolean {
  const v = raw.trim().toLowerCase()
  if (['true', '1', 'yes', 'on'].includes(v)) return true
  if (['false', '0', 'no', 'off'].includes(v)) return false
  throw new Error('must be true or false')
}

function parseAllowedTargets(raw: string): string[] {
  const entries = parseTargetList(raw)
  const invalid = invalidTargets(entries)
  if (invalid.length > 0) throw new Error(`not a host name, address or CIDR range: ${invalid.slice(0, 3).join(', ')}`)
  return entries
}

const SETTINGS = {
  port: { env: 'PORT', flag: '--port', describe: 'TCP port to listen on', parse: int(1, 65535) },
  host: { env: 'HOST', flag: '--host', describe: 'address to bind', parse: nonEmpty },
  dataDir: { env: 'PATCHMON_DATA_DIR', flag: '--data-dir', describe: 'folder for the database and generated keys', parse: nonEmpty },
  serverUrl: {
    env: 'PATCHMON_SERVER_URL',
    flag: '--server-url',
    describe: 'public URL written into scripts and OAuth callbacks',
    parse: parseServerUrl
  },
  jwtSecret: {
    env: 'JWT_SECRET',
    describe: 'HMAC key for session tokens (generated when unset)',
    parse: (r: string) => {
      if (r.length < 32) throw new Error('must be at least 32 characters')
      return r
    }
  },
  jwtExpiresIn: { env: 'JWT_EXPIRES_IN', describe: 'session lifetime', parse: parseDuration },
  secretEncryptionKey: {
    env: 'SECRET_ENCRYPTION_KEY',
    describe: 'key for secrets at rest (generated when unset)',
    parse: (r: string) => keyFromString(nonEmpty(r))
  },
  trustProxy: { env: 'TRUST_PROXY', describe: 'honour X-Forwarded-For from these proxies (off by default)', parse: parseTrustProxy },
  logLevel: {
    env: 'LOG_LEVEL',
    flag: '--log-level',
    describe: 'log level',
    parse: (r: string) => {
      const v = r.trim().toLowerCase() as LogLevel
      if (!LOG_LEVELS.includes(v)) throw new Error(`must be one of ${LOG_LEVELS.join(', ')}`)
      return v
    }
  },
  adminPassword: {
    env: 'PATCHMON_ADMIN_PASSWORD',
    describe: 'password of the first admin (generated when unset)',
    parse: (r: string) => {
      if (r.length < 8) throw new Error('must be at least 8 characters')
      return r
    }
  },
  generalMax: { env: 'RATE_LIMIT_MAX', describe: 'requests per window on dashboard/admin routes', parse: int(1, 10_000_000) },
  generalWindow: { env: 'RATE_LIMIT_WINDOW_MS', describe: 'window of RATE_LIMIT_MAX', parse: int(1000, 86_400_000) },
  authMax: { env: 'AUTH_RATE_LIMIT_MAX', describe: 'login/enrollment requests per window and IP', parse: int(1, 10_000_000) },
  authWindow: { env: 'AUTH_RATE_LIMIT_WINDOW_MS', describe: 'window of AUTH_RATE_LIMIT_MAX', parse: int(1000, 86_400_000) },
  agentMax: {
    env: 'AGENT_RATE_LIMIT_MAX',
    describe: 'agent requests per window and IP (many agents may share one NAT address)',
    parse: int(1, 10_000_000)
  },
  agentWindow: { env: 'AGENT_RATE_LIMIT_WINDOW_MS', describe: 'window of AGENT_RATE_LIMIT_MAX', parse: int(1000, 86_400_000) },
  homepageMax: { env: 'GETHOMEPAGE_RATE_LIMIT_MAX', describe: 'gethomepage requests per window and IP', parse: int(1, 10_000_000) },
  homepageWindow: {
    env: 'GETHOMEPAGE_RATE_LIMIT_WINDOW_MS',
    describe: 'window of GETHOMEPAGE_RATE_LIMIT_MAX',
    parse: int(1000, 86_400_000)
  },
  failureMax: {
    env: 'CREDENTIAL_FAILURE_LIMIT_MAX',
    describe: 'failed agent/API/enrollment credential checks per window, per address and per key id',
    parse: int(1, 10_000_000)
  },
  failureWindow: {
    env: 'CREDENTIAL_FAILURE_LIMIT_WINDOW_MS',
    describe: 'window of CREDENTIAL_FAILURE_LIMIT_MAX',
    parse: int(1000, 86_400_000)
  },
  maxLoginAttempts: { env: 'MAX_LOGIN_ATTEMPTS', describe: 'failed logins before a lockout', parse: int(1, 1000) },
  lockoutMinutes: { env: 'LOCKOUT_DURATION_MINUTES', describe: 'lockout length', parse: int(1, 10_080) },
  jsonBodyLimit: {
    env: 'JSON_BODY_LIMIT',
    describe: 'largest JSON body in bytes (except agent reports)',
    parse: int(1024, 1024 * 1024 * 1024)
  },
  agentUpdateBodyLimit: { env: 'AGENT_UPDATE_BODY_LIMIT', describe: 'largest agent report in bytes', parse: int(1024, 1024 * 1024 * 1024) },
  reportRetentionDays: { env: 'AGENT_REPORTS_RETENTION_DAYS', describe: 'days of report history kept per host', parse: int(1, 3650) },
  discordApiUrl: { env: 'PATCHMON_DISCORD_API_URL', describe: 'Discord API base URL (tests point it at a fake)', parse: parseServerUrl },
  metricsToken: {
    env: 'PATCHMON_METRICS_TOKEN',
    describe: 'bearer token required by /metrics (generated into <data dir>/metrics-token when unset)',
    parse: nonEmpty
  },
  notifyAllowPrivateNetworks: {
    env: 'PATCHMON_NOTIFY_ALLOW_PRIVATE_NETWORKS',
    describe: 'true: notifications may go to LAN addresses (10/8, 172.16/12, 192.168/16, fc00::/7, 100.64/10)',
    parse: parseBoolean
  },
  notifyAllowedTargets: {
    env: 'PATCHMON_NOTIFY_ALLOWED_TARGETS',
    describe: 'host names, addresses or CIDR ranges notifications may reach although not public (comma-separated)',
    parse: parseAllowedTargets
  },
  agentBinariesDir: {
    env: 'AGENT_BINARIES_DIR',
    describe: 'folder of upstream agent binaries to serve (default <data dir>/agents)',
    parse: nonEmpty
  }
} satisfies Record<string, SettingSpec<unknown>>

type SettingName = keyof typeof SETTINGS
type Parsed<K extends SettingName> = ReturnType<(typeof SETTINGS)[K]['parse']>

/** Reads CLI flags of the form `--name value` or `--name=value`. */
export function parseFlags(argv: string[]): Source {
  const flags: Source = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (!arg.startsWith('--')) continue
    const eq = arg.indexOf('=')
    if (eq > 0) flags[arg.slice(0, eq)] = arg.slice(eq + 1)
    else if (i + 1 < argv.length && !(argv[i + 1] as string).startsWith('--')) flags[arg] = argv[++i]
  }
  return flags
}

function read<K extends SettingName>(name: K, env: Source, flags: Source): Parsed<K> | undefined {
  const spec: SettingSpec<unknown> = SETTINGS[name]
  const fromFlag = spec.flag ? flags[spec.flag] : undefined
  const raw = fromFlag ?? env[spec.env]
  if (raw === undefined || raw === '') return undefined
  try {
    return spec.parse(raw) as Parsed<K>
  } catch (err) {
    const where = fromFlag !== undefined ? `${spec.flag}` : spec.env
    throw new ConfigError(
      `Invalid ${where}: ${(err as Error).message} (got ${JSON.stringify(raw.length > 60 ? raw.slice(0, 57) + '...' : raw)})`
    )
  }
}

/** 64 hex characters are used as the raw key; anything else is stretched with SHA-256. */
export function keyFromString(raw: string): Buffer {
  const v = raw.trim()
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, 'hex')
  return createHash('sha256').update(v, 'utf8').digest()
}

/** Reads a generated secret from the data folder, creating it (mode 0600) on first use. */
function generatedSecret(dataDir: string, file: string): string {
  const path = join(dataDir, file)
  if (existsSync(path)) return readFileSync(path, 'utf8').trim()
  const value = randomBytes(32).toString('hex')
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, value + '\n', { mode: 0o600 })
  renameSync(tmp, path) // atomic: two processes starting together never see a half-written key
  chmodSync(path, 0o600)
  return readFileSync(path, 'utf8').trim()
}

export function resolveDataDir(env: Source, flags: Source, cwd = process.cwd()): string {
  // systemd's StateDirectory= exports STATE_DIRECTORY; an explicit setting still wins.
  const configured = read('dataDir', env, flags) ?? env.STATE_DIRECTORY?.split(':')[0] ?? './data'
  return isAbsolute(configured) ? configured : resolve(cwd, configured)
}

/** The setting that chose the data folder, for start-up refusals. */
function dataDirSetting(env: Source, flags: Source): string {
  if (flags['--data-dir']) return '--data-dir'
  if (env.PATCHMON_DATA_DIR) return 'PATCHMON_DATA_DIR'
  if (env.STATE_DIRECTORY) return 'STATE_DIRECTORY (set by systemd from StateDirectory=)'
  return 'PATCHMON_DATA_DIR (unset: default ./data)'
}

/** One sentence for a file-system error on `path`, without our temp file names. */
function fsCause(code: string | undefined, path: string): string {
  if (code === 'EROFS') return `${path} is on a read-only file system (EROFS)`
  if (code === 'EACCES' || code === 'EPERM') {
    const me = userInfo()
    return `user ${me.username} (uid ${me.uid}) may not write in ${path} (${code}); give the folder to that user or choose another`
  }
  if (code === 'ENOSPC') return `the disk holding ${path} is full (ENOSPC)`
  if (code === 'ENOTDIR' || code === 'EEXIST') return `${path} is in the way and is not a folder (${code})`
  return `${path}: ${code ?? 'error'}`
}

/** Error code of creating a file in `dir`, or undefined when that works. */
function writeProblem(dir: string): string | undefined {
  const probe = join(dir, `.patchmon-write-test-${process.pid}`)
  try {
    writeFileSync(probe, '', { flag: 'wx', mode: 0o600 })
    rmSync(probe, { force: true })
    return undefined
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'error'
  }
}

/**
 * Creates the data folder and proves it writable before anything is written there, so a refusal
 * names the setting and the real cause: Node's recursive mkdir reports ENOENT where a parent is
 * read-only, and a failed key write would otherwise show a raw "EACCES ... jwt-secret.123.tmp".
 */
function ensureDataDir(dataDir: string, setting: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o750 })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    let ancestor = dirname(dataDir)
    while (!existsSync(ancestor) && dirname(ancestor) !== ancestor) ancestor = dirname(ancestor)
    // The nearest folder that exists is where creating failed: its own error is the real cause.
    const atAncestor = writeProblem(ancestor)
    throw new ConfigError(
      `Invalid ${setting}: cannot create ${dataDir}: ${atAncestor ? fsCause(atAncestor, ancestor) : fsCause(code, dataDir)}`
    )
  }
  const problem = writeProblem(dataDir)
  if (problem) throw new ConfigError(`Invalid ${setting}: cannot write in ${dataDir}: ${fsCause(problem, dataDir)}`)
}

/**
 * Builds the whole configuration. Creates the data folder and the generated secrets, so call it
 * once at start-up; tests pass their own env with a temp PATCHMON_DATA_DIR.
 */
export function loadConfig(env: Source = process.env, argv: string[] = []): AppConfig {
  const flags = parseFlags(argv)
  const dataDir = resolveDataDir(env, flags)
  // Validate everything before touching the disk, so a typo never leaves files behind.
  const values = {
    port: read('port', env, flags),
    host: read('host', env, flags),
    serverUrl: read('serverUrl', env, flags),
    jwtSecret: read('jwtSecret', env, flags),
    jwtExpiresIn: read('jwtExpiresIn', env, flags),
    secretEncryptionKey: read('secretEncryptionKey', env, flags),
    trustProxy: read('trustProxy', env, flags),
    logLevel: read('logLevel', env, flags),
    adminPassword: read('adminPassword', env, flags),
    generalMax: read('generalMax', env, flags),
    generalWindow: read('generalWindow', env, flags),
    authMax: read('authMax', env, flags),
    authWindow: read('authWindow', env, flags),
    agentMax: read('agentMax', env, flags),
    agentWindow: read('agentWindow', env, flags),
    homepageMax: read('homepageMax', env, flags),
    homepageWindow: read('homepageWindow', env, flags),
    failureMax: read('failureMax', env, flags),
    failureWindow: read('failureWindow', env, flags),
    maxLoginAttempts: read('maxLoginAttempts', env, flags),
    lockoutMinutes: read('lockoutMinutes', env, flags),
    jsonBodyLimit: read('jsonBodyLimit', env, flags),
    agentUpdateBodyLimit: read('agentUpdateBodyLimit', env, flags),
    reportRetentionDays: read('reportRetentionDays', env, flags),
    discordApiUrl: read('discordApiUrl', env, flags),
    metricsToken: read('metricsToken', env, flags),
    notifyAllowPrivateNetworks: read('notifyAllowPrivateNetworks', env, flags),
    notifyAllowedTargets: read('notifyAllowedTargets', env, flags),
    agentBinariesDir: read('agentBinariesDir', env, flags)
  }
  ensureDataDir(dataDir, dataDirSetting(env, flags))
  return {
    port: values.port ?? 3000,
    host: values.host ?? '0.0.0.0',
    dataDir,
    serverUrl: values.serverUrl,
    jwtSecret: values.jwtSecret ?? generatedSecret(dataDir, 'jwt-secret'),
    jwtExpiresIn: values.jwtExpiresIn ?? '8h',
    secretEncryptionKey: values.secretEncryptionKey ?? keyFromString(generatedSecret(dataDir, 'secret-encryption-key')),
    trustProxy: values.trustProxy ?? false,
    logLevel: values.logLevel ?? 'info',
    adminPassword: values.adminPassword,
    rateLimits: {
      general: { max: values.generalMax ?? 5000, windowMs: values.generalWindow ?? 15 * 60_000 },
      auth: { max: values.authMax ?? 500, windowMs: values.authWindow ?? 10 * 60_000 },
      agent: { max: values.agentMax ?? 10_000, windowMs: values.agentWindow ?? 60_000 },
      gethomepage: { max: values.homepageMax ?? 100, windowMs: values.homepageWindow ?? 15 * 60_000 }
    },
    // 30 a minute (0.5/s) against ~35 bcrypt compares/s: wrong keys cannot keep the CPU busy.
    credentialFailures: { max: values.failureMax ?? 30, windowMs: values.failureWindow ?? 60_000 },
    maxLoginAttempts: values.maxLoginAttempts ?? 5,
    lockoutMinutes: values.lockoutMinutes ?? 15,
    jsonBodyLimit: values.jsonBodyLimit ?? 1024 * 1024,
    agentUpdateBodyLimit: values.agentUpdateBodyLimit ?? 16 * 1024 * 1024,
    reportRetentionDays: values.reportRetentionDays ?? 30,
    discordApiUrl: values.discordApiUrl ?? 'https://discord.com/api',
    // Never open by default: series name routes, host counts and process details.
    metricsToken: values.metricsToken ?? generatedSecret(dataDir, 'metrics-token'),
    notifyAllowPrivateNetworks: values.notifyAllowPrivateNetworks ?? false,
    notifyAllowedTargets: values.notifyAllowedTargets ?? [],
    agentBinariesDir: values.agentBinariesDir ? resolve(values.agentBinariesDir) : join(dataDir, 'agents')
  }
}

/** One line per setting, for `patchmon --help`. */
export function describeSettings(): string {
  return Object.values(SETTINGS as Record<string, SettingSpec<unknown>>)
    .map((s) => `  ${s.env.padEnd(34)}${s.flag ? `${s.flag.padEnd(14)}` : ''.padEnd(14)}${s.describe}`)
    .join('\n')
}

/** Every setting (for generated documentation such as the packages' env file). */
export function settingsReference(): { env: string; flag: string | undefined; describe: string }[] {
  return Object.values(SETTINGS as Record<string, SettingSpec<unknown>>).map((s) => ({ env: s.env, flag: s.flag, describe: s.describe }))
}
