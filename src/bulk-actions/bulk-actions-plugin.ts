// Bulk host actions (issue 20 part 5): one plugin over the hosts and agent features' own services.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { bulkActionRoutes } from './bulk-routes.js'

async function bulkActions(app: FastifyInstance): Promise<void> {
  await app.register(bulkActionRoutes)
}

export default fp(bulkActions, { name: 'bulk-actions', dependencies: ['session-auth', 'rate-limits', 'audit', 'hosts', 'agent'] })
