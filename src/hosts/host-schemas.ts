// Response and request shapes of the dashboard's host, group and package APIs (declared once:
// validation, serialisation, OpenAPI). A field missing here is never sent — api_key_hash is not here.
import { Type, type Static } from '@fastify/type-provider-typebox'
import { ErrorReply } from '../http/schema-fragments.js'

/** A 400 is either {error} (a rule of the route) or the validation list {errors:[...]}. */
export const BadRequestReply = Type.Union([
  ErrorReply,
  Type.Object({ errors: Type.Array(Type.Object({ msg: Type.String(), param: Type.String(), location: Type.String() })) })
])

const nullableString = Type.Union([Type.String(), Type.Null()])
const nullableNumber = Type.Union([Type.Number(), Type.Null()])

export const Pagination = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 }))
}

export const HostGroupRef = Type.Object({ id: Type.String(), name: Type.String(), color: Type.String() })
export type HostGroupRef = Static<typeof HostGroupRef>

export const HostStatusSchema = Type.Union([Type.Literal('pending'), Type.Literal('active'), Type.Literal('inactive')], {
  description: 'derived: inactive after 2 × the update interval without a report'
})

const summaryFields = {
  id: Type.String(),
  friendly_name: Type.String(),
  hostname: nullableString,
  ip: nullableString,
  os_type: nullableString,
  os_version: nullableString,
  architecture: nullableString,
  agent_version: nullableString,
  status: HostStatusSchema,
  last_update: nullableString,
  needs_reboot: Type.Union([Type.Boolean(), Type.Null()], { description: 'null = the agent never said (1.3.x)' }),
  total_packages: Type.Integer(),
  outdated_packages: Type.Integer(),
  security_updates: Type.Integer(),
  total_repos: Type.Integer(),
  host_groups: Type.Array(HostGroupRef),
  created_at: Type.String()
}
export const HostSummary = Type.Object(summaryFields)
export type HostSummary = Static<typeof HostSummary>

export const HostDetail = Type.Object({
  ...summaryFields,
  api_id: Type.String(),
  machine_id: nullableString,
  kernel_version: nullableString,
  installed_kernel_version: nullableString,
  selinux_status: nullableString,
  system_uptime: nullableString,
  boot_time: nullableString,
  cpu_model: nullableString,
  cpu_cores: Type.Union([Type.Integer(), Type.Null()]),
  ram_installed: Type.Union([Type.Number(), Type.Null()], { description: 'GiB as the agent reported it' }),
  swap_size: Type.Union([Type.Number(), Type.Null()], { description: 'GiB as the agent reported it' }),
  load_average: Type.Unknown({ description: 'JSON as the agent sent it (usually [1m, 5m, 15m])' }),
  disk_details: Type.Unknown({ description: 'JSON as the agent sent it' }),
  gateway_ip: nullableString,
  dns_servers: Type.Unknown(),
  network_interfaces: Type.Unknown(),
  reboot_reason: nullableString,
  package_manager: nullableString,
  notes: nullableString,
  auto_update: Type.Boolean(),
  updated_at: Type.String()
})
export type HostDetail = Static<typeof HostDetail>

export const HostListQuery = Type.Object({
  search: Type.Optional(Type.String({ maxLength: 255, description: 'friendly name, hostname or IP contains' })),
  group: Type.Optional(Type.String({ maxLength: 64, description: 'host group id, or "ungrouped"' })),
  status: Type.Optional(HostStatusSchema),
  sort: Type.Optional(
    Type.Union([Type.Literal('name'), Type.Literal('last_update'), Type.Literal('updates'), Type.Literal('security')], { default: 'name' })
  ),
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
  ...Pagination
})
export type HostListQuery = Static<typeof HostListQuery>

export const HostPackage = Type.Object({
  id: Type.String({ description: 'catalogue package id' }),
  name: Type.String(),
  description: nullableString,
  category: nullableString,
  current_version: Type.String(),
  available_version: nullableString,
  needs_update: Type.Boolean(),
  is_security_update: Type.Boolean(),
  last_checked: Type.String({ description: "when this row last changed; the host's last_update is the last check" })
})

export const HostRepository = Type.Object({
  id: Type.String(),
  name: Type.String(),
  url: Type.String(),
  distribution: Type.String(),
  components: Type.String(),
  repo_type: Type.String(),
  is_secure: Type.Boolean({ description: "the agent's own isSecure" }),
  insecure: Type.Boolean({ description: 'fetched over plain http:// or ftp://, judged from the URL (docs/docker-and-repositories.md)' }),
  is_enabled: Type.Boolean(),
  last_checked: Type.String()
})

export const ReportHistoryItem = Type.Object({
  id: Type.String(),
  status: Type.String(),
  total_packages: Type.Integer(),
  outdated_packages: Type.Integer(),
  security_updates: Type.Integer(),
  payload_kb: Type.Number(),
  execution_time_seconds: nullableNumber,
  error_message: nullableString,
  created_at: Type.String()
})
