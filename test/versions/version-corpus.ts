// Version strings to compare against the real tools: the real ones this machine knows (installed packages in
// /var/lib/dpkg/status and every version apt has lists for, via `apt-cache dumpavail`), and helpers that pick
// the pairs worth asking about. Real Debian versions are a good corpus for every scheme: thousands of distinct
// strings with epochs, `~`, `+`, letters, leading zeros and hyphens in all their real-world combinations.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import type { Pair } from './reference-tools.js'

function versionsIn(text: string): string[] {
  return [...text.matchAll(/^Version: (.+)$/gm)].map((m) => (m[1] as string).trim())
}

/** Every distinct version in the dpkg status file and apt's package lists. */
export function realDebianVersions(): string[] {
  const found = new Set<string>()
  if (existsSync('/var/lib/dpkg/status')) for (const v of versionsIn(readFileSync('/var/lib/dpkg/status', 'utf8'))) found.add(v)
  const dump = spawnSync('apt-cache', ['dumpavail'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 })
  if (dump.status === 0) for (const v of versionsIn(dump.stdout)) found.add(v)
  return [...found].sort()
}

/** A small seeded generator (mulberry32), so a failing pair shows up again on the next run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Neighbours in our own order, spread evenly over the whole sorted list: the closest calls the comparison
 * makes. If our order were wrong anywhere the tool disagrees with, some neighbours would come out swapped.
 */
export function sortedNeighbours(versions: string[], compare: (a: string, b: string) => number, count: number): Pair[] {
  const sorted = [...versions].sort(compare)
  const step = Math.max(1, Math.floor((sorted.length - 1) / count))
  const pairs: Pair[] = []
  for (let i = 0; i + 1 < sorted.length && pairs.length < count; i += step) pairs.push([sorted[i] as string, sorted[i + 1] as string])
  return pairs
}

/** `count` random pairs from the list. */
export function randomPairs(versions: string[], count: number, seed: number): Pair[] {
  const random = seededRandom(seed)
  const pick = (): string => versions[Math.floor(random() * versions.length)] as string
  return Array.from({ length: count }, (): Pair => [pick(), pick()])
}

/** Every unordered pair of a small list, both ways round for half of them. */
export function allPairs(versions: string[]): Pair[] {
  const pairs: Pair[] = []
  versions.forEach((a, i) => versions.slice(i + 1).forEach((b, k) => pairs.push(k % 2 === 0 ? [a, b] : [b, a])))
  return pairs
}
