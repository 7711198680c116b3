// gethomepage's customapi widget: /api/v1/gethomepage/stats and /health (chapter 2). Basic auth
// with a `gethomepage` credential (no scopes), and the gethomepage rate-limit bucket (100 per
// 15 minutes per IP by default — see README for how widget polling multiplies with open tabs).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorMessageReply as ErrorBody } from '../http/schema-fragments.js'
import { Type } from '@fastify/type-provider-typebox'
import { errorOf } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { SECURITY } from '../http/openapi.js'
import { integrationBasicAuth, integrationCredentialOf } from '../integration-tokens/basic-auth.js'
import { homepageStats } from './homepage-stats.js'

const Int = Type.Integer()
const ERROR_REPLIES = { 401: ErrorBody, 403: ErrorBody, 429: ErrorBody, 500: ErrorBody }

const StatsResponse = Type.Object({
  total_hosts: Type.Integer({ description: 'Active hosts' }),
  total_outdated_packages: Type.Integer({ description: 'Sum of outdated packages over all hosts' }),
  total_repos: Type.Integer({ description: 'Active repositories' }),
  hosts_needing_updates: Type.Integer({ description: 'Active hosts with at least one outdated package' }),
  up_to_date_hosts: Type.Integer({ description: 'Active hosts with package data and nothing outdated' }),
  security_updates: Type.Integer({ description: 'Sum of security updates over all hosts' }),
  hosts_with_security_updates: Int,
  recent_updates_24h: Type.Integer({ description: 'Successful reports in the last 24 hours' }),
  reboot_required_hosts: Type.Integer({ description: 'Active hosts that need a reboot' }),
  awaiting_data_hosts: Type.Integer({ description: 'Hosts without package data yet' }),
  os_distribution: Type.Array(Type.Object({ name: Type.String(), count: Int, os_type: Type.String(), os_version: Type.String() })),
  top_os_1_name: Type.String(),
  top_os_1_count: Int,
  top_os_2_name: Type.String(),
  top_os_2_count: Int,
  top_os_3_name: Type.String(),
  top_os_3_count: Int,
  last_updated: Type.String({ format: 'date-time' })
})

export const homepageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const auth = integrationBasicAuth(app, 'gethomepage')
  const config = { rateLimit: app.rateLimitBucket('gethomepage') }
  const common = { tags: ['gethomepage'], security: SECURITY.basic }

  app.get(
    '/api/v1/gethomepage/stats',
    {
      schema: {
        ...common,
        summary: 'Fleet statistics for the gethomepage customapi widget',
        response: { 200: StatsResponse, ...ERROR_REPLIES }
      },
      preHandler: auth,
      config
    },
    async (request) => {
      try {
        return await homepageStats(app.store.db)
      } catch (err) {
        request.log.error({ err }, 'gethomepage statistics failed')
        throw errorOf(ERROR_MESSAGES.homepage.statsFailed)
      }
    }
  )

  app.get(
    '/api/v1/gethomepage/health',
    {
      schema: {
        ...common,
        summary: 'Liveness probe naming the credential used',
        response: {
          200: Type.Object({ status: Type.Literal('ok'), timestamp: Type.String({ format: 'date-time' }), api_key: Type.String() }),
          ...ERROR_REPLIES
        }
      },
      preHandler: auth,
      config
    },
    async (request) => ({ status: 'ok' as const, timestamp: new Date().toISOString(), api_key: integrationCredentialOf(request).tokenName })
  )
}
