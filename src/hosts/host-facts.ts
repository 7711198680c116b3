// The host columns an agent's ping or report may set (agent/agent-facts.ts maps its facts onto
// them). Declared here, with the table, so hosts/ needs nothing from agent/.
import type { HostsTable } from '../store/database-types.js'

export type HostFactColumns = Partial<
  Pick<
    HostsTable,
    | 'agent_version'
    | 'os_type'
    | 'os_version'
    | 'hostname'
    | 'ip'
    | 'architecture'
    | 'kernel_version'
    | 'installed_kernel_version'
    | 'selinux_status'
    | 'machine_id'
    | 'gateway_ip'
    | 'dns_servers'
    | 'network_interfaces'
    | 'package_manager'
    | 'cpu_model'
    | 'cpu_cores'
    | 'ram_installed'
    | 'swap_size'
    | 'disk_details'
    | 'system_uptime'
    | 'boot_time'
    | 'load_average'
    | 'needs_reboot'
    | 'reboot_reason'
  >
>
