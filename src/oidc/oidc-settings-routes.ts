// Settings → OpenID Connect (GET|PUT /api/v1/auth/oidc/settings, can_manage_settings) and the public
// GET /api/v1/auth/oidc/config the login page reads to show its button or hide the password form.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SECURITY } from '../http/openapi.js'
import { isUsable, loadOidcSettings } from './oidc-settings.js'
import { oidcSettingsView, updateOidcSettings } from './oidc-settings-service.js'
import { OidcPublicConfig, OidcSettingsBody, OidcSettingsSaved, OidcSettingsView } from './oidc-schemas.js'

export const oidcSettingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['oidc']

  app.get(
    '/api/v1/auth/oidc/config',
    {
      schema: { tags, summary: 'Whether the login page shows the SSO button (and only it)', response: { 200: OidcPublicConfig } },
      config: { rateLimit: app.rateLimitBucket('auth') }
    },
    async () => {
      const s = await loadOidcSettings(app)
      const on = isUsable(app, s)
      return { enabled: on, buttonText: s.buttonText, oidcOnly: on && s.oidcOnly, endSession: on && s.endSession }
    }
  )

  app.get(
    '/api/v1/auth/oidc/settings',
    {
      schema: {
        tags,
        summary: 'OpenID Connect settings (the client secret only as set / not set)',
        security: SECURITY.bearer,
        response: { 200: OidcSettingsView }
      },
      preHandler: app.requirePermission('can_manage_settings'),
      config: { rateLimit: app.rateLimitBucket('general') }
    },
    async (request) => oidcSettingsView(app, request, await loadOidcSettings(app))
  )

  app.put(
    '/api/v1/auth/oidc/settings',
    {
      schema: {
        tags,
        summary: 'Change OpenID Connect settings; an empty client secret clears it, an absent one keeps it',
        security: SECURITY.bearer,
        body: OidcSettingsBody,
        response: { 200: OidcSettingsSaved }
      },
      preHandler: app.requirePermission('can_manage_settings'),
      config: {
        rateLimit: app.rateLimitBucket('general'),
        validationShape: 'single',
        audit: { action: 'oidc_settings.update', target: 'oidc_settings' }
      }
    },
    async (request) => ({ message: 'OIDC settings updated successfully', ...(await updateOidcSettings(app, request, request.body)) })
  )
}
