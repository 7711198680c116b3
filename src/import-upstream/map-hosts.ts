// Upstream host rows to ours. The api_id and bcrypt api_key hash are kept as they are, so an agent's
// old credentials.yml keeps working; a legacy plain-text key (1.4.x) is handed to the writer to be
// hashed, because our check only compares bcrypt.
import type { HostRow } from '../store/database-types.js'
import type { IngestPackage, IngestRepository } from '../hosts/report-ingest.js'
import { COPIED_HOST_COLUMNS, type UpstreamHost, type UpstreamPackage, type UpstreamRepository } from './read-hosts.js'

export const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/

export interface MappedHost {
  row: HostRow
  /** Set when upstream kept the key in plain text: the writer stores its bcrypt hash. */
  plainApiKey?: string
  packages: IngestPackage[]
  repositories: IngestRepository[]
}

const NUMBER_COLUMNS = new Set(['cpu_cores', 'ram_installed', 'swap_size'])
const FLAG_COLUMNS = new Set(['needs_reboot', 'auto_update'])

/** A value as our SQLite columns hold it: JSON text for JSONB, 0/1 for booleans, ISO text for times. */
function column(name: string, value: unknown): string | number | null {
  if (value === null || value === undefined) return null
  if (FLAG_COLUMNS.has(name)) return value ? 1 : 0
  if (NUMBER_COLUMNS.has(name)) {
    const n = Number(value)
    return Number.isFinite(n) ? n : null
  }
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'object') return JSON.stringify(value)
  return typeof value === 'number' ? value : String(value)
}

export function mapPackages(packages: readonly UpstreamPackage[]): IngestPackage[] {
  return packages.map((p) => ({
    name: p.name,
    currentVersion: p.current_version,
    availableVersion: p.available_version,
    needsUpdate: p.needs_update,
    isSecurityUpdate: p.is_security_update,
    description: p.description,
    category: p.category
  }))
}

export function mapRepositories(repositories: readonly UpstreamRepository[]): IngestRepository[] {
  return repositories
    .filter((r) => r.url)
    .map((r) => ({
      name: r.name,
      url: r.url,
      distribution: r.distribution,
      components: r.components,
      repoType: r.repo_type,
      isEnabled: r.is_enabled,
      isSecure: r.is_secure
    }))
}

export function mapHost(
  host: UpstreamHost,
  packages: readonly UpstreamPackage[],
  repositories: readonly UpstreamRepository[],
  now: string
): MappedHost {
  const copied: Record<string, string | number | null> = {}
  for (const name of COPIED_HOST_COLUMNS) copied[name] = column(name, host[name])
  const plain = !BCRYPT_HASH.test(host.api_key)
  const mappedPackages = mapPackages(packages)
  const mappedRepositories = mapRepositories(repositories)
  // The counts the inventory gives, set before the ingest so it sees no rise in security updates
  // (which would send "security updates available" for every imported host).
  const outdated = packages.filter((p) => p.needs_update).length
  const security = packages.filter((p) => p.needs_update && p.is_security_update).length
  // Typed through the cast: `copied` holds exactly COPIED_HOST_COLUMNS, converted by column().
  const row = {
    ...copied,
    id: host.id,
    friendly_name: host.friendly_name,
    api_id: host.api_id,
    api_key_hash: plain ? '' : host.api_key,
    status: host.status === 'pending' ? 'pending' : 'active',
    last_update: host.status === 'pending' ? null : host.last_update,
    auto_update: copied['auto_update'] ?? 1,
    total_packages: mappedPackages.length,
    outdated_packages: outdated,
    security_updates: security,
    total_repos: mappedRepositories.length,
    created_at: (copied['created_at'] as string | null) ?? now,
    updated_at: now
  } as HostRow
  return { row, packages: mappedPackages, repositories: mappedRepositories, ...(plain ? { plainApiKey: host.api_key } : {}) }
}
