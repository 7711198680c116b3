// The server's public base URL for text we hand out (widget configs, scripts): the dashboard
// setting wins, then PATCHMON_SERVER_URL, then the address this request reached us on.
import type { FastifyInstance, FastifyRequest } from 'fastify'

export async function publicBaseUrl(app: FastifyInstance, request: FastifyRequest): Promise<string> {
  const configured = (await app.settings.get('server_url')) ?? app.config.serverUrl
  if (configured) return configured.replace(/\/+$/, '')
  return `${request.protocol}://${request.host}`
}
