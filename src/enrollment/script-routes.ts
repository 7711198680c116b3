// GET /api/v1/auto-enrollment/script: the Proxmox LXC or direct-host enrollment script with the
// server URL and token credentials injected (facts: enrollment §6, checks in upstream's order).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { badRequest, notFound, unauthorized } from '../http/errors.js'
import { effectiveServerUrl } from '../settings/effective-server-url.js'
import { checkEnrollmentToken } from './enrollment-token-check.js'
import { judgeWithinBudget } from '../http/credential-budget.js'
import { injectConfig, renderConfigBlock, SCRIPT_ASSETS } from './served-scripts.js'
import { sendScript } from './send-script.js'

const SCRIPT_TYPES = ['proxmox-lxc', 'direct-host'] as const
type ScriptType = (typeof SCRIPT_TYPES)[number]

const FILE_NAMES: Record<ScriptType, string> = {
  'proxmox-lxc': 'proxmox_auto_enroll.sh',
  'direct-host': 'direct_host_auto_enroll.sh'
}

const ScriptQuery = Type.Object({
  type: Type.Optional(Type.String({ description: 'proxmox-lxc or direct-host' })),
  token_key: Type.Optional(Type.String()),
  token_secret: Type.Optional(Type.String()),
  force: Type.Optional(Type.String({ description: 'true (or 1) enables force-install mode for broken packages' }))
})

const isScriptType = (t: string): t is ScriptType => (SCRIPT_TYPES as readonly string[]).includes(t)

export const scriptRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/auto-enrollment/script',
    {
      schema: {
        tags: ['Auto-enrollment'],
        summary: 'Download an enrollment script with credentials injected',
        description:
          'Plain-text shell script. Injected values are defaults: PATCHMON_URL, AUTO_ENROLLMENT_KEY, AUTO_ENROLLMENT_SECRET, ' +
          'CURL_FLAGS and FORCE_INSTALL set in the environment win.',
        querystring: ScriptQuery,
        security: []
      },
      config: { rateLimit: app.rateLimitBucket('auth') }
    },
    async (request, reply) => {
      const { type, token_key: key, token_secret: secret, force } = request.query
      if (!key || !secret) throw unauthorized('Token key and secret required as query parameters')
      if (!type) throw badRequest('Script type required as query parameter (e.g., ?type=proxmox-lxc or ?type=direct-host)')
      if (!isScriptType(type)) throw badRequest(`Invalid script type: ${type.slice(0, 64)}. Supported types: ${SCRIPT_TYPES.join(', ')}`)
      const script = app.scriptReader(SCRIPT_ASSETS[type])
      if (!script) throw notFound(`Enrollment script not found: ${type}`)
      const now = app.enrollmentClock.now()
      const judge = () => checkEnrollmentToken(app, key, secret, now)
      if (app.credentialCache.lookup(key, secret) !== undefined) await judge()
      else await judgeWithinBudget(app, request, `enroll:${key}`, judge)
      const insecure = await app.settings.get('ignore_ssl_self_signed')
      const block = renderConfigBlock(
        [
          { name: 'PATCHMON_URL', value: await effectiveServerUrl(app, request) },
          { name: 'AUTO_ENROLLMENT_KEY', value: key },
          { name: 'AUTO_ENROLLMENT_SECRET', value: secret },
          { name: 'CURL_FLAGS', value: insecure ? '-sk' : '-s' },
          { name: 'FORCE_INSTALL', value: force === 'true' || force === '1' ? 'true' : 'false' }
        ],
        now
      )
      return sendScript(reply, FILE_NAMES[type], injectConfig(script.toString('utf8'), block))
    }
  )
}
