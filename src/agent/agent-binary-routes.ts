// GET /api/v1/hosts/agent/version and /hosts/agent/download (facts: agent-protocol §2.4-2.5).
// Replies are 200 only with something real to serve: the install script writes the download
// body straight into /usr/local/bin without looking at the status.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { agentAuth, agentHostIdOf } from './agent-auth.js'
import { ApiError, badRequest } from '../http/errors.js'
import { SECURITY } from '../http/openapi.js'
import { AGENT_OSES, binaryFileName, type AgentOs, type ServedAgent } from './served-agent.js'
import { isNewerVersion } from './version-compare.js'
import { hostColumns } from '../hosts/host-queries.js'

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

interface Target {
  os: AgentOs
  arch: string
}

async function targetOf(
  app: FastifyInstance,
  hostId: string,
  query: { os?: string | undefined; arch?: string | undefined }
): Promise<Target> {
  if (query.os !== undefined && !(AGENT_OSES as readonly string[]).includes(query.os)) {
    throw badRequest('Invalid os. Must be one of: linux, freebsd, windows')
  }
  let os = query.os as AgentOs | undefined
  if (!os) {
    const host = await hostColumns(app.store.db, hostId, ['os_type'])
    const osType = host?.os_type ?? ''
    os = /windows/i.test(osType) ? 'windows' : /freebsd/i.test(osType) ? 'freebsd' : 'linux'
  }
  return { os, arch: query.arch?.trim() || 'amd64' }
}

function notServed(target: Target): ApiError {
  // The arch is echoed only when it is a plain word (it comes from the query string).
  const arch = /^[a-z0-9_]{1,16}$/.test(target.arch) ? target.arch : 'unknown'
  const file = binaryFileName(target.os, arch)
  return new ApiError(404, {
    error: `Agent binary not found for ${target.os}/${arch}. Ensure ${file} exists in the agent binaries directory.`,
    hasUpdate: false
  })
}

async function autoUpdateBlock(app: FastifyInstance, hostAutoUpdate: boolean): Promise<string | null> {
  const server = await app.settings.get('auto_update')
  if (!server && !hostAutoUpdate) return 'Auto-update is disabled in server settings and for this host'
  if (!server) return 'Auto-update is disabled in server settings'
  if (!hostAutoUpdate) return 'Auto-update is disabled for this host'
  return null
}

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
    async (request) => {
      const hostId = agentHostIdOf(request)
      const target = await targetOf(app, hostId, request.query)
      // A Go agent must never be offered the shell agent (it would replace its binary with a
      // script). Our shell agent also sends type=go, and says "(shell)" in its User-Agent.
      const shellAgentCaller = /\(shell\)/.test(request.headers['user-agent'] ?? '')
      const served = await app.agentCatalogue.find(target.os, target.arch, { goOnly: request.query.type === 'go' && !shellAgentCaller })
      if (!served) throw notServed(target)
      const host = await hostColumns(app.store.db, hostId, ['auto_update', 'agent_version'])
      if (!host) throw new Error('agent host vanished')
      const current = request.query.currentVersion?.trim().replace(/^v/, '') || host.agent_version || null
      const blocked = await autoUpdateBlock(app, host.auto_update === 1)
      const latest = served.version ?? 'unknown'
      return {
        currentVersion: current,
        latestVersion: latest,
        hasUpdate: blocked === null && current !== null && served.version !== undefined && isNewerVersion(served.version, current),
        autoUpdateDisabled: blocked !== null,
        autoUpdateDisabledReason: blocked,
        downloadUrl: `/api/v1/hosts/agent/download?arch=${target.arch}&os=${target.os}`,
        releaseNotes: `PatchMon Agent v${latest}`,
        minServerVersion: null,
        architecture: target.arch,
        agentType: agentTypeOf(served),
        hash: served.sha256
      }
    }
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

const agentTypeOf = (served: ServedAgent) => (served.kind === 'binary' ? 'go' : 'shell')
