// A small, deterministic ustar writer for container image layers and the OCI archive: entries in
// the order given, fixed owners, modes and times, file contents streamed from disk (the executable
// is 120 MB), so the same inputs always give the same bytes and therefore the same digests.
import { createReadStream } from 'node:fs'

export interface TarEntry {
  /** Path inside the archive, without a leading slash; directories without a trailing one. */
  path: string
  type: 'dir' | 'file' | 'symlink'
  mode: number
  uid?: number
  gid?: number
  /** file: where to read the contents (with its size), or the contents themselves. */
  source?: { file: string; size: number } | Buffer
  /** symlink: its target. */
  linkname?: string
}

const BLOCK = 512

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0'
}

/** ustar splits a long path into prefix (155) and name (100) at a slash. */
function splitPath(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' }
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i)
    const name = path.slice(i + 1)
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { name, prefix }
  }
  throw new Error(`path too long for a ustar header: ${path}`)
}

function sizeOf(entry: TarEntry): number {
  if (entry.type !== 'file' || !entry.source) return 0
  return Buffer.isBuffer(entry.source) ? entry.source.length : entry.source.size
}

export function tarHeader(entry: TarEntry, mtime: number): Buffer {
  const header = Buffer.alloc(BLOCK)
  const { name, prefix } = splitPath(entry.type === 'dir' ? `${entry.path}/` : entry.path)
  if (Buffer.byteLength(entry.linkname ?? '') > 100) throw new Error(`symlink target too long: ${entry.linkname}`)
  const put = (text: string, offset: number, width: number) => header.write(text, offset, width, 'utf8')
  put(name, 0, 100)
  put(octal(entry.mode & 0o7777, 8), 100, 8)
  put(octal(entry.uid ?? 0, 8), 108, 8)
  put(octal(entry.gid ?? 0, 8), 116, 8)
  put(octal(sizeOf(entry), 12), 124, 12)
  put(octal(mtime, 12), 136, 12)
  put(' '.repeat(8), 148, 8) // the checksum field counts as spaces while summing
  put(entry.type === 'dir' ? '5' : entry.type === 'symlink' ? '2' : '0', 156, 1)
  put(entry.linkname ?? '', 157, 100)
  put('ustar\0', 257, 6)
  put('00', 263, 2)
  put(entry.uid ? '' : 'root', 265, 32) // no names for other ids: extractors must use the numbers
  put(entry.gid ? '' : 'root', 297, 32)
  put(prefix, 345, 155)
  let sum = 0
  for (const byte of header) sum += byte
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8)
  return header
}

/** The archive's bytes, entry by entry, ending with the two zero blocks. */
export async function* tarStream(entries: TarEntry[], mtime: number): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    yield tarHeader(entry, mtime)
    const size = sizeOf(entry)
    if (size === 0 || !entry.source) continue
    if (Buffer.isBuffer(entry.source)) yield entry.source
    else {
      let read = 0
      for await (const chunk of createReadStream(entry.source.file)) {
        read += (chunk as Buffer).length
        yield chunk as Buffer
      }
      if (read !== size) throw new Error(`${entry.source.file} changed while being archived`)
    }
    if (size % BLOCK !== 0) yield Buffer.alloc(BLOCK - (size % BLOCK))
  }
  yield Buffer.alloc(BLOCK * 2)
}
