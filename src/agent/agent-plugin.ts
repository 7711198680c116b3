// The agent feature, one plugin: ping, report and update interval (report ingestion comes from the
// hosts plugin), agent version and download, the live channel (WebSocket or HTTP long-poll), and
// the 2.x integration calls (Docker inventory, integration status) and the Docker screen's API. The shell files come through
// app.scriptReader, which the enrollment plugin decorates: a plugin dependency, not an import.
import fp from 'fastify-plugin'
import websocket from '@fastify/websocket'
import type { FastifyInstance } from 'fastify'
import { AgentCatalogue, SHELL_AGENT_ASSET } from './served-agent.js'
import { agentBinaryRoutes } from './agent-binary-routes.js'
import { agentReportRoutes } from './agent-report-routes.js'
import { AgentConnections, type AgentConnectionState } from './agent-connections.js'
import { agentSocketRoutes } from './agent-socket-routes.js'
import { agentPollRoutes } from './agent-poll-routes.js'
import { agentControlRoutes } from './agent-control-routes.js'
import { dockerRoutes } from './docker-routes.js'
import { dockerDashboardRoutes } from './docker-dashboard-routes.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The agent files /hosts/agent/version and /download serve. */
    agentCatalogue: AgentCatalogue
    /** Live agent channels (WebSockets and held polls): state, sends, connect/disconnect listeners. */
    agentConnections: AgentConnections
  }
}

/** Connection state of a host's agent for lists and host-down hints (not a verdict on its own). */
export function agentConnectionState(app: FastifyInstance, hostId: string): AgentConnectionState {
  return app.agentConnections.state(hostId)
}

/** Largest WebSocket frame accepted (agents' frames are small JSON documents). */
const MAX_FRAME_BYTES = 512 * 1024

async function agentFeatures(app: FastifyInstance): Promise<void> {
  // Registered here, outside the routes' own scope, so later features (the patching run stream)
  // can declare WebSocket routes too without a second upgrade handler on the server.
  await app.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES } })
  app.decorate('agentCatalogue', new AgentCatalogue(app.config.agentBinariesDir, () => app.scriptReader(SHELL_AGENT_ASSET)))
  app.decorate('agentConnections', new AgentConnections((err) => app.log.error({ err }, 'agent connection listener failed')))
  await app.register(agentReportRoutes)
  await app.register(agentBinaryRoutes)
  await app.register(agentSocketRoutes)
  await app.register(agentPollRoutes)
  await app.register(agentControlRoutes)
  await app.register(dockerRoutes)
  await app.register(dockerDashboardRoutes)
}

export default fp(agentFeatures, { name: 'agent', dependencies: ['app-context', 'rate-limits', 'session-auth', 'hosts', 'enrollment'] })
