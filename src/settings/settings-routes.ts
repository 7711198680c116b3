// Server settings edited from the dashboard. Any signed-in user may read them (the dashboard needs
// the update interval and server URL); writing needs can_manage_settings. A save emits
// settings_changed with the keys whose value really changed (the WebSocket feature pushes the new
// update interval to connected agents on it).
import { ERROR_MESSAGES } from '../http/error-messages.js'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { SECURITY } from '../http/openapi.js'
import { userOf } from '../http/session-auth.js'
import { changeSettings, settingsView } from './settings-service.js'
import { auditDetail } from '../audit/audit-hooks.js'

const SettingsView = Type.Object({
  update_interval: Type.Integer({ description: 'Minutes between agent reports' }),
  server_url: Type.Union([Type.String(), Type.Null()], {
    description: 'Public URL set here; null = PATCHMON_SERVER_URL or the request URL'
  }),
  effective_server_url: Type.String({ description: 'The URL scripts and OAuth callbacks actually use' }),
  ignore_ssl_self_signed: Type.Boolean(),
  signup_enabled: Type.Boolean(),
  default_user_role: Type.String(),
  auto_update: Type.Boolean(),
  host_down_grace_minutes: Type.Integer(),
  notify_allow_private_networks: Type.Boolean({
    description: 'Notifications may reach LAN addresses (also PATCHMON_NOTIFY_ALLOW_PRIVATE_NETWORKS)'
  }),
  notify_allowed_targets: Type.Array(Type.String(), {
    description: 'Non-public host names, addresses or CIDR ranges notifications may reach (added to PATCHMON_NOTIFY_ALLOWED_TARGETS)'
  }),
  patch_run_stall_timeout_minutes: Type.Integer({
    description: 'Minutes without agent output before a running patch run is marked timed_out (PATCH_RUN_STALL_TIMEOUT_MIN wins when set)'
  }),
  audit_log_retention_days: Type.Integer({ description: 'Days the audit log keeps its entries' }),
  trend_retention_days: Type.Integer({ description: 'Days the daily trend figures are kept' }),
  cve_download_enabled: Type.Boolean({ description: 'The vulnerability feeds are downloaded and imported on a schedule' }),
  cve_download_urls: Type.Array(Type.String(), { description: 'The feeds the scheduled download fetches (http or https)' }),
  cve_download_interval_hours: Type.Integer({ description: 'Hours between two scheduled downloads' })
})

const UpdateSettingsBody = Type.Object(
  {
    update_interval: Type.Optional(Type.Integer({ minimum: 5, maximum: 1440 })),
    server_url: Type.Optional(Type.Union([Type.String({ maxLength: 2048 }), Type.Null()])),
    ignore_ssl_self_signed: Type.Optional(Type.Boolean()),
    signup_enabled: Type.Optional(Type.Boolean()),
    default_user_role: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    auto_update: Type.Optional(Type.Boolean()),
    host_down_grace_minutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_080 })),
    notify_allow_private_networks: Type.Optional(Type.Boolean()),
    notify_allowed_targets: Type.Optional(Type.Array(Type.String({ maxLength: 255 }), { maxItems: 100 })),
    patch_run_stall_timeout_minutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 10_080 })),
    audit_log_retention_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
    trend_retention_days: Type.Optional(Type.Integer({ minimum: 30, maximum: 3650 })),
    cve_download_enabled: Type.Optional(Type.Boolean()),
    cve_download_urls: Type.Optional(Type.Array(Type.String({ maxLength: 2048 }), { maxItems: 20 })),
    cve_download_interval_hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 168 }))
  },
  { additionalProperties: false }
)

const SETTINGS_ERRORS = ERROR_MESSAGES.settings
/** Per-field validation messages; the strings live in the shared table. */
const MESSAGES = {
  update_interval: SETTINGS_ERRORS.update_interval.message,
  server_url: SETTINGS_ERRORS.server_url.message,
  ignore_ssl_self_signed: SETTINGS_ERRORS.ignore_ssl_self_signed.message,
  signup_enabled: SETTINGS_ERRORS.signup_enabled.message,
  default_user_role: SETTINGS_ERRORS.default_user_role.message,
  auto_update: SETTINGS_ERRORS.auto_update.message,
  host_down_grace_minutes: SETTINGS_ERRORS.host_down_grace_minutes.message,
  notify_allow_private_networks: SETTINGS_ERRORS.notify_allow_private_networks.message,
  notify_allowed_targets: SETTINGS_ERRORS.notify_allowed_targets.message,
  patch_run_stall_timeout_minutes: SETTINGS_ERRORS.patch_run_stall_timeout_minutes.message,
  audit_log_retention_days: ERROR_MESSAGES.audit.audit_log_retention_days.message,
  trend_retention_days: ERROR_MESSAGES.trends.trend_retention_days.message,
  cve_download_enabled: ERROR_MESSAGES.vulnerabilities.cve_download_enabled.message,
  cve_download_urls: ERROR_MESSAGES.vulnerabilities.cve_download_urls.message,
  cve_download_interval_hours: ERROR_MESSAGES.vulnerabilities.cve_download_interval_hours.message
}

export const settingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const general = { rateLimit: app.rateLimitBucket('general') }

  app.get(
    '/api/v1/settings',
    {
      schema: { tags: ['settings'], summary: 'Server settings', security: SECURITY.bearer, response: { 200: SettingsView } },
      preHandler: app.authenticate,
      config: general
    },
    async (request) => settingsView(app, request)
  )

  app.put(
    '/api/v1/settings',
    {
      schema: {
        tags: ['settings'],
        summary: 'Change server settings (only the keys sent)',
        security: SECURITY.bearer,
        body: UpdateSettingsBody,
        response: { 200: SettingsView }
      },
      preHandler: app.requirePermission('can_manage_settings'),
      config: { ...general, validationMessages: MESSAGES, audit: { action: 'settings.update', target: 'settings' } }
    },
    async (request) => {
      const changed = await changeSettings(app, userOf(request), request.body)
      if (changed.length > 0) request.log.info({ keys: changed }, 'settings changed')
      auditDetail(request, { changed })
      return settingsView(app, request)
    }
  )
}
