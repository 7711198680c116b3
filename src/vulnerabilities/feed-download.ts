// One feed URL fetched through the notifications' guarded outbound HTTP (same SSRF policy,
// PATCHMON_NOTIFY_ALLOWED_TARGETS, proxy and no-redirect rule). A conditional request (the ETag and
// Last-Modified seen last time) lets an unchanged feed answer 304 without a body. A 200 body is
// streamed to a private temp file with a size cap, never held in memory.
import { createWriteStream } from 'node:fs'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream } from 'node:stream/web'
import type { OutboundHttp } from '../notifications/outbound-http.js'

export interface Validators {
  etag?: string
  lastModified?: string
}

/** Why a download failed, as the import history shows it. */
export class DownloadError extends Error {}

export type FetchOutcome =
  { kind: 'unchanged' } | { kind: 'body'; body: ReadableStream<Uint8Array>; validators: Validators; declared: number }

/** Sends the conditional GET; throws DownloadError for anything but 200 or 304. */
export async function requestFeed(
  http: OutboundHttp,
  url: string,
  known: Validators | undefined,
  signal: AbortSignal
): Promise<FetchOutcome> {
  const headers: Record<string, string> = {}
  if (known?.etag) headers['if-none-match'] = known.etag
  if (known?.lastModified) headers['if-modified-since'] = known.lastModified
  let res
  try {
    res = await http.get({ url, headers, signal })
  } catch (err) {
    throw new DownloadError(failureText(err, signal))
  }
  if (res.status === 304) {
    await res.body?.cancel().catch(() => undefined)
    return { kind: 'unchanged' }
  }
  if (res.status !== 200 || !res.body) {
    await res.body?.cancel().catch(() => undefined)
    throw new DownloadError(
      `download failed: HTTP ${res.status}${res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : ''}`
    )
  }
  const validators: Validators = {}
  const etag = res.headers.get('etag')
  const lastModified = res.headers.get('last-modified')
  if (etag) validators.etag = etag
  if (lastModified) validators.lastModified = lastModified
  return { kind: 'body', body: res.body, validators, declared: Number(res.headers.get('content-length') ?? NaN) }
}

const sizeText = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${bytes} bytes`)
const tooLargeText = (limit: number) => `download failed: the feed is larger than the limit of ${sizeText(limit)}`

/** Writes the body to `file` (mode 0600), stopping with DownloadError past `limit` bytes or when `signal` fires. */
export async function saveBody(
  outcome: { body: ReadableStream<Uint8Array>; declared: number },
  file: string,
  limit: number,
  signal: AbortSignal
): Promise<void> {
  if (Number.isFinite(outcome.declared) && outcome.declared > limit) {
    await outcome.body.cancel().catch(() => undefined)
    throw new DownloadError(tooLargeText(limit))
  }
  let seen = 0
  const guard = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length
      if (seen > limit) cb(new DownloadError(tooLargeText(limit)))
      else cb(null, chunk)
    }
  })
  try {
    await pipeline(Readable.fromWeb(outcome.body), guard, createWriteStream(file, { mode: 0o600 }))
  } catch (err) {
    if (err instanceof DownloadError) throw err
    throw new DownloadError(failureText(err, signal))
  }
}

function failureText(err: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'download failed: timed out'
  const cause = (err as { cause?: { message?: string; code?: string } }).cause
  const detail = cause?.message ?? (err instanceof Error ? err.message : String(err))
  return `download failed: ${detail}`.slice(0, 500)
}
