// What the hosts API returns, as far as the screens use it.
import type { ServerAddress } from './server-url'

export interface GroupRef {
  id: string
  name: string
  color?: string | null
}

export interface HostSummary {
  id: string
  friendly_name: string
  hostname: string | null
  ip: string | null
  os_type: string | null
  os_version: string | null
  /** pending (awaiting first report), active, inactive (reports stopped) */
  status: string
  last_update: string | null
  total_packages: number
  outdated_packages: number
  security_updates: number
  /** null: the agent never said (1.3.x agents) */
  needs_reboot: boolean | null
  agent_version: string | null
  host_groups: GroupRef[]
  created_at: string
}

export interface HostGroup {
  id: string
  name: string
  description?: string | null
  color?: string | null
  host_count: number
}

export interface HostCredentials {
  id: string
  api_id: string
  api_key: string
}

export const osLabel = (h: { os_type?: string | null; os_version?: string | null }) =>
  [h.os_type, h.os_version].filter(Boolean).join(' ') || '—'

export function installOneLiner(server: ServerAddress, apiId: string, apiKey: string): string {
  return `curl ${server.curlFlags} "${server.url}/api/v1/hosts/install" -H "X-API-ID: ${apiId}" -H "X-API-KEY: ${apiKey}" | sh`
}
