// Dashboard-side control of connected agents: connection state, "report now", "update agent".
// Every push is recorded in agent_jobs (delivered or not; agent-commands.ts).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorReply } from '../http/schema-fragments.js'
import { hostColumns } from '../hosts/host-queries.js'
import { conflict, COMMON, notFound } from '../http/errors.js'
import { SECURITY } from '../http/openapi.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { requestAgentUpdate, requestReportNow, type AgentPush } from './agent-commands.js'
import type { FastifyInstance } from 'fastify'

const TAGS = ['Hosts']
const HostParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
const JobReply = Type.Object({ message: Type.String(), hostId: Type.String(), jobId: Type.String() })
const NOT_CONNECTED = ERROR_MESSAGES.agentChannel.notConnected.message

async function hostOrThrow(app: FastifyInstance, id: string) {
  const host = await hostColumns(app.store.db, id, ['id', 'os_type', 'architecture'])
  if (!host) throw notFound(COMMON.hostNotFound)
  return host
}

/** 409 when no open link got the request (the job is recorded as failed either way). */
function deliveredOr409(pushed: AgentPush): string {
  if (!pushed.delivered) throw conflict(NOT_CONNECTED)
  return pushed.jobId
}

export const agentControlRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/hosts/:id/connection',
    {
      schema: {
        tags: TAGS,
        summary: "State of the host's live agent channel",
        security: SECURITY.bearer,
        params: HostParams,
        response: {
          200: Type.Object({
            hostId: Type.String(),
            connected: Type.Boolean(),
            connections: Type.Integer(),
            transports: Type.Array(Type.String(), { description: 'websocket and/or poll' }),
            connectedAt: Type.Union([Type.String(), Type.Null()]),
            lastSeenAt: Type.Union([Type.String(), Type.Null()])
          }),
          404: ErrorReply
        }
      },
      config: { rateLimit: app.rateLimitBucket('general') },
      preHandler: app.requirePermission('can_view_hosts')
    },
    async (request) => {
      const host = await hostOrThrow(app, request.params.id)
      return app.agentConnections.state(host.id)
    }
  )

  app.post(
    '/api/v1/hosts/:id/report-now',
    {
      schema: {
        tags: TAGS,
        summary: 'Ask the connected agent to send a full report now',
        security: SECURITY.bearer,
        params: HostParams,
        response: { 202: JobReply, 404: ErrorReply, 409: ErrorReply }
      },
      config: { audit: { action: 'host.report_now', target: 'host' }, rateLimit: app.rateLimitBucket('general') },
      preHandler: app.requirePermission('can_manage_hosts')
    },
    async (request, reply) => {
      const host = await hostOrThrow(app, request.params.id)
      const jobId = deliveredOr409(await requestReportNow(app, host.id))
      return reply.code(202).send({ message: 'Report requested', hostId: host.id, jobId })
    }
  )

  app.post(
    '/api/v1/hosts/:id/update-agent',
    {
      schema: {
        tags: TAGS,
        summary: 'Ask the connected agent to update itself now',
        description: 'Sends update_agent (2.x agents) and a forced update_notification (1.3.x agents).',
        security: SECURITY.bearer,
        params: HostParams,
        response: { 202: JobReply, 404: ErrorReply, 409: ErrorReply }
      },
      config: { audit: { action: 'host.agent_update', target: 'host' }, rateLimit: app.rateLimitBucket('general') },
      preHandler: app.requirePermission('can_manage_hosts')
    },
    async (request, reply) => {
      const host = await hostOrThrow(app, request.params.id)
      const jobId = deliveredOr409(await requestAgentUpdate(app, host.id, host))
      return reply.code(202).send({ message: 'Agent update requested', hostId: host.id, jobId })
    }
  )
}
