// issue 20: a reader holds one advisory at a time. A generated all.zip whose advisories, held together, need
// several times the heap a child process is given is read to the end by that child; the same child keeping
// every record instead runs out of heap, which shows the limit is tight enough to tell.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { feedFolder } from './feed-files.js'
import { writeSyntheticDebianZip } from './synthetic-osv-zip.js'

// Generating and reading twice takes minutes on a loaded machine.
t.setTimeout(10 * 60_000)

const ENTRIES = 12_000
const HEAP_MIB = 32

function readInChild(mode: 'feed' | 'hold', path: string) {
  return spawnSync(
    process.execPath,
    [`--max-old-space-size=${HEAP_MIB}`, '--import', 'tsx', join(__dirname, 'read-feed-child.ts'), mode, path],
    {
      encoding: 'utf8',
      timeout: 600_000
    }
  )
}

t.test(`a ${ENTRIES}-entry OSV zip streams through a child with a ${HEAP_MIB} MiB heap`, async (t) => {
  const path = join(feedFolder(t), 'all.zip')
  await writeSyntheticDebianZip(path, ENTRIES)
  t.comment(`zip: ${(statSync(path).size / 1048576).toFixed(1)} MiB`)

  const streamed = readInChild('feed', path)
  t.equal(streamed.status, 0, streamed.stderr)
  const figures = JSON.parse(streamed.stdout.trim().split('\n').pop() ?? '{}') as { records: number; skipped: number; peakHeapMiB: number }
  t.equal(figures.records, ENTRIES, 'every entry became a record')
  t.equal(figures.skipped, 0)
  t.ok(figures.peakHeapMiB < HEAP_MIB, `peak heap ${figures.peakHeapMiB.toFixed(1)} MiB`)

  const held = readInChild('hold', path)
  t.not(held.status, 0, 'keeping every record instead does not fit in the same heap')
  t.match(held.stderr, /heap out of memory|Allocation failed/)
})
