// The digest of what a report says about a host's packages and repositories: everything the
// ingest writes from them (names, versions, update flags, source names, catalogue description and category,
// repository identity, name and flags), in the order sent. It is stored on the host row in the
// transaction that writes those rows; a report with the same digest would change no package or
// repository row, so ingest skips reading and comparing them (report-ingest.ts).
// Order-sensitive on purpose: agents list packages in a stable order, and a reordered report
// only takes the full (still exact) comparison path. Every string is length-prefixed, so the
// encoding is injective: no two different reports hash the same bytes, whatever they contain.
import { createHash } from 'node:crypto'

/** A reported package: the fields the ingest writes (report-ingest.ts), all of which the digest covers. */
export interface IngestPackage {
  name: string
  currentVersion: string
  availableVersion?: string | null | undefined
  needsUpdate: boolean
  isSecurityUpdate?: boolean | null | undefined
  description?: string | null | undefined
  category?: string | null | undefined
  /** The source package it was built from (host_packages.source_name); sent by our shell agent only. */
  sourceName?: string | null | undefined
}

/** The fields of a reported repository the ingest writes (report-ingest.ts IngestRepository). */
interface DigestedRepository {
  name?: string | null | undefined
  url: string
  distribution?: string | null | undefined
  components?: string | null | undefined
  repoType?: string | null | undefined
  isEnabled?: boolean | null | undefined
  isSecure?: boolean | null | undefined
}

const RECORD = '\n'

const text = (value: string | null | undefined): string => (value == null ? '-' : `${value.length}:${value}`)
const flag = (value: boolean | null | undefined): string => (value == null ? '-' : value ? '1' : '0')

export function packageSetDigest(
  packages: readonly IngestPackage[],
  repositories: readonly DigestedRepository[] | null | undefined
): string {
  const hash = createHash('sha256')
  // Hashed in batches: one update per package costs more in call overhead than the hashing.
  let batch = ''
  for (const p of packages) {
    batch +=
      text(p.name) +
      text(p.currentVersion) +
      text(p.availableVersion) +
      flag(p.needsUpdate) +
      flag(p.isSecurityUpdate) +
      text(p.description) +
      text(p.category) +
      // Only when sent, so the digests of reports without it (the upstream agents') stay as they were;
      // the marker keeps the encoding injective ('s' never starts a text() or a RECORD).
      (p.sourceName == null ? '' : `s${text(p.sourceName)}`) +
      RECORD
    if (batch.length > 65_536) {
      hash.update(batch)
      batch = ''
    }
  }
  batch += repositories ? `repositories${RECORD}` : `no repositories${RECORD}`
  for (const r of repositories ?? []) {
    batch +=
      text(r.name) +
      text(r.url) +
      text(r.distribution) +
      text(r.components) +
      text(r.repoType) +
      flag(r.isEnabled) +
      flag(r.isSecure) +
      RECORD
  }
  hash.update(batch)
  return hash.digest('base64url')
}
