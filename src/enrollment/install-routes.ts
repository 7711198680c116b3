// Agent installation: GET /hosts/install serves install-agent.sh with a bootstrap token,
// POST /hosts/bootstrap/exchange trades it for the credentials, GET /hosts/remove serves the
// removal script (facts: enrollment §9).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorMessageReply as ErrorReply } from '../http/schema-fragments.js'
import { hostColumns } from '../hosts/host-queries.js'
import type { FastifyRequest } from 'fastify'
import { agentAuth, agentHostIdOf } from '../agent/agent-auth.js'
import { ApiError, COMMON, errorOf, unauthorized } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { SECURITY } from '../http/openapi.js'
import { effectiveServerUrl } from '../settings/effective-server-url.js'
import { injectConfig, renderConfigBlock, SCRIPT_ASSETS } from './served-scripts.js'
import { installScriptVariables } from './install-script.js'
import { sendScript } from './send-script.js'

const InstallQuery = Type.Object({
  force: Type.Optional(Type.String({ description: 'true enables force-install mode' })),
  arch: Type.Optional(Type.String({ description: 'amd64, 386, arm64 or arm; other values are ignored' })),
  os: Type.Optional(Type.String({ description: 'linux or freebsd; inferred from the host when absent' }))
})

const ExchangeReply = Type.Object({ apiId: Type.String(), apiKey: Type.String() })

const E = ERROR_MESSAGES.enrollmentScripts

function apiKeyHeader(request: FastifyRequest): string {
  const value = request.headers['x-api-key']
  const key = (Array.isArray(value) ? value[0] : value)?.trim()
  if (!key) throw unauthorized(COMMON.agentCredentialsRequired)
  return key
}

export const installRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const requireAgent = agentAuth(app)

  app.get(
    '/api/v1/hosts/install',
    {
      schema: {
        tags: ['Agent installation'],
        summary: 'Agent install script with a single-use bootstrap token',
        description: 'The token is valid for 5 minutes and trades once for the credentials at /api/v1/hosts/bootstrap/exchange.',
        security: SECURITY.agent,
        querystring: InstallQuery
      },
      config: { rateLimit: app.rateLimitBucket('agent') },
      preHandler: requireAgent
    },
    async (request, reply) => {
      const script = app.scriptReader(SCRIPT_ASSETS.install)
      if (!script) throw errorOf(E.installScriptNotFound)
      const host = await hostColumns(app.store.db, agentHostIdOf(request), ['api_id', 'os_type'])
      if (!host) throw new Error('agent host vanished')
      const insecure = await app.settings.get('ignore_ssl_self_signed')
      // The plaintext key is only known from this request's header (the database holds a hash).
      const bootstrapToken = app.bootstrapTokens.mint(host.api_id, apiKeyHeader(request))
      const serverUrl = await effectiveServerUrl(app, request)
      const vars = installScriptVariables({ ...request.query, hostOsType: host.os_type, serverUrl, insecure, bootstrapToken })
      const body = injectConfig(script.toString('utf8'), renderConfigBlock(vars, app.enrollmentClock.now()))
      return sendScript(reply, 'patchmon_install.sh', body)
    }
  )

  app.post(
    '/api/v1/hosts/bootstrap/exchange',
    {
      schema: {
        tags: ['Agent installation'],
        summary: 'Trade a bootstrap token for the host credentials (once)',
        security: [],
        body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 256 }) }),
        response: { 200: ExchangeReply, 400: ErrorReply, 401: ErrorReply, 429: ErrorReply }
      },
      config: { audit: { action: 'host.bootstrap_exchange' }, rateLimit: app.rateLimitBucket('auth') },
      // Whatever is wrong with the body (absent, malformed JSON, no token) gets the one documented reply.
      errorHandler: (err, _request, reply) => {
        if (err instanceof ApiError && err.statusCode !== 400)
          return reply
            .code(err.statusCode as 401)
            .headers(err.headers)
            .send(err.body as { error: string })
        if (err.statusCode === 429) return reply.code(429).send(errorOf(ERROR_MESSAGES.common.tooManyRequests).body as { error: string })
        return reply.code(400).send({ error: E.bootstrapRequired.message })
      }
    },
    async (request) => {
      const credentials = app.bootstrapTokens.exchange(request.body.token)
      if (!credentials) throw errorOf(E.bootstrapInvalid)
      return credentials
    }
  )

  app.get(
    '/api/v1/hosts/remove',
    {
      schema: {
        tags: ['Agent installation'],
        summary: 'Agent removal script',
        description: 'Environment: REMOVE_BACKUPS=1 also deletes backups, SILENT=1 suppresses prompts.',
        security: []
      },
      config: { rateLimit: app.rateLimitBucket('general') }
    },
    async (_request, reply) => {
      const script = app.scriptReader(SCRIPT_ASSETS.remove)
      if (!script) throw errorOf(E.removalScriptNotFound)
      const insecure = await app.settings.get('ignore_ssl_self_signed')
      const block = renderConfigBlock([{ name: 'CURL_FLAGS', value: insecure ? '-sk' : '-s' }], app.enrollmentClock.now())
      return sendScript(reply, 'patchmon_remove.sh', injectConfig(script.toString('utf8'), block))
    }
  )
}
