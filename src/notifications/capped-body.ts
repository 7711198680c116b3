// Reads the start of a reply body and drops the rest. A receiver can answer with hundreds of
// megabytes (or never finish); buffering it whole (`res.text()`) costs that much memory for a
// line we cut to 2,000 characters anyway. Cancelling the stream closes the connection.
import type { ReadableStream } from 'node:stream/web'

export async function readCappedText(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
  if (!body) return ''
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      size += value.byteLength
    }
  } catch {
    // Timed out or reset mid-body: the status is known, keep what arrived.
  } finally {
    await reader.cancel().catch(() => undefined)
  }
  // A character cut in half at the cap becomes U+FFFD; the line is for reading, not parsing.
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8')
}
