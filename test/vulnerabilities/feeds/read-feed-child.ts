// Reads a feed in its own process and prints one JSON line of figures, so that memory is measured on the
// reading alone (test/vulnerabilities/feeds/feed-memory.test.ts, bench/cve-feed-read.bench.ts). Modes:
//   feed   openFeed and count the records (what the importer does)
//   hold   the same, but keep every record (a reader that is not bounded would behave like this)
//   unzip  the baseline: yauzl alone, every entry read and inflated the way the reader does it, then dropped
//          (no JSON parsing, no mapping)
import { inflateRawSync } from 'node:zlib'
import * as yauzl from 'yauzl'
import { openFeed } from '../../../src/vulnerabilities/feeds/open-feed.js'

async function unzipOnly(path: string): Promise<number> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true })
  let entries = 0
  for await (const entry of zip.eachEntry()) {
    const stream = await zip.openReadStreamPromise(entry, { decodeFileData: false })
    const chunks: Buffer[] = []
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk)
    if (inflateRawSync(Buffer.concat(chunks)).length !== entry.uncompressedSize) throw new Error(`${entry.fileName} did not unpack`)
    entries++
  }
  return entries
}

async function main(): Promise<void> {
  const [mode, path] = process.argv.slice(2)
  if (!path || !['feed', 'hold', 'unzip'].includes(mode ?? '')) throw new Error('usage: read-feed-child.ts feed|hold|unzip FILE')
  let peakHeap = 0
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20)
  const started = performance.now()
  let records = 0
  let skipped = 0
  if (mode === 'unzip') records = await unzipOnly(path)
  else {
    const held: unknown[] = []
    const reader = await openFeed(path)
    for await (const record of reader.records) {
      records++
      if (mode === 'hold') held.push(record)
    }
    skipped = reader.stats.skippedCount
  }
  const seconds = (performance.now() - started) / 1000
  clearInterval(sampler)
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)
  const peakRssMiB = process.resourceUsage().maxRSS / 1024
  console.log(JSON.stringify({ mode, records, skipped, seconds, peakRssMiB, peakHeapMiB: peakHeap / 1048576 }))
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
