// Settings of `patchmon proxmox-collect`, which runs on the Proxmox host, not beside the server:
// a KEY=VALUE file (default /etc/patchmon/proxmox-collect.conf, mode 0600: it holds the
// enrollment secret), the same names in the environment (which win over the file), and a few
// flags (which win over both). The names are the enrollment script's where they mean the same.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { parseFlags } from '../config.js'

export const DEFAULT_CONFIG_FILE = '/etc/patchmon/proxmox-collect.conf'
export const DEFAULT_CREDENTIALS_FILE = '/var/lib/patchmon-proxmox/credentials.json'

export class CollectConfigError extends Error {
  override name = 'CollectConfigError'
}

export interface CollectConfig {
  configFile: string | undefined
  serverUrl: string
  tokenKey: string
  tokenSecret: string
  /** vmids, container names, or name patterns with * and ? */
  exclude: string[]
  hostPrefix: string
  credentialsFile: string
  skipTlsVerify: boolean
  pct: string
  execTimeoutMs: number
  dryRun: boolean
  /** Lines worth showing before the run (e.g. a config file others can read). */
  warnings: string[]
}

/** `KEY=value` lines; `#` comments; one level of single or double quotes removed. */
export function parseConfigFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const m = /^(?:export\s+)?([A-Z_][A-Z0-9_]*)\s*=\s*(.*)$/.exec(line)
    if (!m) continue
    let value = (m[2] as string).trim()
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) value = value.slice(1, -1)
    out[m[1] as string] = value
  }
  return out
}

export const splitList = (v: string | undefined): string[] => (v ?? '').split(/[\s,]+/).filter((s) => s !== '')

function flagValues(argv: string[], flag: string): string[] {
  const out: string[] = []
  argv.forEach((a, i) => {
    if (a === flag && argv[i + 1] !== undefined) out.push(argv[i + 1] as string)
    else if (a.startsWith(`${flag}=`)) out.push(a.slice(flag.length + 1))
  })
  return out
}

/** `defaults` fill what neither the environment nor the file sets (the server job's own URL). */
export function loadCollectConfig(env: NodeJS.ProcessEnv, argv: string[], defaults: Record<string, string> = {}): CollectConfig {
  const flags = parseFlags(argv)
  const given = flags['--config']
  const configFile = given ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined)
  const warnings: string[] = []
  let file: Record<string, string> = {}
  if (configFile) {
    if (!existsSync(configFile)) throw new CollectConfigError(`configuration file ${configFile} does not exist`)
    file = parseConfigFile(readFileSync(configFile, 'utf8'))
    if (file.AUTO_ENROLLMENT_SECRET && (statSync(configFile).mode & 0o077) !== 0)
      warnings.push(`${configFile} holds the enrollment secret but others can read it: chmod 600 ${configFile}`)
  }
  const value = (key: string) => (env[key] !== undefined && env[key] !== '' ? env[key] : (file[key] ?? defaults[key]))
  const serverUrl = (value('PATCHMON_URL') ?? '').replace(/\/+$/, '')
  const missing = ['PATCHMON_URL', 'AUTO_ENROLLMENT_KEY', 'AUTO_ENROLLMENT_SECRET'].filter((k) => !value(k))
  if (missing.length > 0)
    throw new CollectConfigError(
      `${missing.join(', ')} not set: write them to ${configFile ?? DEFAULT_CONFIG_FILE} (see docs/proxmox.md) or set them in the environment`
    )
  if (!/^https?:\/\/[^/]/.test(serverUrl)) throw new CollectConfigError(`PATCHMON_URL must be an http(s) URL (got ${serverUrl})`)
  const timeout = Number(value('PCT_EXEC_TIMEOUT') ?? '300')
  if (!Number.isInteger(timeout) || timeout < 5 || timeout > 3600)
    throw new CollectConfigError('PCT_EXEC_TIMEOUT must be whole seconds between 5 and 3600')
  return {
    configFile,
    serverUrl,
    tokenKey: value('AUTO_ENROLLMENT_KEY') as string,
    tokenSecret: value('AUTO_ENROLLMENT_SECRET') as string,
    exclude: [...splitList(value('PROXMOX_EXCLUDE')), ...flagValues(argv, '--exclude').flatMap(splitList)],
    hostPrefix: value('HOST_PREFIX') ?? '',
    credentialsFile: value('PROXMOX_CREDENTIALS_FILE') ?? DEFAULT_CREDENTIALS_FILE,
    skipTlsVerify: /^(true|1|yes)$/i.test(value('SKIP_TLS_VERIFY') ?? ''),
    pct: value('PCT') ?? 'pct',
    execTimeoutMs: timeout * 1000,
    dryRun: argv.includes('--dry-run'),
    warnings
  }
}

/** True when a container is on the exclude list: by vmid, exact name, or a name pattern (* and ?). */
export function isExcluded(exclude: string[], vmid: number, name: string): boolean {
  return exclude.some((entry) => {
    if (/^\d+$/.test(entry)) return Number(entry) === vmid
    if (!/[*?]/.test(entry)) return entry === name
    const pattern = entry
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')
    return new RegExp(`^${pattern}$`).test(name)
  })
}
