// CVSS base scores from vectors, computed by ae-cvss-calculator ({metæffekt}'s implementation of the FIRST
// specifications for CVSS 2.0, 3.0, 3.1 and 4.0; no dependencies, tested against FIRST's calculators). We
// check that the vector carries every base metric first: the library fills a missing metric with a default
// instead of refusing, which would invent a score. A CVSS 4.0 vector is scored on its base metrics alone:
// with threat or environmental metrics present the library's "base" is CVSS-BT(E), not the base score.
import { Cvss3P0, Cvss3P1, Cvss4P0 } from 'ae-cvss-calculator'

const V3_BASE = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A']
const V4_BASE = ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA']

function metrics(vector: string): Map<string, string> | null {
  const parts = vector.split('/').slice(1)
  const found = new Map<string, string>()
  for (const part of parts) {
    const match = /^([A-Z]+):([A-Z])$/.exec(part)
    if (!match || found.has(match[1]!)) return null
    found.set(match[1]!, match[2]!)
  }
  return found
}

/** The base score of a CVSS 3.0, 3.1 or 4.0 vector ("CVSS:3.1/AV:N/..."), or null when it is not a complete one. */
export function cvssBaseScore(vector: string): number | null {
  const version = /^CVSS:(3\.0|3\.1|4\.0)\//.exec(vector)?.[1]
  if (!version) return null
  const found = metrics(vector)
  const required = version === '4.0' ? V4_BASE : V3_BASE
  if (!found || !required.every((name) => found.has(name))) return null
  try {
    const calculator =
      version === '4.0'
        ? new Cvss4P0(`CVSS:4.0/${V4_BASE.map((name) => `${name}:${found.get(name)}`).join('/')}`)
        : version === '3.1'
          ? new Cvss3P1(vector)
          : new Cvss3P0(vector)
    const base = calculator.calculateScores().base
    return typeof base === 'number' && Number.isFinite(base) ? base : null
  } catch {
    // A metric value the specification does not define (AV:Q): not a vector we can score.
    return null
  }
}
