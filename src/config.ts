// Every setting of the appliance declared once, in SETTINGS below: its env var, CLI flag, parser,
// default and description. The AppConfig type, the loader, `patchmon --help` and the packaged env
// file (packaging/env-file.ts) are all derived from that one table.
// Precedence: CLI flag > environment variable > default. A bad value stops start-up with one
// line that names the setting (see ConfigError and main.ts). What a setting is and the value parsers
// live in config/setting.ts; the data folder and its generated secrets in config/data-folder.ts.
import { join, resolve } from 'node:path'
import {
  ConfigError,
  count,
  int,
  interval,
  LOG_LEVELS,
  nonEmpty,
  parseAllowedTargets,
  parseBoolean,
  parseDuration,
  parseIssuerUrl,
  parseRoleMapping,
  parseServerUrl,
  parseTrustProxy,
  Setting,
  type DefaultContext,
  type LogLevel,
  type Source,
  type TrustProxy
} from './config/setting.js'
import { absoluteFrom, defaultDataDir, ensureDataDir, generatedSecret, keyFromString } from './config/data-folder.js'

export { ConfigError, parseIssuerUrl, parseServerUrl, keyFromString, type LogLevel, type TrustProxy }

/**
 * The settings. The nesting is the shape of AppConfig; the order is the order of `--help`, of the
 * env file, and of validation (the first bad value is the one reported).
 */
