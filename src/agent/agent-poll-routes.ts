// GET /api/v1/agents/poll: the live channel for agents without a WebSocket client (our shell agent
// on curl < 8.11). Authenticated like every agent route (X-API-ID/X-API-KEY). The request is held
// until the dashboard sends a command (200 `{"commands":[{"type":"report_now"}, ...]}`, the same
// JSON messages a WebSocket agent gets as frames) or until `wait` seconds pass (204). One held poll
// per host: a newer one answers the older with 409. Commands go through app.agentConnections, so
// report-now, update-agent and the host's connection state work as for a WebSocket.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorReply } from '../http/schema-fragments.js'
import { SECURITY } from '../http/openapi.js'
import { agentAuth, agentHostIdOf } from './agent-auth.js'
import { PollChannels } from './poll-channel.js'

/** Capability names are short words; anything else in the header is ignored. */
const CAPABILITY = /^[a-z][a-z0-9_]{0,63}$/

/** `X-PatchMon-Capabilities: run_patch,patch_run_stop,reboot_host` as a set (at most 32 names). */
export function parseCapabilities(header: string | string[] | undefined): Set<string> {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '')
  return new Set(
    text
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter((name) => CAPABILITY.test(name))
      .slice(0, 32)
  )
}

/** Default hold: below the 30 s idle timeouts common in proxies in front of the server. */
export const POLL_WAIT_SECONDS = 25
const MAX_WAIT_SECONDS = 30

export const agentPollRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const requireAgent = agentAuth(app)
  const polls = new PollChannels(app.agentConnections)
  // Held polls must not keep the server from stopping: answer them before the listener closes.
  app.addHook('preClose', async () => polls.shutdown())

  app.get(
    '/api/v1/agents/poll',
    {
      schema: {
        tags: ['agent'],
        summary: 'Live channel by HTTP long-poll: held until a command arrives (200) or `wait` seconds pass (204)',
        security: SECURITY.agent,
        querystring: Type.Object({
          wait: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_WAIT_SECONDS, default: POLL_WAIT_SECONDS }))
        }),
        response: {
          200: Type.Object({ commands: Type.Array(Type.Object({ type: Type.String() }, { additionalProperties: true })) }),
          204: Type.Null(),
          401: ErrorReply,
          409: ErrorReply,
          503: ErrorReply
        }
      },
      onRequest: requireAgent,
      config: { rateLimit: app.rateLimitBucket('agent'), validationShape: 'single' as const }
    },
    async (request, reply) => {
      const waitMs = (request.query.wait ?? POLL_WAIT_SECONDS) * 1000
      const capabilities = parseCapabilities(request.headers['x-patchmon-capabilities'])
      const outcome = await polls.hold(agentHostIdOf(request), waitMs, reply.raw, capabilities)
      if (outcome.status === 204) return reply.code(204).send(null)
      return reply.code(outcome.status).send(outcome.body)
    }
  )
}
