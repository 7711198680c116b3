// The per-host views of the Integration API. Each returns undefined for an unknown host (the
// route answers 404 `Host not found`); ids are not validated on reads, a malformed one is simply
// not found. Unknown strings become "" and unknown numbers 0, as upstream renders them.
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { hostColumns } from '../hosts/host-queries.js'
import { groupsOfHost, hostById, hostPackageRows, hostReportHistory } from '../hosts/host-read-queries.js'
import { agentQueueSummary } from '../agent/agent-jobs.js'
import { dockerInventoryCounts } from '../agent/docker-inventory.js'

export const DOCKER_DESCRIPTION = 'Monitor Docker containers, images, volumes, and networks. Collects real-time container status events.'

const hostRow = hostById
const hostGroups = groupsOfHost

function jsonArray(text: string | null): unknown[] {
  if (!text) return []
  try {
    const value: unknown = JSON.parse(text)
    return Array.isArray(value) ? value : []
  } catch {
    return []
  }
}

/** `limit` of the history endpoints: 1–100, anything else means the default 10 (as upstream). */
export function historyLimit(raw: string | undefined): number {
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return 10
  const n = Number(raw.trim())
  return n >= 1 && n <= 100 ? n : 10
}

export async function hostStats(db: Kysely<DB>, id: string) {
  const host = await hostColumns(db, id, ['total_packages', 'outdated_packages', 'security_updates', 'total_repos'])
  if (!host) return undefined
  return {
    host_id: id,
    total_installed_packages: host.total_packages,
    outdated_packages: host.outdated_packages,
    security_updates: host.security_updates,
    total_repos: host.total_repos
  }
}

export async function hostInfo(db: Kysely<DB>, id: string) {
  const host = await hostRow(db, id)
  if (!host) return undefined
  return {
    id: host.id,
    machine_id: host.machine_id ?? '',
    friendly_name: host.friendly_name,
    hostname: host.hostname || host.friendly_name,
    ip: host.ip ?? '',
    os_type: host.os_type ?? '',
    os_version: host.os_version ?? '',
    agent_version: host.agent_version ?? '',
    host_groups: await hostGroups(db, id)
  }
}

export async function hostNetwork(db: Kysely<DB>, id: string) {
  const host = await hostRow(db, id)
  if (!host) return undefined
  return {
    id: host.id,
    ip: host.ip ?? '',
    gateway_ip: host.gateway_ip ?? '',
    dns_servers: jsonArray(host.dns_servers),
    network_interfaces: jsonArray(host.network_interfaces)
  }
}

/** The agent sends [1m, 5m, 15m]; the spec answers an object. */
function loadAverage(text: string | null): { '1min': number; '5min': number; '15min': number } {
  let values: unknown[] = []
  try {
    const parsed: unknown = text ? JSON.parse(text) : []
    if (Array.isArray(parsed)) values = parsed
    else if (parsed && typeof parsed === 'object') {
      const o = parsed as Record<string, unknown>
      values = [o['1min'], o['5min'], o['15min']]
    }
  } catch {
    values = []
  }
  const at = (i: number) => (typeof values[i] === 'number' && Number.isFinite(values[i]) ? (values[i] as number) : 0)
  return { '1min': at(0), '5min': at(1), '15min': at(2) }
}

/** Disk entries as the agent sent them, plus the spec's key names where they map one to one. */
function diskDetails(text: string | null): unknown[] {
  return jsonArray(text).map((entry) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return entry
    const disk = entry as Record<string, unknown>
    return {
      ...disk,
      ...(disk['filesystem'] === undefined && typeof disk['name'] === 'string' ? { filesystem: disk['name'] } : {}),
      ...(disk['mounted_on'] === undefined && typeof disk['mountpoint'] === 'string' ? { mounted_on: disk['mountpoint'] } : {})
    }
  })
}

export async function hostSystem(db: Kysely<DB>, id: string) {
  const host = await hostRow(db, id)
  if (!host) return undefined
  return {
    id: host.id,
    architecture: host.architecture ?? '',
    kernel_version: host.kernel_version ?? '',
    installed_kernel_version: host.installed_kernel_version ?? '',
    selinux_status: host.selinux_status ?? '',
    system_uptime: host.system_uptime ?? '',
    boot_time: host.boot_time ?? '',
    cpu_model: host.cpu_model ?? '',
    cpu_cores: host.cpu_cores ?? 0,
    ram_installed: host.ram_installed ?? 0,
    swap_size: host.swap_size ?? 0,
    load_average: loadAverage(host.load_average),
    disk_details: diskDetails(host.disk_details),
    needs_reboot: host.needs_reboot === 1,
    reboot_reason: host.reboot_reason ?? ''
  }
}

export async function hostPackages(db: Kysely<DB>, id: string, updatesOnly: boolean) {
  const host = await hostColumns(db, id, ['id', 'hostname', 'friendly_name'])
  if (!host) return undefined
  // Security first, then anything with an update, then by name for a stable order.
  const rows = await hostPackageRows(db, id, updatesOnly)
  const packages = rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description ?? '',
    category: r.category ?? '',
    current_version: r.current_version,
    available_version: r.needs_update === 1 ? r.available_version : null,
    needs_update: r.needs_update === 1,
    is_security_update: r.needs_update === 1 && r.is_security_update === 1,
    last_checked: r.last_checked
  }))
  return {
    host: { id: host.id, hostname: host.hostname || host.friendly_name, friendly_name: host.friendly_name },
    packages,
    total: packages.length
  }
}

export async function hostPackageReports(db: Kysely<DB>, id: string, limit: number) {
  const host = await hostColumns(db, id, ['id'])
  if (!host) return undefined
  const rows = await hostReportHistory(db, id, limit)
  const reports = rows.map((r) => ({
    id: r.id,
    status: r.status,
    date: r.created_at,
    total_packages: r.total_packages,
    outdated_packages: r.outdated_packages,
    security_updates: r.security_updates,
    payload_kb: r.payload_kb,
    execution_time_seconds: r.execution_time_seconds,
    error_message: r.error_message
  }))
  return { host_id: id, reports, total: reports.length }
}

/**
 * There is no external job queue in this appliance: pushes to agents happen inline, so the queue
 * counters are always zero and no job history is recorded yet.
 */
/** Pushes made over the agent's live channel (report_now, update_agent), newest first. */
export async function hostAgentQueue(db: Kysely<DB>, id: string, limit = 10) {
  const host = await hostColumns(db, id, ['id'])
  if (!host) return undefined
  return { host_id: id, ...(await agentQueueSummary(db, id, limit)) }
}

export async function hostNotes(db: Kysely<DB>, id: string) {
  const host = await hostColumns(db, id, ['id', 'notes'])
  if (!host) return undefined
  return { host_id: id, notes: host.notes ?? '' }
}

/** Docker counts the 2.x agent posted; without any inventory the integration reports as not enabled. */
export async function hostIntegrations(db: Kysely<DB>, id: string) {
  const host = await hostColumns(db, id, ['id'])
  if (!host) return undefined
  const counts = await dockerInventoryCounts(db, id)
  const docker = counts
    ? {
        enabled: true,
        containers_count: counts.containers,
        volumes_count: counts.volumes,
        networks_count: counts.networks,
        description: DOCKER_DESCRIPTION
      }
    : { enabled: false, description: DOCKER_DESCRIPTION }
  return { host_id: id, integrations: { docker } }
}