const SETTINGS = {
  port: new Setting({ env: 'PORT', flag: '--port', describe: 'TCP port to listen on', parse: int(1, 65535), default: 3000 }),
  host: new Setting({ env: 'HOST', flag: '--host', describe: 'address to bind', parse: nonEmpty, default: '0.0.0.0' }),
  dataDir: new Setting({
    env: 'PATCHMON_DATA_DIR',
    flag: '--data-dir',
    describe: 'folder for the database and generated keys',
    parse: (r: string, cwd: string) => absoluteFrom(nonEmpty(r), cwd),
    default: (at: DefaultContext) => defaultDataDir(at.env, at.cwd)
  }),
  /** Public base URL without trailing slash; undefined = derived from each request. */
  serverUrl: new Setting<string | undefined>({
    env: 'PATCHMON_SERVER_URL',
    flag: '--server-url',
    describe: 'public URL written into scripts and OAuth callbacks',
    parse: parseServerUrl,
    default: undefined,
    example: 'https://patchmon.example.com'
  }),
  jwtSecret: new Setting({
    env: 'JWT_SECRET',
    describe: 'HMAC key for session tokens (generated when unset)',
    parse: (r: string) => {
      if (r.length < 32) throw new Error('must be at least 32 characters')
      return r
    },
    default: (at: DefaultContext) => generatedSecret(at.dataDir, 'jwt-secret')
  }),
  jwtExpiresIn: new Setting({ env: 'JWT_EXPIRES_IN', describe: 'session lifetime', parse: parseDuration, default: '8h' }),
  /** 32-byte key for AES-256-GCM secrets at rest. */
  secretEncryptionKey: new Setting({
    env: 'SECRET_ENCRYPTION_KEY',
    describe: 'key for secrets at rest (generated when unset)',
    parse: (r: string) => keyFromString(nonEmpty(r)),
    default: (at: DefaultContext) => keyFromString(generatedSecret(at.dataDir, 'secret-encryption-key'))
  }),
  trustProxy: new Setting<TrustProxy>({
    env: 'TRUST_PROXY',
    describe: 'honour X-Forwarded-For from these proxies (off by default)',
    parse: parseTrustProxy,
    default: false
  }),
  logLevel: new Setting<LogLevel>({
    env: 'LOG_LEVEL',
    flag: '--log-level',
    describe: 'log level',
    parse: (r: string) => {
      const v = r.trim().toLowerCase() as LogLevel
      if (!LOG_LEVELS.includes(v)) throw new Error(`must be one of ${LOG_LEVELS.join(', ')}`)
      return v
    },
    default: 'info'
  }),
  adminPassword: new Setting<string | undefined>({
    env: 'PATCHMON_ADMIN_PASSWORD',
    describe: 'password of the first admin (generated when unset)',
    parse: (r: string) => {
      if (r.length < 8) throw new Error('must be at least 8 characters')
      return r
    },
    default: undefined
  }),
  rateLimits: {
    general: {
      max: new Setting({ env: 'RATE_LIMIT_MAX', describe: 'requests per window on dashboard/admin routes', parse: count, default: 5000 }),
      windowMs: new Setting({ env: 'RATE_LIMIT_WINDOW_MS', describe: 'window of RATE_LIMIT_MAX', parse: interval, default: 15 * 60_000 })
    },
    auth: {
      max: new Setting({ env: 'AUTH_RATE_LIMIT_MAX', describe: 'login/enrollment requests per window and IP', parse: count, default: 500 }),
      windowMs: new Setting({
        env: 'AUTH_RATE_LIMIT_WINDOW_MS',
        describe: 'window of AUTH_RATE_LIMIT_MAX',
        parse: interval,
        default: 10 * 60_000
      })
    },
    agent: {
      max: new Setting({
        env: 'AGENT_RATE_LIMIT_MAX',
        describe: 'agent requests per window and IP (many agents may share one NAT address)',
        parse: count,
        default: 10_000
      }),
      windowMs: new Setting({
        env: 'AGENT_RATE_LIMIT_WINDOW_MS',
        describe: 'window of AGENT_RATE_LIMIT_MAX',
        parse: interval,
        default: 60_000
      })
    },
    gethomepage: {
      max: new Setting({
        env: 'GETHOMEPAGE_RATE_LIMIT_MAX',
        describe: 'gethomepage requests per window and IP',
        parse: count,
        default: 100
      }),
      windowMs: new Setting({
        env: 'GETHOMEPAGE_RATE_LIMIT_WINDOW_MS',
        describe: 'window of GETHOMEPAGE_RATE_LIMIT_MAX',
        parse: interval,
        default: 15 * 60_000
      })
    }
  },
  /** Failed credential checks (each costs a bcrypt compare) allowed per client address and per key id. */
  credentialFailures: {
    // 30 a minute (0.5/s) against ~35 bcrypt compares/s: wrong keys cannot keep the CPU busy.
    max: new Setting({
      env: 'CREDENTIAL_FAILURE_LIMIT_MAX',
      describe: 'failed agent/API/enrollment credential checks per window, per address and per key id',
      parse: count,
      default: 30
    }),
    windowMs: new Setting({
      env: 'CREDENTIAL_FAILURE_LIMIT_WINDOW_MS',
      describe: 'window of CREDENTIAL_FAILURE_LIMIT_MAX',
      parse: interval,
      default: 60_000
    })
  },
  maxLoginAttempts: new Setting({ env: 'MAX_LOGIN_ATTEMPTS', describe: 'failed logins before a lockout', parse: int(1, 1000), default: 5 }),
  lockoutMinutes: new Setting({ env: 'LOCKOUT_DURATION_MINUTES', describe: 'lockout length', parse: int(1, 10_080), default: 15 }),
  jsonBodyLimit: new Setting({
    env: 'JSON_BODY_LIMIT',
    describe: 'largest JSON body in bytes (except agent reports)',
    parse: int(1024, 1024 * 1024 * 1024),
    default: 1024 * 1024
  }),
  agentUpdateBodyLimit: new Setting({
    env: 'AGENT_UPDATE_BODY_LIMIT',
    describe: 'largest agent report in bytes',
    parse: int(1024, 1024 * 1024 * 1024),
    default: 16 * 1024 * 1024
  }),
  reportConcurrency: new Setting({
    env: 'AGENT_REPORT_CONCURRENCY',
    describe: 'agent reports read, parsed and written at once (the rest wait, unread)',
    parse: int(1, 256),
    default: 4
  }),
  reportQueueLimit: new Setting({
    env: 'AGENT_REPORT_QUEUE_LIMIT',
    describe: 'agent reports waiting for a slot before more are refused with 503',
    parse: int(0, 100_000),
    default: 512
  }),
  reportRetentionDays: new Setting({
    env: 'AGENT_REPORTS_RETENTION_DAYS',
    describe: 'days of report history kept per host',
    parse: int(1, 3650),
    default: 30
  }),
  patchAckTimeoutSeconds: new Setting({
    env: 'PATCHMON_PATCH_ACK_TIMEOUT_SECONDS',
    describe: 'seconds a dispatched patch run may wait for the agent\'s "started" before it fails',
    parse: int(10, 86_400),
    default: 180
  }),
  patchRunStallTimeoutMinutes: new Setting({
    env: 'PATCH_RUN_STALL_TIMEOUT_MIN',
    describe: 'minutes without agent output before a running patch run times out (0 = the dashboard setting, default 30; floor 5)',
    parse: int(0, 10_080),
    default: 0
  }),
  patchOutputCapBytes: new Setting({
    env: 'PATCHMON_PATCH_OUTPUT_CAP_BYTES',
    describe: 'characters of output kept per patch run (the tail is kept, the run marked truncated)',
    parse: int(4096, 64 * 1024 * 1024),
    default: 1024 * 1024
  }),
  discordApiUrl: new Setting({
    env: 'PATCHMON_DISCORD_API_URL',
    describe: 'Discord API base URL (tests point it at a fake)',
    parse: parseServerUrl,
    default: 'https://discord.com/api'
  }),
  metricsToken: new Setting({
    env: 'PATCHMON_METRICS_TOKEN',
    describe: 'bearer token required by /metrics (generated into <data dir>/metrics-token when unset)',
    parse: nonEmpty,
    // Never open by default: series name routes, host counts and process details.
    default: (at: DefaultContext) => generatedSecret(at.dataDir, 'metrics-token')
  }),
  metricsPerHost: new Setting({
    env: 'PATCHMON_METRICS_PER_HOST',
    describe: 'true: /metrics adds per-host series (outdated, security, reboot, CVEs, seconds since report): 4-5 series per host',
    parse: parseBoolean,
    // Off: a series per host grows with the fleet, which a Prometheus owner should choose knowingly.
    default: false
  }),
  /** Outbound notification policy from the environment (widened further by the dashboard settings). */
  notifyAllowPrivateNetworks: new Setting({
    env: 'PATCHMON_NOTIFY_ALLOW_PRIVATE_NETWORKS',
    describe: 'true: notifications may go to LAN addresses (10/8, 172.16/12, 192.168/16, fc00::/7, 100.64/10)',
    parse: parseBoolean,
    default: false
  }),
  notifyAllowedTargets: new Setting<string[]>({
    env: 'PATCHMON_NOTIFY_ALLOWED_TARGETS',
    describe: 'host names, addresses or CIDR ranges notifications may reach although not public (comma-separated)',
    parse: parseAllowedTargets,
    default: []
  }),
  /**
   * OpenID Connect sign-in from the environment (upstream's OIDC_* names). Each one set here wins over
   * the dashboard's value and is shown there as "set by the environment"; unset ones are the dashboard's.
   */
  oidc: {
    enabled: optional('OIDC_ENABLED', 'true: offer OpenID Connect sign-in', parseBoolean),
    issuerUrl: optional('OIDC_ISSUER_URL', 'issuer URL of the OpenID provider (discovery is read from it)', parseIssuerUrl),
    clientId: optional('OIDC_CLIENT_ID', 'client id registered at the provider', nonEmpty),
    clientSecret: optional('OIDC_CLIENT_SECRET', 'client secret registered at the provider', nonEmpty),
    redirectUri: optional('OIDC_REDIRECT_URI', 'callback URL override (default <server URL>/api/v1/auth/oidc/callback)', parseServerUrl),
    scopes: optional('OIDC_SCOPES', 'scopes asked for (default "openid email profile")', nonEmpty),
    buttonText: optional('OIDC_BUTTON_TEXT', 'label of the sign-in button', nonEmpty),
    autoCreateUsers: optional('OIDC_AUTO_CREATE_USERS', 'true: create an account at the first sign-in', parseBoolean),
    defaultRole: optional('OIDC_DEFAULT_ROLE', 'role of created accounts when no mapping applies', nonEmpty),
    groupClaim: optional('OIDC_GROUP_CLAIM', 'claim holding the groups to map to roles (e.g. groups)', nonEmpty),
    roleMapping: optional('OIDC_ROLE_MAPPING', 'group=role pairs, comma-separated, first match wins', parseRoleMapping),
    linkByEmail: optional('OIDC_LINK_BY_EMAIL', 'true: a verified e-mail links an existing account', parseBoolean),
    disableLocalAuth: optional('OIDC_DISABLE_LOCAL_AUTH', 'true: OIDC only, the password form is hidden and refused', parseBoolean),
    endSession: optional('OIDC_END_SESSION', "true: signing out also ends the provider's session", parseBoolean)
  },
  upgradeSnapshots: new Setting({
    env: 'PATCHMON_UPGRADE_SNAPSHOTS',
    describe: 'pre-upgrade snapshots kept in <data dir>/backups (taken before migrations run; 0 = none)',
    parse: int(0, 100),
    default: 3
  }),
  /** Agentless Proxmox collection as a server job, when the server runs on the Proxmox host (docs/proxmox.md). */
  proxmoxCollect: {
    enabled: new Setting({
      env: 'PATCHMON_PROXMOX_COLLECT',
      describe: 'true: run `proxmox-collect` as a server job (the server must run on the Proxmox host, as root)',
      parse: parseBoolean,
      default: false
    }),
    everyMinutes: new Setting({
      env: 'PATCHMON_PROXMOX_COLLECT_MINUTES',
      describe: 'minutes between server-job collections',
      parse: int(5, 10_080),
      default: 60
    }),
    configFile: new Setting({
      env: 'PATCHMON_PROXMOX_COLLECT_CONFIG',
      describe: 'settings file of the server job (token, exclusions; PATCHMON_URL defaults to this server)',
      parse: (r: string) => resolve(nonEmpty(r)),
      default: '/etc/patchmon/proxmox-collect.conf'
    })
  },
  /** Folder of operator-supplied upstream agent binaries (`patchmon-agent-<os>-<arch>[.exe]`). */
  agentBinariesDir: new Setting({
    env: 'AGENT_BINARIES_DIR',
    describe: 'folder of upstream agent binaries to serve (default <data dir>/agents)',
    parse: (r: string) => resolve(nonEmpty(r)),
    default: (at: DefaultContext) => join(at.dataDir, 'agents')
  })
}

