// Severity from what feeds say: a CVSS base score (the qualitative bands of CVSS v3.x and v4.0: 0.1-3.9 low,
// 4.0-6.9 medium, 7.0-8.9 high, 9.0-10.0 critical) or a distribution's own word for it (Debian urgency,
// Ubuntu priority, Red Hat / AlmaLinux / Rocky impact, GitHub-style database_specific.severity).
import type { Severity } from '../feed-advisory.js'

const RANK: Record<Severity, number> = { unknown: 0, low: 1, medium: 2, high: 3, critical: 4 }

export function severityFromScore(score: number): Severity {
  if (score >= 9) return 'critical'
  if (score >= 7) return 'high'
  if (score >= 4) return 'medium'
  // CVSS calls 0.0 "none"; the nearest grade we have is low.
  return 'low'
}

const WORDS: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  important: 'high',
  medium: 'medium',
  moderate: 'medium',
  low: 'low',
  negligible: 'low',
  unimportant: 'low'
}

/**
 * A distribution's severity word, or null for words that grade nothing ("not yet assigned", "end-of-life",
 * "unknown"). The Debian tracker marks a guessed urgency with trailing asterisks ("medium**"): the word counts.
 */
export function severityFromWord(word: unknown): Severity | null {
  if (typeof word !== 'string') return null
  return WORDS[word.trim().replace(/\*+$/, '').toLowerCase()] ?? null
}

/** The graver of two severities (null counts as nothing). */
export function graver(a: Severity | null, b: Severity | null): Severity | null {
  if (a === null) return b
  if (b === null) return a
  return RANK[b] > RANK[a] ? b : a
}
