// One row of CISA's Known Exploited Vulnerabilities catalogue -> KnownExploitedEntry. The JSON and the CSV
// form carry the same columns: cveID, vendorProject, product, vulnerabilityName, dateAdded, shortDescription,
// requiredAction, dueDate, knownRansomwareCampaignUse ("Known" / "Unknown"), notes, cwes.
//   cveID must be a CVE id and dateAdded a YYYY-MM-DD date, else the row is skipped and named; empty text
//   columns -> null; dueDate that is not a date -> null; "Known" -> true, "Unknown" -> false (CISA's "not known
//   to be used", the catalogue's only other value), anything else -> null.
import type { KnownExploitedEntry } from '../feed-advisory.js'

/** A row that is not a usable catalogue entry; `message` says why. */
export class NotKevEntry extends Error {}

const DATE = /^\d{4}-\d{2}-\d{2}$/

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null)

export function kevEntryOf(row: unknown): KnownExploitedEntry {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new NotKevEntry('it is not an object')
  const fields = row as Record<string, unknown>
  const cveId = text(fields.cveID)
  if (cveId === null || !/^CVE-\d{4}-\d{4,}$/.test(cveId))
    throw new NotKevEntry(`cveID ${JSON.stringify(fields.cveID ?? null)} is not a CVE id`)
  const dateAdded = text(fields.dateAdded)
  if (dateAdded === null || !DATE.test(dateAdded)) throw new NotKevEntry(`${cveId}: dateAdded is not a YYYY-MM-DD date`)
  const dueDate = text(fields.dueDate)
  const ransomware = text(fields.knownRansomwareCampaignUse)
  return {
    cveId,
    vendor: text(fields.vendorProject),
    product: text(fields.product),
    name: text(fields.vulnerabilityName),
    dateAdded,
    dueDate: dueDate !== null && DATE.test(dueDate) ? dueDate : null,
    knownRansomwareUse: ransomware === 'Known' ? true : ransomware === 'Unknown' ? false : null
  }
}
