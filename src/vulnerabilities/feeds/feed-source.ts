// The bytes of a feed file: as stored, or gunzipped when the file starts with the gzip magic bytes (1f 8b).
// Readers open the content as a stream; format detection reads only its first bytes.
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { pipeline, type Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { FeedFormatError, reasonOf } from './feed-format-error.js'

/** How much of the content format detection looks at. */
export const HEAD_BYTES = 64 * 1024

export interface FeedSource {
  path: string
  /** The name errors use. */
  name: string
  gzip: boolean
}

/** The first `length` bytes of the file as stored (fewer when it is shorter). */
export async function readRawHead(path: string, name: string, length: number): Promise<Buffer> {
  let handle
  try {
    handle = await open(path, 'r')
    const buffer = Buffer.alloc(length)
    const { bytesRead } = await handle.read(buffer, 0, length, 0)
    return buffer.subarray(0, bytesRead)
  } catch (err) {
    throw new FeedFormatError('unreadable', name, reasonOf(err))
  } finally {
    await handle?.close()
  }
}

export const isGzip = (head: Buffer) => head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b

/** The file's content as a stream (gunzipped when the file is gzip); errors name the file. */
export function openContent(source: FeedSource): Readable {
  const raw = createReadStream(source.path)
  if (!source.gzip) return raw
  const gunzip = createGunzip()
  // pipeline destroys both on an error, so a read error or bad gzip data reaches whoever consumes gunzip.
  pipeline(raw, gunzip, () => undefined)
  return gunzip
}

/** Wraps a content stream's errors: gzip damage is badGzip, the rest `fallback`. */
export function contentError(
  source: FeedSource,
  err: unknown,
  fallback: 'badJson' | 'badKev' | 'badTracker' | 'unreadable'
): FeedFormatError {
  if (err instanceof FeedFormatError) return err
  const code = (err as { code?: unknown }).code
  if (source.gzip && typeof code === 'string' && code.startsWith('Z_')) return new FeedFormatError('badGzip', source.name, reasonOf(err))
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return new FeedFormatError('unreadable', source.name, reasonOf(err))
  return new FeedFormatError(fallback, source.name, reasonOf(err))
}

/** The first bytes of the content (after gunzip when the file is gzip). */
export async function readContentHead(source: FeedSource, length = HEAD_BYTES): Promise<Buffer> {
  const stream = openContent(source)
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk)
      size += chunk.length
      if (size >= length) break
    }
  } catch (err) {
    // A gzip file cut short still has a readable head; only a head that cannot be read at all is an error.
    if (size === 0) throw contentError(source, err, 'unreadable')
  } finally {
    stream.destroy()
  }
  return Buffer.concat(chunks).subarray(0, length)
}
