// Integration / enrollment tokens as /api/v1/auto-enrollment/tokens returns them.
import type { IntegrationType } from './integration-snippets'

export interface TokenItem {
  id: string
  token_name: string
  token_key: string
  is_active: boolean
  allowed_ip_ranges: string[]
  max_hosts_per_day: number
  hosts_created_today?: number
  last_used_at: string | null
  expires_at: string | null
  created_at: string
  default_host_group_id?: string | null
  metadata?: { integration_type?: string } & Record<string, unknown>
  scopes: Record<string, string[]> | null
  host_groups?: { id: string; name: string } | null
}

export interface CreatedToken {
  message?: string
  warning?: string
  /** gethomepage tokens: the services.yaml entry with the credentials filled in. */
  gethomepage_config?: string
  token: { id: string; token_name: string; token_key: string; token_secret: string; scopes?: Record<string, string[]> | null }
}

export function typeOf(t: TokenItem): IntegrationType {
  const type = t.metadata?.integration_type
  return type === 'api' || type === 'gethomepage' || type === 'direct-host' ? type : 'proxmox-lxc'
}

export function scopeText(scopes: Record<string, string[]> | null | undefined): string {
  if (!scopes) return '—'
  return (
    Object.entries(scopes)
      .flatMap(([resource, actions]) => actions.map((a) => `${resource}:${a}`))
      .join(', ') || '—'
  )
}
