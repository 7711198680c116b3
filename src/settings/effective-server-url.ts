// The public URL of this server, as browsers and agents reach it. The dashboard's Server URL
// setting wins, then PATCHMON_SERVER_URL, then what the request itself says (scheme and Host,
// honouring X-Forwarded-* only when TRUST_PROXY allows it).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { parseServerUrl } from '../config.js'

export async function effectiveServerUrl(app: FastifyInstance, request: FastifyRequest): Promise<string> {
  const stored = await app.settings.get('server_url')
  if (stored) {
    try {
      return parseServerUrl(stored)
    } catch {
      // An unreadable stored value falls through to the configured or derived URL.
    }
  }
  if (app.config.serverUrl) return app.config.serverUrl
  return `${request.protocol}://${request.host}`
}
