// The readers' one error: a feed file that cannot be read as a feed. Its message comes from the error table
// (src/http/error-messages-feeds.ts) and always names the file, and the entry inside it where there is one.
import { ERROR_MESSAGES, fillMessage } from '../../http/error-messages.js'

export const FEED_ERRORS = ERROR_MESSAGES.feeds

export type FeedErrorKind = keyof typeof FEED_ERRORS

export class FeedFormatError extends Error {
  override name = 'FeedFormatError'

  constructor(
    readonly kind: FeedErrorKind,
    readonly file: string,
    readonly reason: string,
    readonly entry: string | null = null
  ) {
    super(fillMessage(FEED_ERRORS[kind], { file, reason, entry: entry ?? '' }))
  }
}

/** The message of an unknown thrown value, for the {reason} of an error. */
export function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
