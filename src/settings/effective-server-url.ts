// The public URL written into install scripts and OAuth callbacks. The dashboard setting wins,
// then PATCHMON_SERVER_URL, then what the request itself says (Host header, proxy-aware protocol).
import type { FastifyInstance, FastifyRequest } from 'fastify'

export async function effectiveServerUrl(app: FastifyInstance, request: FastifyRequest): Promise<string> {
  const fromSettings = await app.settings.get('server_url')
  const url = fromSettings ?? app.config.serverUrl ?? `${request.protocol}://${request.host}`
  // Agents join paths by concatenation: never hand out a trailing slash.
  return url.replace(/\/+$/, '')
}
