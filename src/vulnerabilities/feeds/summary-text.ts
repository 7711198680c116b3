// An advisory's summary as the dashboard lists it: one line, at most SUMMARY_MAX characters.
export const SUMMARY_MAX = 500

export function summaryLine(text: string | null): string | null {
  if (text === null) return null
  const line = text.replace(/\s+/g, ' ').trim()
  if (line === '') return null
  return line.length > SUMMARY_MAX ? `${line.slice(0, SUMMARY_MAX - 1)}…` : line
}
