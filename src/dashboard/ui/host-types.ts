// What the hosts API returns, as far as the screens use it; fields a server leaves out show as "—".

export interface GroupRef {
  id: string
  name: string
  color?: string | null
}

export interface HostSummary {
  id: string
  friendly_name: string
  hostname?: string | null
  ip?: string | null
  os_type?: string | null
  os_version?: string | null
  status: string
  last_update?: string | null
  total_packages?: number
  outdated_packages?: number
  security_updates?: number
  needs_reboot?: boolean | number | null
  agent_version?: string | null
  host_groups?: GroupRef[]
  groups?: GroupRef[]
}

export interface HostGroup {
  id: string
  name: string
  description?: string | null
  color?: string | null
  host_count?: number
  hosts_count?: number
}

export interface HostCredentials {
  id: string
  api_id: string
  api_key: string
}

export const groupsOf = (h: HostSummary): GroupRef[] => h.host_groups ?? h.groups ?? []

export const osLabel = (h: { os_type?: string | null; os_version?: string | null }) => [h.os_type, h.os_version].filter(Boolean).join(' ') || '—'

export function installOneLiner(serverUrl: string, apiId: string, apiKey: string): string {
  return `curl -s "${serverUrl}/api/v1/hosts/install" -H "X-API-ID: ${apiId}" -H "X-API-KEY: ${apiKey}" | sh`
}
