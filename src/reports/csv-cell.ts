// CSV cells that a spreadsheet will not run as formulas. Host names come from users and agents,
// package names from agents: a cell such as `=HYPERLINK(...)` or `@SUM(...)` would be evaluated
// when an operator opens the attached report. OWASP's rule: a cell starting with = + - @ tab or
// carriage return gets a leading single quote, and such a cell is always written quoted.
import { stringify } from 'csv-stringify/sync'

const FORMULA_START = /^[=+\-@\t\r]/

/** The value a spreadsheet shows as text: strings that could start a formula get a `'` prefix. */
export function neutraliseFormula(value: string | number): string | number {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value
}

/** Rows to CSV text with every cell neutralised; neutralised cells are quoted. */
export function safeCsv(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return stringify(
    rows.map((row) => row.map(neutraliseFormula)),
    { quoted_match: /^'[=+\-@\t\r]/ }
  )
}
