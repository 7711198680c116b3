// GET /api/v1/auto-enrollment/script: the Proxmox LXC or direct-host enrollment script with the
// server URL and token credentials injected (facts: enrollment §6); the rules are in enrollment-script.ts.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { enrollmentScript } from './enrollment-script.js'
import { sendScript } from './send-script.js'

const ScriptQuery = Type.Object({
  type: Type.Optional(Type.String({ description: 'proxmox-lxc or direct-host' })),
  token_key: Type.Optional(Type.String()),
  token_secret: Type.Optional(Type.String()),
  force: Type.Optional(Type.String({ description: 'true (or 1) enables force-install mode for broken packages' }))
})

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
      const script = await enrollmentScript(app, request, request.query)
      return sendScript(reply, script.fileName, script.body)
    }
  )
}
