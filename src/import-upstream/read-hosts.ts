// Reads upstream's hosts, groups and current inventory. Hosts come in batches by id (keyset paging
// inside the read-only snapshot), each with its memberships, packages and repositories, so a fleet
// of any size is imported with one batch in memory at a time.
import type { UpstreamConnection } from './upstream-connection.js'

export interface UpstreamGroup {
  id: string
  name: string
  description: string | null
  color: string | null
}

/** A host row: the columns both sides know, as upstream stores them (JSONB parsed, booleans, dates). */
export type UpstreamHost = Record<string, unknown> & {
  id: string
  friendly_name: string
  api_id: string
  api_key: string
  status: string | null
  last_update: string | null
  created_at?: string | null
}

export interface UpstreamPackage {
  name: string
  description: string | null
  category: string | null
  current_version: string
  available_version: string | null
  needs_update: boolean
  is_security_update: boolean
}

export interface UpstreamRepository {
  name: string | null
  url: string
  distribution: string | null
  components: string | null
  repo_type: string | null
  is_secure: boolean | null
  is_enabled: boolean | null
}

export interface HostBatch {
  hosts: UpstreamHost[]
  groupsOf: Map<string, string[]>
  packagesOf: Map<string, UpstreamPackage[]>
  repositoriesOf: Map<string, UpstreamRepository[]>
}

/** Host columns copied when upstream has them (1.4.x lacks some). */
export const COPIED_HOST_COLUMNS = [
  'machine_id',
  'hostname',
  'ip',
  'os_type',
  'os_version',
  'architecture',
  'kernel_version',
  'installed_kernel_version',
  'selinux_status',
  'system_uptime',
  'boot_time',
  'cpu_model',
  'cpu_cores',
  'ram_installed',
  'swap_size',
  'load_average',
  'disk_details',
  'gateway_ip',
  'dns_servers',
  'network_interfaces',
  'needs_reboot',
  'reboot_reason',
  'agent_version',
  'package_manager',
  'notes',
  'auto_update',
  'created_at'
] as const

export async function readGroups(conn: UpstreamConnection): Promise<UpstreamGroup[]> {
  const color = conn.has('host_groups', 'color') ? 'color' : 'NULL AS color'
  const description = conn.has('host_groups', 'description') ? 'description' : 'NULL AS description'
  return conn.query<UpstreamGroup & Record<string, unknown>>(
    `SELECT id, name, ${description}, ${color} FROM public.host_groups ORDER BY name`
  )
}

export async function countUpstreamHosts(conn: UpstreamConnection): Promise<number> {
  const [row] = await conn.query<{ n: string }>('SELECT count(*) AS n FROM public.hosts')
  return Number(row?.n ?? 0)
}

function groupBy<T extends { host_id: string }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const row of rows) {
    const list = out.get(row.host_id) ?? []
    list.push(row)
    out.set(row.host_id, list)
  }
  return out
}

export async function* readHostBatches(conn: UpstreamConnection, batchSize = 50): AsyncGenerator<HostBatch> {
  const columns = [
    'id',
    'friendly_name',
    'api_id',
    'api_key',
    'status',
    'last_update',
    ...COPIED_HOST_COLUMNS.filter((c) => conn.has('hosts', c))
  ]
  const repoJoin = conn.has('host_repositories') && conn.has('repositories')
  let after = ''
  for (;;) {
    const hosts = await conn.query<UpstreamHost>(`SELECT ${columns.join(', ')} FROM public.hosts WHERE id > $1 ORDER BY id LIMIT $2`, [
      after,
      batchSize
    ])
    if (hosts.length === 0) return
    after = hosts[hosts.length - 1]!.id
    const ids = hosts.map((h) => h.id)
    const memberships = await conn.query<{ host_id: string; host_group_id: string }>(
      'SELECT host_id, host_group_id FROM public.host_group_memberships WHERE host_id = ANY($1)',
      [ids]
    )
    const packages = await conn.query<UpstreamPackage & { host_id: string }>(
      `SELECT hp.host_id, p.name, p.description, p.category, hp.current_version, hp.available_version, hp.needs_update, hp.is_security_update
         FROM public.host_packages hp JOIN public.packages p ON p.id = hp.package_id WHERE hp.host_id = ANY($1)`,
      [ids]
    )
    const repositories = repoJoin
      ? await conn.query<UpstreamRepository & { host_id: string }>(
          `SELECT hr.host_id, r.name, r.url, r.distribution, r.components, r.repo_type, r.is_secure, hr.is_enabled
             FROM public.host_repositories hr JOIN public.repositories r ON r.id = hr.repository_id WHERE hr.host_id = ANY($1)`,
          [ids]
        )
      : []
    const groupsOf = new Map<string, string[]>()
    for (const m of memberships) groupsOf.set(m.host_id, [...(groupsOf.get(m.host_id) ?? []), m.host_group_id])
    yield { hosts, groupsOf, packagesOf: groupBy(packages), repositoriesOf: groupBy(repositories) }
  }
}