/** A setting with no default: undefined when neither the flag nor the environment sets it. */
function optional<T>(env: string, describe: string, parse: (raw: string) => T): Setting<T | undefined> {
  return new Setting<T | undefined>({ env, describe, parse, default: undefined })
}

/** A group of settings: the nesting of AppConfig. */
interface SettingGroup {
  [key: string]: Setting<unknown> | SettingGroup
}

/** The configuration shape, derived from SETTINGS: each Setting<T> becomes a T. */
type ConfigOf<G> = { [K in keyof G]: G[K] extends Setting<infer T> ? T : ConfigOf<G[K]> }

export type AppConfig = ConfigOf<typeof SETTINGS>
export type RateLimitBucket = AppConfig['credentialFailures']

// Fails to compile when an entry is neither a Setting nor a group of them.
const settingTree: SettingGroup = SETTINGS

/** Every setting in declaration order. */
function allSettings(group: SettingGroup = settingTree): Setting<unknown>[] {
  return Object.values(group).flatMap((entry) => (entry instanceof Setting ? [entry] : allSettings(entry)))
}

/** Builds the config object with the same nesting as `group`, one value per setting. */
function buildTree(group: SettingGroup, valueOf: (setting: Setting<unknown>) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, entry] of Object.entries(group)) out[key] = entry instanceof Setting ? valueOf(entry) : buildTree(entry, valueOf)
  return out
}

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

