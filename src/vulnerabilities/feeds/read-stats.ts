// The running tally of what a reader passed over (FeedReadStats in feed-advisory.ts), kept small: skipped
// entries are listed up to MAX_SKIPPED_LISTED and only counted after that, so a feed of thousands of broken
// entries cannot grow the reader's memory.
import { MAX_SKIPPED_LISTED, type FeedReadStats } from '../feed-advisory.js'

export function emptyStats(): FeedReadStats {
  return { skippedCount: 0, skippedEntries: [], ignoredEcosystems: {}, withdrawn: 0 }
}

export function recordSkipped(stats: FeedReadStats, entry: string, reason: string): void {
  stats.skippedCount++
  if (stats.skippedEntries.length < MAX_SKIPPED_LISTED) stats.skippedEntries.push({ entry, reason })
}

export function countIgnoredEcosystems(stats: FeedReadStats, ecosystems: readonly string[]): void {
  for (const ecosystem of ecosystems) stats.ignoredEcosystems[ecosystem] = (stats.ignoredEcosystems[ecosystem] ?? 0) + 1
}
