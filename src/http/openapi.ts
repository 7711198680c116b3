// The OpenAPI document is generated from the route schemas: JSON at /api/v1/openapi.json, Swagger
// UI at /api/v1/api-docs for signed-in users (bearer header or the dashboard's session cookie).
import swagger from '@fastify/swagger'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { APP_VERSION } from '../version.js'
import { registerSwaggerUi } from './swagger-ui-files.js'

export const SECURITY = {
  bearer: [{ bearerAuth: [] }],
  basic: [{ basicAuth: [] }],
  agent: [{ agentApiId: [], agentApiKey: [] }],
  enrollment: [{ enrollmentKey: [], enrollmentSecret: [] }]
}

async function openapi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'PatchMon appliance API',
        version: APP_VERSION,
        description: 'Agent, dashboard, Integration (scoped Basic-auth), gethomepage and auto-enrollment endpoints.'
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          basicAuth: { type: 'http', scheme: 'basic', description: 'Token key as user name, token secret as password' },
          agentApiId: { type: 'apiKey', in: 'header', name: 'X-API-ID' },
          agentApiKey: { type: 'apiKey', in: 'header', name: 'X-API-KEY' },
          enrollmentKey: { type: 'apiKey', in: 'header', name: 'X-Auto-Enrollment-Key' },
          enrollmentSecret: { type: 'apiKey', in: 'header', name: 'X-Auto-Enrollment-Secret' }
        }
      }
    }
  })
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  registerSwaggerUi(app, { prefix: '/api/v1/api-docs', specUrl: '/api/v1/openapi.json', authenticate: app.authenticate })
}

export default fp(openapi, { name: 'openapi', dependencies: ['session-auth'] })
