// What one entry of the error table is (ERROR_MESSAGES in error-messages.ts): the exact wire string,
// its status, the body shape that carries it, and the detail line beside it if any.

/** How an entry travels. */
export type ErrorShape =
  /** `{ error }` */
  | 'error'
  /** `{ error, message }`: `detail` is the message line */
  | 'error+message'
  /** a validation message: 400 `{ errors: [{ msg, param, location }] }`, or `{ error }` on 'single' routes */
  | 'validation'
  /** the `error` query value of a redirect to the dashboard (`/login?error=...`), status 302 */
  | 'redirect'
  /** the `error` of one failed item inside a 201 bulk reply */
  | 'item'
  /** the `message` beside a generic `error` in an `{ error, message }` body (the entry is the message) */
  | 'detail'
  /** a plain-text body (the agent WebSocket upgrade refusals) */
  | 'text'
  /** a line the command line prints before exiting; `status` is the exit code */
  | 'cli'

/** A message: fixed, or built from its variable parts. */
export type MessageText = string | ((...parts: never[]) => string)

/** One documented error: the string, the status it is sent with, the body that carries it, its detail line. */
export type ErrorEntry = {
  readonly message: MessageText
  readonly status: number
  readonly body: ErrorShape
  readonly detail?: MessageText | undefined
}

/** Declares one entry of the table (used by the per-area files that ERROR_MESSAGES joins). */
export function entry<M extends MessageText, D extends MessageText | undefined = undefined>(
  message: M,
  status: number,
  body: ErrorShape = 'error',
  detail?: D
): { readonly message: M; readonly status: number; readonly body: ErrorShape; readonly detail: D } {
  return { message, status, body, detail: detail as D }
}
