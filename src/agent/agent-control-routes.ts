// Dashboard-side control of connected agents: connection state, "report now", "update agent".
// Every push is recorded in agent_jobs (delivered or not).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorReply } from '../http/schema-fragments.js'
import { hostColumns } from '../hosts/host-queries.js'
import { conflict, COMMON, notFound } from '../http/errors.js'
import { SECURITY } from '../http/openapi.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { recordAgentJob } from './agent-jobs.js'
import type { ServerToAgentMessage } from './agent-connections.js'
import type { FastifyInstance } from 'fastify'
import type { AgentOs } from './served-agent.js'

const TAGS = ['Hosts']
const HostParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
const JobReply = Type.Object({ message: Type.String(), hostId: Type.String(), jobId: Type.String() })
const NOT_CONNECTED = ERROR_MESSAGES.agentChannel.notConnected.message

const GO_ARCH: Record<string, string> = {
  x86_64: 'amd64',
  amd64: 'amd64',
  aarch64: 'arm64',
  arm64: 'arm64',
  i386: '386',
  i686: '386',
  armv7l: 'arm',
  armv6l: 'arm'
}

async function hostOrThrow(app: FastifyInstance, id: string) {
  const host = await hostColumns(app.store.db, id, ['id', 'os_type', 'architecture'])
  if (!host) throw notFound(COMMON.hostNotFound)
  return host
}

/** Sends the messages to the host's sockets and records one job; 409 when nothing is connected. */
async function push(app: FastifyInstance, hostId: string, jobName: string, messages: ServerToAgentMessage[]): Promise<string> {
  const at = new Date(app.agentConnections.clock())
  const delivered = messages.map((m) => app.agentConnections.send(hostId, m)).some((n) => n > 0)
  const jobId = await recordAgentJob(app.store.db, {
    hostId,
    jobName,
    delivered,
    at,
    output: { messages: messages.map((m) => m.type) },
    ...(delivered ? {} : { error: NOT_CONNECTED })
  })
  if (!delivered) throw conflict(NOT_CONNECTED)
  return jobId
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
      const jobId = await push(app, host.id, 'report_now', [{ type: 'report_now' }])
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
      const os: AgentOs = /windows/i.test(host.os_type ?? '') ? 'windows' : /freebsd/i.test(host.os_type ?? '') ? 'freebsd' : 'linux'
      const served = await app.agentCatalogue.find(os, GO_ARCH[host.architecture ?? ''] ?? 'amd64', { goOnly: false })
      const version = served?.version ?? ''
      const jobId = await push(app, host.id, 'update_agent', [
        { type: 'update_agent' },
        { type: 'update_notification', version, force: true, message: `Update to PatchMon Agent v${version} requested from the dashboard` }
      ])
      return reply.code(202).send({ message: 'Agent update requested', hostId: host.id, jobId })
    }
  )
}
