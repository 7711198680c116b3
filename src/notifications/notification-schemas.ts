// Request and response schemas of the notification routes, declared once (validation, types,
// serialisation allow-list, OpenAPI).
import { Type, type Static } from '@fastify/type-provider-typebox'
import { CHANNEL_TYPES } from './providers/index.js'
import { SEVERITIES } from './notice.js'
import type { Severity } from '../events/app-events.js'
import { ERROR_MESSAGES, fillMessage } from '../http/error-messages.js'

const ConfigInput = Type.Record(Type.String(), Type.Unknown(), {
  description:
    'webhook: {url, headers?, signing_secret?}; ntfy: {server_url?, topic, token? | username?+password?, priority?}; gotify: {server_url, app_token, priority?}; email: {host, port?, username?, password?, from, from_name?, to, tls_mode?}; telegram: {bot_token, chat_id, message_thread_id?}; pushover: {app_token, user_key, device?, priority? -2..1}; matrix: {homeserver_url, access_token, room_id}; apprise: {server_url, key?+tag? | urls?}'
})

export const CreateDestinationBody = Type.Object({
  channel_type: Type.Union(
    CHANNEL_TYPES.map((c) => Type.Literal(c)),
    { default: 'webhook' }
  ),
  display_name: Type.String({ minLength: 1, maxLength: 100 }),
  config: ConfigInput,
  enabled: Type.Optional(Type.Boolean())
})

export const UpdateDestinationBody = Type.Object({
  display_name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  config: Type.Optional(ConfigInput),
  enabled: Type.Optional(Type.Boolean())
})

export const DestinationView = Type.Object({
  id: Type.String(),
  channel_type: Type.String(),
  display_name: Type.String(),
  enabled: Type.Boolean(),
  format: Type.String({
    description: 'discord, slack or webhook (generic JSON) for webhooks, detected from the URL; else the channel type'
  }),
  config: Type.Record(Type.String(), Type.Unknown(), {
    description: 'secrets masked: URL path hidden, tokens and passwords reduced to has_* flags'
  }),
  created_at: Type.String(),
  updated_at: Type.String()
})

const DESTINATION_ERRORS = ERROR_MESSAGES.notificationDestinations
export const DESTINATION_MESSAGES = {
  channel_type: fillMessage(DESTINATION_ERRORS.channelType, { channelTypes: CHANNEL_TYPES.join(', ') }),
  display_name: DESTINATION_ERRORS.displayName.message,
  config: DESTINATION_ERRORS.config.message,
  enabled: DESTINATION_ERRORS.enabled.message
}

// Unsafe<Severity>: the same schema, typed as the union (a mapped array of literals loses it).
const SeverityName = Type.Unsafe<Severity>(Type.Union(SEVERITIES.map((s) => Type.Literal(s))))

export const CreateRouteBody = Type.Object({
  destination_id: Type.String({ minLength: 1, maxLength: 64 }),
  event_types: Type.Optional(
    Type.Array(Type.String({ maxLength: 64 }), {
      maxItems: 50,
      description: 'spec names (host_went_down, …), upstream aliases (host_down, host_recovered, host_security_updates_exceeded) or "*"'
    })
  ),
  min_severity: Type.Optional(SeverityName),
  host_group_ids: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100 })),
  enabled: Type.Optional(Type.Boolean())
})
export type CreateRouteInput = Static<typeof CreateRouteBody>

export const UpdateRouteBody = Type.Partial(CreateRouteBody)

export const RouteView = Type.Object({
  id: Type.String(),
  destination_id: Type.String(),
  destination_name: Type.String(),
  event_types: Type.Array(Type.String()),
  min_severity: Type.String(),
  host_group_ids: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  created_at: Type.String(),
  updated_at: Type.String()
})

const ROUTE_ERRORS = ERROR_MESSAGES.notificationRoutes
export const ROUTE_MESSAGES = {
  destination_id: ROUTE_ERRORS.destinationId.message,
  event_types: ROUTE_ERRORS.eventTypes.message,
  min_severity: fillMessage(ROUTE_ERRORS.minSeverity, { severities: SEVERITIES.join(', ') }),
  host_group_ids: ROUTE_ERRORS.hostGroupIds.message,
  enabled: ROUTE_ERRORS.enabled.message
}

export const TEST_MESSAGES = { destination_id: DESTINATION_ERRORS.destinationId.message }

const LOG_ERRORS = ERROR_MESSAGES.deliveryLog
export const DELIVERY_LOG_MESSAGES = {
  limit: LOG_ERRORS.limit.message,
  offset: LOG_ERRORS.offset.message,
  since: LOG_ERRORS.since.message,
  until: LOG_ERRORS.until.message,
  status: LOG_ERRORS.status.message
}

export const DeliveryView = Type.Object({
  id: Type.String(),
  destination_id: Type.String(),
  destination_name: Type.String(),
  event_type: Type.String(),
  severity: Type.String(),
  title: Type.String(),
  reference_id: Type.Union([Type.String(), Type.Null()]),
  status: Type.String({ description: 'pending | sending | sent | failed' }),
  attempt_count: Type.Integer(),
  response_status: Type.Union([Type.Integer(), Type.Null()], { description: 'remote HTTP status (SMTP reply code for e-mail)' }),
  error_message: Type.Union([Type.String(), Type.Null()], { description: 'the remote error, URL redacted' }),
  next_attempt_at: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
  sent_at: Type.Union([Type.String(), Type.Null()])
})

export const DeliveryLogQuery = Type.Object({
  destination_id: Type.Optional(Type.String({ maxLength: 64 })),
  event_type: Type.Optional(Type.String({ maxLength: 64 })),
  status: Type.Optional(Type.Union(['pending', 'sending', 'sent', 'failed'].map((s) => Type.Literal(s)))),
  since: Type.Optional(Type.String({ format: 'date-time' })),
  until: Type.Optional(Type.String({ format: 'date-time' })),
  // Query strings arrive as text (the app's Ajv does not coerce types): digits, parsed by the route.
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$', description: '1-500, default 50' })),
  offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$', description: 'default 0' }))
})

export const TestBody = Type.Object({ destination_id: Type.String({ minLength: 1, maxLength: 64 }) })
