// TypeBox fragments every feature's route schemas repeat, declared once here so a reply shape cannot
// drift between features. The three error shapes differ on purpose: a response schema strips what it
// does not declare, so a route whose 4xx never carried `message` keeps `ErrorReply`, and the auth
// routes that add extra fields (e.g. `requiresTfa`) keep `OpenErrorReply`.
import { Type } from '@fastify/type-provider-typebox'

/** `{ error }` — the plain error body. */
export const ErrorReply = Type.Object({ error: Type.String() })
/** `{ error, message? }` — an error with an optional human detail. */
export const ErrorMessageReply = Type.Object({ error: Type.String(), message: Type.Optional(Type.String()) })
/** `{ error, message?, ...extra }` — auth errors that carry extra fields. */
export const OpenErrorReply = Type.Object({ error: Type.String(), message: Type.Optional(Type.String()) }, { additionalProperties: true })
/** `{ message }` — the acknowledgement body of deletes and other actions. */
export const MessageReply = Type.Object({ message: Type.String() })
/** `:id` path parameter of the dashboard APIs. */
export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
