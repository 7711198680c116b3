// Maps the agent's camelCase facts onto host columns with "only overwrite what was sent"
// semantics: a key that is absent or null leaves the stored value alone (agent 1.3 never sends
// needsReboot; Go sends null for an empty slice). Free-form blocks are stored as JSON text.
import type { HostFactColumns } from '../hosts/host-facts.js'
import type { ReportFields } from './report-schema.js'

type Facts = Omit<ReportFields, 'packages' | 'repositories' | 'executionTime' | 'agentExecutionMs'>

const TEXT: [keyof Facts, keyof HostFactColumns][] = [
  ['agentVersion', 'agent_version'],
  ['osType', 'os_type'],
  ['osVersion', 'os_version'],
  ['hostname', 'hostname'],
  ['ip', 'ip'],
  ['architecture', 'architecture'],
  ['kernelVersion', 'kernel_version'],
  ['installedKernelVersion', 'installed_kernel_version'],
  ['selinuxStatus', 'selinux_status'],
  ['machineId', 'machine_id'],
  ['gatewayIp', 'gateway_ip'],
  ['packageManager', 'package_manager'],
  ['cpuModel', 'cpu_model'],
  ['cpuCores', 'cpu_cores'],
  ['ramInstalled', 'ram_installed'],
  ['swapSize', 'swap_size'],
  ['systemUptime', 'system_uptime'],
  ['bootTime', 'boot_time'],
  ['rebootReason', 'reboot_reason']
]

const JSON_BLOCKS: [keyof Facts, keyof HostFactColumns][] = [
  ['dnsServers', 'dns_servers'],
  ['networkInterfaces', 'network_interfaces'],
  ['diskDetails', 'disk_details'],
  ['loadAverage', 'load_average']
]

export function hostColumnsFromFacts(facts: Partial<Facts>): HostFactColumns {
  const columns: Record<string, string | number> = {}
  for (const [key, column] of TEXT) {
    const value = facts[key]
    if (typeof value === 'string' || typeof value === 'number') columns[column] = value
  }
  for (const [key, column] of JSON_BLOCKS) {
    const value = facts[key]
    if (value !== undefined && value !== null) columns[column] = JSON.stringify(value)
  }
  if (typeof facts.needsReboot === 'boolean') columns.needs_reboot = facts.needsReboot ? 1 : 0
  return columns as HostFactColumns
}
