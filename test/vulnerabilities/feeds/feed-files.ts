// Writes feed files the way their publishers ship them: real zip archives (yazl, which writes the same
// deflate + data-descriptor entries as the OSV bucket's Go writer), gzip, JSON and CSV, in a temp folder.
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { gzipSync } from 'node:zlib'
import { ZipFile } from 'yazl'
import type { FeedRecord } from '../../../src/vulnerabilities/feed-advisory.js'
import type { FeedReader } from '../../../src/vulnerabilities/feed-advisory.js'

export function feedFolder(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'patchmon-feeds-test-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A zip with the given entries (name -> content), written by yazl; entries may be produced lazily. */
export async function writeZip(path: string, entries: Iterable<[string, string | Buffer]>): Promise<void> {
  const zip = new ZipFile()
  const done = pipeline(zip.outputStream, createWriteStream(path))
  for (const [name, content] of entries) zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name)
  zip.end()
  await done
}

export function writeText(path: string, text: string): string {
  writeFileSync(path, text)
  return path
}

export function writeGzip(path: string, content: string | Buffer): string {
  writeFileSync(path, gzipSync(content))
  return path
}

export async function allRecords(reader: FeedReader): Promise<FeedRecord[]> {
  const out: FeedRecord[] = []
  for await (const record of reader.records) out.push(record)
  return out
}
