// Sessions and devices on the wire (issue 18 part 5), declared once for validation, serialisation,
// OpenAPI and the dashboard's types.
import { Type, type Static } from '@fastify/type-provider-typebox'

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()])

export const SessionView = Type.Object({
  id: Type.String(),
  created_at: Type.String({ description: 'When the sign-in happened' }),
  last_seen_at: Type.String({ description: 'Last request on this session (updated at most once a minute)' }),
  expires_at: Type.String(),
  ip: Nullable(Type.String({ description: 'Address the sign-in came from (honours the trusted-proxy setting)' })),
  user_agent: Nullable(Type.String()),
  current: Type.Boolean({ description: 'The session this request was made with' })
})

export const SessionListReply = Type.Object({ sessions: Type.Array(SessionView) })
export const SessionsEndedReply = Type.Object({ message: Type.String(), ended: Type.Integer() })
export const SessionParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
export const UserSessionParams = Type.Object({ id: Type.String({ maxLength: 64 }), sessionId: Type.String({ maxLength: 64 }) })

export type SessionViewType = Static<typeof SessionView>
