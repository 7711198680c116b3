// The dashboard's public URL for links in messages: the Server URL setting, else PATCHMON_SERVER_URL.
import type { FastifyInstance } from 'fastify'

export async function publicServerUrl(app: FastifyInstance): Promise<string | null> {
  return (await app.settings.get('server_url')) ?? app.config.serverUrl ?? null
}
