// Reading the error replies of the services with a documented JSON error shape (Telegram's
// {description}, Pushover's {errors: [...]}, Matrix's {errcode, error}) into the one line the
// delivery log shows: the service's own words, then what the operator should check.

/** The reply as JSON of the expected shape, or undefined (not JSON, or hidden for a non-public target). */
export function jsonReply<T>(body: string): T | undefined {
  if (!body) return undefined
  try {
    const parsed: unknown = JSON.parse(body)
    return parsed && typeof parsed === 'object' ? (parsed as T) : undefined
  } catch {
    return undefined
  }
}

/** "<what the service said> — <what to check>". */
export function withHint(said: string, hint: string): string {
  return `${said} — ${hint}`
}
