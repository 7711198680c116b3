// glibc's malloc_trim(0), and dropping the executable's own file pages from the resident set,
// through our addon (src/native/malloc-trim.c), for the idle memory release. The single executable and the plain bundle carry the addon; running from source
// (`npm start`, tests) has none unless `npm run build` placed one, and then trimming is skipped.
import { readFileSync, realpathSync } from 'node:fs'
import { loadOptionalAddon } from './load-addon.js'

interface MallocTrimAddon {
  trim: () => boolean
  drop: (start: number, length: number) => boolean
}

let addon: MallocTrimAddon | null | undefined

function loaded(): MallocTrimAddon | null {
  if (addon === undefined) {
    try {
      addon = (loadOptionalAddon('malloc_trim') as MallocTrimAddon | undefined) ?? null
    } catch {
      addon = null // a libc without malloc_trim (musl) cannot load it; trimming is an optimisation
    }
  }
  return addon
}

/** Returns whether memory was handed back, or undefined when the addon is not available. */
export function mallocTrim(): boolean | undefined {
  return loaded()?.trim()
}

export interface PageRange {
  start: number
  length: number
  residentBytes: number
}

/**
 * The ranges of /proc/self/smaps that hold only the executable's own file content: a private,
 * read-only mapping of `executable` with no page copied on write. Dropping such a page loses
 * nothing (the next access reads the same bytes back from the page cache), and a running
 * executable cannot be rewritten in place (the kernel refuses with ETXTBSY), so they stay valid.
 */
export function executablePageRanges(smaps: string, executable: string): PageRange[] {
  const ranges: PageRange[] = []
  let current: (PageRange & { anonymous: number }) | undefined
  const finish = () => {
    if (current && current.anonymous === 0 && current.residentBytes > 0) {
      ranges.push({ start: current.start, length: current.length, residentBytes: current.residentBytes })
    }
    current = undefined
  }
  for (const line of smaps.split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ \S+ \d+\s*(.*)$/.exec(line)
    if (header) {
      finish()
      const [, from, to, perms, path] = header as unknown as [string, string, string, string, string]
      if (path === executable && perms[1] === '-' && perms[3] === 'p') {
        const start = parseInt(from, 16)
        current = { start, length: parseInt(to, 16) - start, residentBytes: 0, anonymous: 0 }
      }
      continue
    }
    if (!current) continue
    const field = /^(Rss|Anonymous):\s+(\d+) kB/.exec(line)
    if (field?.[1] === 'Rss') current.residentBytes = Number(field[2]) * 1024
    else if (field?.[1] === 'Anonymous') current.anonymous = Number(field[2])
  }
  finish()
  return ranges
}

/**
 * Hands the resident pages of the executable's code and read-only data back (madvise
 * MADV_DONTNEED): after start-up and a burst of work ~50 MB of Node, V8, ICU and the embedded
 * bundle stay mapped although an idle server touches little of it. They stay in the page cache, so
 * the next request maps back what it uses (minor faults, no disk read unless the system needed the
 * memory meanwhile, as it would take them anyway under pressure). Returns the bytes dropped, or
 * undefined where the addon or /proc is not available.
 */
export function dropExecutablePages(): number | undefined {
  const drop = loaded()?.drop
  if (!drop) return undefined
  let smaps: string
  try {
    smaps = readFileSync('/proc/self/smaps', 'utf8')
  } catch {
    return undefined
  }
  let dropped = 0
  for (const range of executablePageRanges(smaps, realpathSync(process.execPath))) {
    if (drop(range.start, range.length)) dropped += range.residentBytes
  }
  return dropped
}
