// What the hosts API returns. The host shapes are the server's own response schemas
// (src/hosts/host-schemas.ts), imported as types only: the bundle gains no server code.
import type { Static } from 'typebox'
import type { HostSummary as HostSummarySchema } from '../../hosts/host-schemas.js'
import type { ServerAddress } from './server-url'

export type HostSummary = Static<typeof HostSummarySchema>

// No exported server schema yet: the view and the create reply are declared inside
// src/hosts/host-group-routes.ts and src/hosts/host-routes.ts.
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
