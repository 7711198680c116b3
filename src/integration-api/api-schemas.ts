// Response schemas of the scoped Integration API (chapter 6), declared once for serialisation and
// the OpenAPI document.
import { Type } from '@fastify/type-provider-typebox'

const Str = Type.String()
// `nullable` instead of a Union: fast-json-stringify serialises anyOf by validating every value,
// which made the 10,000-host list several times slower to write than JSON.stringify.
const NullableStr = Type.Unsafe<string | null>({ type: 'string', nullable: true })
export const ErrorBody = Type.Object({ error: Str, message: Type.Optional(Str) })
export const GroupRef = Type.Object({ id: Str, name: Str })

export const HostIdParams = Type.Object({ id: Type.String({ maxLength: 200 }) })

export const HostListQuery = Type.Object({
  hostgroup: Type.Optional(
    Type.String({ maxLength: 4096, description: 'Group names (exact, case-sensitive) and/or UUIDs, comma-separated, OR logic' })
  ),
  include: Type.Optional(Type.String({ maxLength: 200, description: 'Comma list; `stats` adds counts and status per host' }))
})

export const HostListResponse = Type.Object({
  hosts: Type.Array(
    Type.Object({
      id: Str,
      friendly_name: Str,
      hostname: Type.String({ description: 'System hostname; the friendly name for hosts that have not reported yet (never empty)' }),
      ip: Str,
      host_groups: Type.Array(GroupRef),
      os_type: Type.Optional(Str),
      os_version: Type.Optional(Str),
      last_update: Type.Optional(NullableStr),
      status: Type.Optional(Str),
      needs_reboot: Type.Optional(Type.Boolean()),
      updates_count: Type.Optional(Type.Integer()),
      security_updates_count: Type.Optional(Type.Integer()),
      total_packages: Type.Optional(Type.Integer()),
      effective_status: Type.Optional(Str),
      reporting_state: Type.Optional(Str),
      update_state: Type.Optional(Str)
    })
  ),
  total: Type.Integer(),
  filtered_by_groups: Type.Optional(Type.Array(Str))
})

export const HostStatsResponse = Type.Object({
  host_id: Str,
  total_installed_packages: Type.Integer(),
  outdated_packages: Type.Integer(),
  security_updates: Type.Integer(),
  total_repos: Type.Integer()
})

export const HostInfoResponse = Type.Object({
  id: Str,
  machine_id: Str,
  friendly_name: Str,
  hostname: Str,
  ip: Str,
  os_type: Str,
  os_version: Str,
  agent_version: Str,
  host_groups: Type.Array(GroupRef)
})

export const HostNetworkResponse = Type.Object({
  id: Str,
  ip: Str,
  gateway_ip: Str,
  dns_servers: Type.Array(Type.Unknown()),
  network_interfaces: Type.Array(Type.Unknown(), { description: 'As the agent reports them: {name, type, addresses:[{address, family}]}' })
})

export const HostSystemResponse = Type.Object({
  id: Str,
  architecture: Str,
  kernel_version: Str,
  installed_kernel_version: Str,
  selinux_status: Str,
  system_uptime: Str,
  boot_time: Str,
  cpu_model: Str,
  cpu_cores: Type.Integer(),
  ram_installed: Type.Number({ description: 'GiB, as the agent reports it' }),
  swap_size: Type.Number({ description: 'GiB, as the agent reports it' }),
  load_average: Type.Object({ '1min': Type.Number(), '5min': Type.Number(), '15min': Type.Number() }),
  disk_details: Type.Array(Type.Unknown(), {
    description: 'As the agent reports them, plus `filesystem` and `mounted_on` where derivable'
  }),
  needs_reboot: Type.Boolean(),
  reboot_reason: Str
})

export const PackagesQuery = Type.Object({
  updates_only: Type.Optional(Type.String({ maxLength: 20, description: '`true` keeps packages with an update' }))
})
export const HistoryQuery = Type.Object({ limit: Type.Optional(Type.String({ maxLength: 20, description: '1–100, default 10' })) })

export const HostPackagesResponse = Type.Object({
  host: Type.Object({ id: Str, hostname: Str, friendly_name: Str }),
  packages: Type.Array(
    Type.Object({
      id: Type.String({ description: 'Package id' }),
      name: Str,
      description: Str,
      category: Str,
      current_version: Str,
      available_version: NullableStr,
      needs_update: Type.Boolean(),
      is_security_update: Type.Boolean(),
      last_checked: Str
    })
  ),
  total: Type.Integer()
})

export const PackageReportsResponse = Type.Object({
  host_id: Str,
  reports: Type.Array(
    Type.Object({
      id: Str,
      status: Str,
      date: Str,
      total_packages: Type.Integer(),
      outdated_packages: Type.Integer(),
      security_updates: Type.Integer(),
      payload_kb: Type.Number(),
      execution_time_seconds: Type.Unsafe<number | null>({ type: 'number', nullable: true }),
      error_message: NullableStr
    })
  ),
  total: Type.Integer()
})

export const AgentQueueResponse = Type.Object({
  host_id: Str,
  queue_status: Type.Object({ waiting: Type.Integer(), active: Type.Integer(), delayed: Type.Integer(), failed: Type.Integer() }),
  job_history: Type.Array(
    Type.Object({
      id: Str,
      job_id: Str,
      job_name: Str,
      status: Str,
      attempt: Type.Integer(),
      created_at: Str,
      completed_at: NullableStr,
      error_message: NullableStr,
      output: Type.Unknown()
    })
  ),
  total_jobs: Type.Integer()
})

export const NotesResponse = Type.Object({ host_id: Str, notes: Str })

export const IntegrationsResponse = Type.Object({
  host_id: Str,
  integrations: Type.Object({
    docker: Type.Object({
      enabled: Type.Boolean(),
      containers_count: Type.Optional(Type.Integer()),
      volumes_count: Type.Optional(Type.Integer()),
      networks_count: Type.Optional(Type.Integer()),
      description: Str
    })
  })
})

export const DeleteHostResponse = Type.Object({
  message: Str,
  deleted: Type.Object({ id: Str, friendly_name: Str, hostname: Str })
})
