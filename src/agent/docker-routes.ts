// Docker and the other 2.x agent integration calls (facts: agent-protocol §2.6): which integrations are on,
// integration status reports, and the Docker inventory. Replies are 200 and compact.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { agentAuth, agentHostIdOf } from './agent-auth.js'
import { SECURITY } from '../http/openapi.js'
import { storeDockerInventory, type DockerStoreResult } from './docker-inventory.js'
import { emitCommitted } from '../events/event-outbox.js'
import { dockerIntegrationEnabled } from './docker-integration.js'

const TAGS = ['Agent']
const MAX_ITEMS = 10_000
const List = Type.Optional(Type.Union([Type.Array(Type.Unknown(), { maxItems: MAX_ITEMS }), Type.Null()]))

/** What the agent is told it sent: the stored counts, and how many image updates it listed. */
function dockerReceipt(result: DockerStoreResult, updates: unknown[] | null | undefined) {
  return {
    message: 'Docker data collected successfully',
    containers_received: result.containers,
    images_received: result.images,
    volumes_received: result.volumes,
    networks_received: result.networks,
    updates_found: Array.isArray(updates) ? updates.length : 0
  }
}

export const dockerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const requireAgent = agentAuth(app)
  const agentConfig = { rateLimit: app.rateLimitBucket('agent'), validationShape: 'single' as const }

  app.get(
    '/api/v1/hosts/integrations',
    {
      schema: {
        tags: TAGS,
        summary: 'Integrations the agent should run',
        description:
          "The agent rewrites its config to match: Docker collection is on for hosts where it was turned on (the host's Docker tab), compliance stays off.",
        security: SECURITY.agent,
        response: {
          200: Type.Object({
            success: Type.Boolean(),
            integrations: Type.Object({ docker: Type.Boolean(), compliance: Type.Boolean() }),
            compliance_mode: Type.String(),
            compliance_openscap_enabled: Type.Boolean(),
            compliance_docker_bench_enabled: Type.Boolean()
          })
        }
      },
      config: agentConfig,
      preHandler: requireAgent
    },
    async (request) => ({
      success: true,
      integrations: { docker: await dockerIntegrationEnabled(app.store.db, agentHostIdOf(request)), compliance: false },
      compliance_mode: 'disabled',
      compliance_openscap_enabled: false,
      compliance_docker_bench_enabled: false
    })
  )

  app.post(
    '/api/v1/hosts/integration-status',
    {
      schema: {
        tags: TAGS,
        summary: 'Integration status report from the agent',
        security: SECURITY.agent,
        body: Type.Object({
          integration: Type.Optional(Type.String({ maxLength: 64 })),
          enabled: Type.Optional(Type.Boolean()),
          status: Type.Optional(Type.String({ maxLength: 64 })),
          message: Type.Optional(Type.String())
        }),
        response: { 200: Type.Object({ success: Type.Boolean(), message: Type.String() }) }
      },
      config: {
        ...agentConfig,
        audit: { notAudited: 'agent traffic (reports, pings, run output): kept in report history and patch runs' }
      },
      // Agents send Content-Type: application/json on every call, sometimes with no body at all.
      preValidation: [
        requireAgent,
        async (request) => {
          request.body ??= {}
        }
      ]
    },
    async (request) => {
      const body = request.body
      request.log.info(
        { hostId: agentHostIdOf(request), integration: body.integration, enabled: body.enabled, status: body.status },
        'agent integration status'
      )
      return { success: true, message: 'Integration status received' }
    }
  )

  app.post(
    '/api/v1/integrations/docker',
    {
      schema: {
        tags: TAGS,
        summary: 'Docker inventory of the host',
        description:
          "Replaces the host's stored containers, images, volumes and networks; a container going from running to exited/dead/stopped emits container_stopped.",
        security: SECURITY.agent,
        body: Type.Object({ containers: List, images: List, volumes: List, networks: List, updates: List }),
        response: {
          200: Type.Object({
            message: Type.String(),
            containers_received: Type.Integer(),
            images_received: Type.Integer(),
            volumes_received: Type.Integer(),
            networks_received: Type.Integer(),
            updates_found: Type.Integer()
          })
        }
      },
      bodyLimit: app.config.agentUpdateBodyLimit,
      config: {
        ...agentConfig,
        audit: { notAudited: 'agent traffic (reports, pings, run output): kept in report history and patch runs' }
      },
      // Credentials are checked before the body, as on every agent route.
      preValidation: requireAgent
    },
    async (request) => {
      const result = await storeDockerInventory(app.store.db, agentHostIdOf(request), request.body, new Date())
      for (const stop of result.stopped) emitCommitted(app.events, stop)
      return dockerReceipt(result, request.body.updates)
    }
  )
}
