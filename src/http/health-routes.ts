import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { databaseHealth } from './database-health.js'

/**
 * Liveness for load balancers and systemd watchdogs; also proves the database answers and takes
 * writes (database-health.ts).
 */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        response: {
          200: Type.Object({ status: Type.Literal('ok'), version: Type.String(), database: Type.Literal('ok') }),
          503: Type.Object({
            status: Type.Literal('error'),
            version: Type.String(),
            database: Type.Union([Type.Literal('unreachable'), Type.Literal('unwritable')]),
            message: Type.Optional(Type.String())
          })
        }
      }
    },
    async (_request, reply) => {
      const health = await databaseHealth(app.store, app.log)
      return reply.code(health.statusCode).send(health.body)
    }
  )
}
