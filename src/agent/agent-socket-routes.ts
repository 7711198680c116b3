// WebSocket /api/v1/agents/ws (facts: agent-protocol §3). Authenticated during the upgrade with
// X-API-ID/X-API-KEY (plain-text 401 otherwise, as upstream); the server answers pings, pings
// every 30 s, drops links silent for 90 s, and ignores frames it does not understand.
import type { WebSocket } from 'ws'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { checkAgentCredentials } from './agent-auth.js'
import { PING_EVERY_MS, webSocketLink } from './agent-connections.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'

const CHANNEL_ERRORS = ERROR_MESSAGES.agentChannel

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  const first = Array.isArray(value) ? value[0] : value
  return first && first.trim() !== '' ? first.trim() : undefined
}

/** One authenticated agent socket: registered as a connection, kept alive, unregistered on close. */
function serveAgentSocket(app: FastifyInstance, socket: WebSocket, request: FastifyRequest): void {
  const hostId = request.agentHostId as string
  const conn = app.agentConnections.add(hostId, webSocketLink(socket))
  request.log.info({ hostId }, 'agent connected')
  socket.on('ping', () => app.agentConnections.seen(conn))
  socket.on('pong', () => app.agentConnections.seen(conn))
  socket.on('message', (data, isBinary) => {
    app.agentConnections.seen(conn)
    if (isBinary) return
    // 2.x agents may send docker_status, compliance progress or proxy replies; none of them
    // is part of our contract, and an unknown or malformed frame never closes the link.
    try {
      const frame: unknown = JSON.parse(data.toString())
      const type = typeof frame === 'object' && frame !== null ? (frame as { type?: unknown }).type : undefined
      request.log.debug({ hostId, type: typeof type === 'string' ? type.slice(0, 64) : undefined }, 'agent frame ignored')
    } catch {
      request.log.debug({ hostId }, 'non-JSON agent frame ignored')
    }
  })
  socket.on('error', (err) => request.log.debug({ hostId, err: err.message }, 'agent socket error'))
  socket.on('close', () => {
    app.agentConnections.remove(conn)
    request.log.info({ hostId }, 'agent disconnected')
  })
}

export async function agentSocketRoutes(app: FastifyInstance): Promise<void> {
  async function authenticateUpgrade(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const apiId = header(request, 'x-api-id')
    const apiKey = header(request, 'x-api-key')
    if (!apiId || !apiKey)
      return void (await reply.code(401).type('text/plain; charset=utf-8').send(CHANNEL_ERRORS.socketCredentialsMissing.message))
    const hostId = apiId.length <= 128 && apiKey.length <= 256 ? await checkAgentCredentials(app, request, apiId, apiKey) : undefined
    if (!hostId) return void (await reply.code(401).type('text/plain; charset=utf-8').send(CHANNEL_ERRORS.socketCredentialsInvalid.message))
    request.agentHostId = hostId
  }

  app.get(
    '/api/v1/agents/ws',
    {
      websocket: true,
      schema: { tags: ['Agent'], summary: 'Live channel to the agent (WebSocket upgrade)', hide: true },
      // Upgrades spend the agent bucket like every other agent call.
      config: { rateLimit: app.rateLimitBucket('agent') },
      preValidation: authenticateUpgrade
    },
    (socket, request) => serveAgentSocket(app, socket, request)
  )

  app.timers.add({ name: 'agent-websocket-keepalive', everyMs: PING_EVERY_MS, run: () => app.agentConnections.keepAlive() })

  // The report interval is pushed to every connected agent as soon as it changes.
  app.events.on('settings_changed', async ({ keys }) => {
    if (!keys.includes('update_interval')) return
    const interval = await app.settings.get('update_interval')
    const delivered = app.agentConnections.broadcast({ type: 'settings_update', update_interval: interval })
    app.log.info({ delivered, update_interval: interval }, 'update interval pushed to agents')
  })
  app.events.on('host_deleted', ({ hostId }) => app.agentConnections.disconnect(hostId))
  // A socket authenticated with the old key must not outlive it.
  app.events.on('host_credentials_regenerated', ({ hostId }) => app.agentConnections.disconnect(hostId, 'credentials regenerated'))
}
