// Agent-facing features beyond ping/report: agent version and download, the live WebSocket
// channel, and the 2.x integration calls (Docker inventory, integration status).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { AgentCatalogue } from './served-agent.js'
import { agentUpdateRoutes } from './agent-update-routes.js'
import { SCRIPT_ASSETS } from '../enrollment/served-scripts.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The agent files /hosts/agent/version and /download serve. */
    agentCatalogue: AgentCatalogue
  }
}

async function agentFeatures(app: FastifyInstance): Promise<void> {
  app.decorate('agentCatalogue', new AgentCatalogue(app.config.agentBinariesDir, () => app.scriptReader(SCRIPT_ASSETS.shellAgent)))
  await app.register(agentUpdateRoutes)
}

export default fp(agentFeatures, { name: 'agent-features', dependencies: ['app-context', 'rate-limits', 'session-auth', 'enrollment'] })
