// What every provider shares: posting with a timeout, reading 429 Retry-After, deciding what is
// worth retrying, truncating to platform limits, and turning any failure into one readable line
// that never contains the destination URL (for webhooks the path is the secret).
import type { OutboundHttp, OutboundRequest } from '../outbound-http.js'
import type { SendResult } from './provider.js'
import { TargetBlockedError } from '../../security/outbound-targets.js'

export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
    readonly retryAfterMs?: number
  ) {
    super(message)
    this.name = 'DeliveryError'
  }
}

export interface PostOptions {
  /** Statuses that mean "gone, do not retry" beyond the default 4xx rule (kept explicit for Discord's 404). */
  finalStatuses?: number[]
  /** 4xx statuses still worth retrying (Apprise's 424: one of the services behind it failed). */
  retryStatuses?: number[]
  /**
   * The service's own words for a failed reply, plus what to check (providers with a known error
   * shape). The body is empty for non-public targets, so it must read well from the status alone.
   */
  describeReply?: (status: number, body: string) => string
  /** Values sent in a body or header (tokens, keys) that must never appear in a failure line. */
  secrets?: Array<string | undefined>
}

/** Cuts text to max characters, marking the cut so a reader knows something was left out. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  return `${text.slice(0, Math.max(0, max - 1))}…`
}

/** Replaces the URL, its path and any query value with [redacted] wherever they appear in text. */
export function redactUrl(text: string, url: string): string {
  let out = text.split(url).join('[redacted-url]')
  try {
    const parsed = new URL(url)
    const secrets = [parsed.pathname + parsed.search, ...parsed.pathname.split('/').filter((s) => s.length >= 8)]
    for (const value of parsed.searchParams.values()) if (value.length >= 4) secrets.push(value)
    for (const secret of secrets) if (secret.length > 1) out = out.split(secret).join('[redacted]')
  } catch {
    // not a URL: nothing more to hide
  }
  return out
}

/**
 * Milliseconds to wait: the Retry-After header (seconds or a date), else the reply's JSON:
 * `retry_after` in seconds (Discord), `parameters.retry_after` in seconds (Telegram) or
 * `retry_after_ms` (Matrix).
 */
export function retryAfterMs(headers: Headers, body: string): number | undefined {
  const header = headers.get('retry-after')
  if (header) {
    const seconds = Number(header)
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
    const date = Date.parse(header)
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now())
  }
  try {
    const json = JSON.parse(body) as { retry_after?: unknown; retry_after_ms?: unknown; parameters?: { retry_after?: unknown } }
    if (typeof json.retry_after === 'number') return Math.max(0, json.retry_after * 1000)
    if (typeof json.parameters?.retry_after === 'number') return Math.max(0, json.parameters.retry_after * 1000)
    if (typeof json.retry_after_ms === 'number') return Math.max(0, json.retry_after_ms)
  } catch {
    // not JSON
  }
  return undefined
}

/** The policy refusal, whether thrown before sending or by the connector (as fetch's cause). */
function blockedTarget(err: unknown): TargetBlockedError | undefined {
  if (err instanceof TargetBlockedError) return err
  const cause = (err as { cause?: unknown } | null)?.cause
  return cause instanceof TargetBlockedError ? cause : undefined
}

function describeNetworkError(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timed out waiting for the remote server'
    const cause = (err as { cause?: { code?: string; message?: string } }).cause
    if (cause?.code) return `network error: ${cause.code}${cause.message ? ` (${cause.message})` : ''}`
    return `network error: ${err.message}`
  }
  return 'network error'
}

/** Cuts each secret value (of a useful length) out of a line. */
export function redactSecrets(text: string, secrets: Array<string | undefined> = []): string {
  let out = text
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]')
  return out
}

/** POSTs (or PUTs) and returns the status on 2xx; throws DeliveryError (retryable or final) otherwise. */
export async function postOrThrow(http: OutboundHttp, request: OutboundRequest, options: PostOptions = {}): Promise<SendResult> {
  let res
  try {
    res = await http.post(request)
  } catch (err) {
    const blocked = blockedTarget(err)
    // A blocked address stays blocked until the operator changes the policy: final, not retried.
    if (blocked) throw new DeliveryError(blocked.message, null, false)
    throw new DeliveryError(redactSecrets(redactUrl(describeNetworkError(err), request.url), options.secrets), null, true)
  }
  if (res.status >= 200 && res.status < 300) return { status: res.status }
  // Replies of non-public targets are never shown (res.text is empty for them): no internal
  // service's answer travels back to the test reply or the log.
  const text = options.describeReply ? options.describeReply(res.status, res.text) : res.text
  const detail = redactSecrets(redactUrl(text.replace(/\s+/g, ' ').trim(), request.url), options.secrets)
  const line = truncate(`HTTP ${res.status}${detail ? `: ${detail}` : ''}`, 500)
  if (res.status === 429) throw new DeliveryError(line, 429, true, retryAfterMs(res.headers, res.text))
  const final =
    options.finalStatuses?.includes(res.status) ||
    (res.status >= 400 && res.status < 500 && res.status !== 408 && !options.retryStatuses?.includes(res.status))
  throw new DeliveryError(line, res.status, !final)
}
