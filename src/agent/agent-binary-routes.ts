// GET /api/v1/hosts/agent/version and /hosts/agent/download (facts: agent-protocol §2.4-2.5).
// Replies are 200 only with something real to serve: the install script writes the download
// body straight into /usr/local/bin without looking at the status.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { agentAuth, agentHostIdOf } from './agent-auth.js'
import { SECURITY } from '../http/openapi.js'
import { agentVersionCheck, notServed, targetOf } from './agent-binary-service.js'

const TAGS = ['Agent']

const AgentQuery = Type.Object({
  arch: Type.Optional(Type.String({ description: 'Go architecture name; default amd64' })),
  os: Type.Optional(Type.String({ description: 'linux, freebsd or windows; default inferred from the host' })),
  type: Type.Optional(
    Type.String({ description: 'go: only upstream binaries count, unless the User-Agent says "(shell)" (our shell agent)' })
  ),
  currentVersion: Type.Optional(Type.String()),
  force: Type.Optional(Type.String())
})

const VersionReply = Type.Object({
  currentVersion: Type.Union([Type.String(), Type.Null()]),
  latestVersion: Type.String(),
  hasUpdate: Type.Boolean(),
  autoUpdateDisabled: Type.Boolean(),
  autoUpdateDisabledReason: Type.Union([Type.String(), Type.Null()]),
  downloadUrl: Type.String(),
  releaseNotes: Type.String(),
  minServerVersion: Type.Null(),
  architecture: Type.String(),
  agentType: Type.String({ description: 'go for an upstream binary, shell for our shell agent' }),
  hash: Type.String({ description: 'SHA-256 of the file /hosts/agent/download serves' })
})
const AgentFile = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The agent binary or shell agent' })
const NotServedReply = Type.Object({ error: Type.String(), hasUpdate: Type.Optional(Type.Boolean()) })

export const agentBinaryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const requireAgent = agentAuth(app)

  app.get(
    '/api/v1/hosts/agent/version',
    {
      schema: {
        tags: TAGS,
        summary: 'Latest agent version for this host',
        description: 'hasUpdate is true only for a strictly newer agent and when auto-update is on for the server and the host.',
        security: SECURITY.agent,
        querystring: AgentQuery,
        response: { 200: VersionReply, 400: NotServedReply, 404: NotServedReply }
      },
      config: { rateLimit: app.rateLimitBucket('agent') },
      preHandler: requireAgent
    },
    async (request) => agentVersionCheck(app, request, request.query)
  )

  app.get(
    '/api/v1/hosts/agent/download',
    {
      schema: {
        tags: TAGS,
        summary: 'Download the agent for this host',
        security: SECURITY.agent,
        querystring: AgentQuery,
        response: { 200: AgentFile, 400: NotServedReply, 404: NotServedReply }
      },
      config: { rateLimit: app.rateLimitBucket('agent') },
      preHandler: requireAgent
    },
    async (request, reply) => {
      const target = await targetOf(app, agentHostIdOf(request), request.query)
      const served = await app.agentCatalogue.find(target.os, target.arch, { goOnly: false })
      if (!served) throw notServed(target)
      return reply
        .code(200)
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', `attachment; filename="${served.fileName}"`)
        .header('x-agent-sha256', served.sha256)
        .send(await served.read())
    }
  )
}
