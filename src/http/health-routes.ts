import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { sql } from 'kysely'
import { APP_VERSION } from '../version.js'

/** Liveness for load balancers and systemd watchdogs; also proves the database answers. */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        response: {
          200: Type.Object({ status: Type.Literal('ok'), version: Type.String(), database: Type.Literal('ok') }),
          503: Type.Object({ status: Type.Literal('error'), version: Type.String(), database: Type.Literal('unreachable') })
        }
      }
    },
    async (_request, reply) => {
      try {
        await sql`SELECT 1`.execute(app.store.db)
        return { status: 'ok' as const, version: APP_VERSION, database: 'ok' as const }
      } catch (err) {
        app.log.error({ err }, 'health check: database unreachable')
        return reply.code(503).send({ status: 'error' as const, version: APP_VERSION, database: 'unreachable' as const })
      }
    }
  )
}
