// Integration / enrollment tokens as /api/v1/auto-enrollment/tokens returns them: the server's
// response schemas, imported as types only (the bundle gains no server code).
import type { Static } from 'typebox'
import type { CreateTokenResponse, TokenView } from '../../integration-tokens/token-schemas.js'
import type { IntegrationType } from './integration-snippets'

export type TokenItem = Static<typeof TokenView>

export type CreatedToken = Static<typeof CreateTokenResponse>

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
