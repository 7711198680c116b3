// Which feed a file holds, told from its first bytes (never from its name, which uploads and mirrors change):
//   "PK\x03\x04" / "PK\x05\x06"                      -> an OSV zip (an empty zip has only the end record)
//   "["                                               -> a JSON array of OSV entries
//   "{" with "catalogVersion"                         -> CISA KEV JSON
//   {"<package>": {"CVE-..." or "TEMP-...": {          -> Debian security tracker JSON
//   "{" with an "id" key                              -> one OSV entry
//   a first line naming cveID and vendorProject       -> CISA KEV CSV
// The caller gunzips first when the file is gzip, so each of these may also come compressed.
export type DetectedFormat = 'osv-zip' | 'osv-json' | 'osv-array' | 'debian-tracker' | 'kev-json' | 'kev-csv'

export type Detection = { format: DetectedFormat } | { unknown: string }

const TRACKER_START = /^\{\s*"(?:[^"\\]|\\.)*"\s*:\s*\{\s*"(?:CVE-\d{4}-\d+|TEMP-[^"]*)"\s*:\s*\{/

export function detectFormat(head: Buffer): Detection {
  if (head.length === 0) return { unknown: 'the file is empty' }
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6)))
    return { format: 'osv-zip' }
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
  if (text.startsWith('[')) return { format: 'osv-array' }
  if (text.startsWith('{')) {
    if (/"catalogVersion"\s*:/.test(text)) return { format: 'kev-json' }
    if (TRACKER_START.test(text)) return { format: 'debian-tracker' }
    if (/"id"\s*:/.test(text)) return { format: 'osv-json' }
    return { unknown: 'a JSON object that is neither an OSV entry, the Debian tracker package map nor the KEV catalogue' }
  }
  const firstLine = text.split(/\r?\n/, 1)[0] ?? ''
  if (/\bcveID\b/.test(firstLine) && /\bvendorProject\b/.test(firstLine)) return { format: 'kev-csv' }
  return { unknown: 'it is neither a zip archive, JSON, nor CSV with the KEV columns' }
}