/** The parsed flag or env value of one setting, or undefined when it is not set. */
function read<T>(spec: Setting<T>, env: Source, flags: Source, cwd: string): T | undefined {
  const fromFlag = spec.flag ? flags[spec.flag] : undefined
  const raw = fromFlag ?? env[spec.env]
  if (raw === undefined || raw === '') return undefined
  try {
    return spec.parse(raw, cwd)
  } catch (err) {
    const where = fromFlag !== undefined ? `${spec.flag}` : spec.env
    throw new ConfigError(
      `Invalid ${where}: ${(err as Error).message} (got ${JSON.stringify(raw.length > 60 ? raw.slice(0, 57) + '...' : raw)})`
    )
  }
}

export function resolveDataDir(env: Source, flags: Source, cwd = process.cwd()): string {
  // Resolved before the other settings, whose defaults may depend on it.
  return read(SETTINGS.dataDir, env, flags, cwd) ?? defaultDataDir(env, cwd)
}

/** The setting that chose the data folder, for start-up refusals. */
function dataDirSetting(env: Source, flags: Source): string {
  const { flag, env: name } = SETTINGS.dataDir
  if (flag && flags[flag]) return flag
  if (env[name]) return name
  if (env.STATE_DIRECTORY) return 'STATE_DIRECTORY (set by systemd from StateDirectory=)'
  return `${name} (unset: default ./data)`
}

/**
 * Builds the whole configuration. Creates the data folder and the generated secrets, so call it
 * once at start-up; tests pass their own env with a temp PATCHMON_DATA_DIR.
 */
export function loadConfig(env: Source = process.env, argv: string[] = []): AppConfig {
  const flags = parseFlags(argv)
  const cwd = process.cwd()
  const dataDir = resolveDataDir(env, flags, cwd)
  // Validate everything before touching the disk, so a typo never leaves files behind.
  const given = new Map(allSettings().map((setting) => [setting, read(setting, env, flags, cwd)]))
  ensureDataDir(dataDir, dataDirSetting(env, flags))
  const at: DefaultContext = { env, cwd, dataDir }
  // The cast is the one place the derived type meets the generic walk: buildTree follows SETTINGS' nesting.
  return buildTree(settingTree, (setting) => given.get(setting) ?? setting.defaultAt(at)) as AppConfig
}

/** One line per setting, for `patchmon --help`. */
export function describeSettings(): string {
  return allSettings()
    .map((s) => `  ${s.env.padEnd(34)}${s.flag ? `${s.flag.padEnd(14)}` : ''.padEnd(14)}${s.describe}`)
    .join('\n')
}

/** Every setting (for generated documentation such as the packages' env file). */
export function settingsReference(): { env: string; flag: string | undefined; describe: string; shownDefault: string }[] {
  return allSettings().map((s) => ({ env: s.env, flag: s.flag, describe: s.describe, shownDefault: s.shownDefault() }))
}
