import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { sql } from 'kysely'
import { APP_VERSION } from '../version.js'
import { writeHealth } from '../store/disk-full.js'

/**
 * Liveness for load balancers and systemd watchdogs; also proves the database answers, and that
 * it can take writes: a server whose disk is full answers reads but loses every report, which a
 * monitor must see (503, database "unwritable") rather than "ok".
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
      try {
        await sql`SELECT 1`.execute(app.store.db)
      } catch (err) {
        app.log.error({ err }, 'health check: database unreachable')
        return reply.code(503).send({ status: 'error' as const, version: APP_VERSION, database: 'unreachable' as const })
      }
      const writes = writeHealth(app.store)
      if (!writes.writable) {
        return reply.code(503).send({
          status: 'error' as const,
          version: APP_VERSION,
          database: 'unwritable' as const,
          message: `the disk holding the database is full${writes.fullSince ? ` (writes refused since ${writes.fullSince.toISOString()})` : ''}`
        })
      }
      return { status: 'ok' as const, version: APP_VERSION, database: 'ok' as const }
    }
  )
}
