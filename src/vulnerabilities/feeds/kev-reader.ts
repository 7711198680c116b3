// CISA's Known Exploited Vulnerabilities catalogue, as JSON (known_exploited_vulnerabilities.json:
// { title, catalogVersion, dateReleased, count, vulnerabilities: [ {cveID, ...} ] }) or as the CSV of the
// same columns. The JSON is walked token by token and one vulnerabilities[] item assembled at a time; the CSV
// goes through csv-parse (the maintained sibling of our csv-stringify; RFC 4180 quoting, BOM, CRLF) as a
// stream, one row at a time. Rows are mapped by kev-entry.ts; a row that is not an entry is skipped and named
// ("vulnerabilities[3]" / "line 5"). A JSON catalogue without a vulnerabilities list is not the catalogue.
import { parse } from 'csv-parse'
import type { FeedReadStats, FeedRecord } from '../feed-advisory.js'
import { FeedFormatError } from './feed-format-error.js'
import { contentError, openContent, type FeedSource } from './feed-source.js'
import { JsonTokens } from './json-tokens.js'
import { kevEntryOf, NotKevEntry } from './kev-entry.js'
import { recordSkipped } from './read-stats.js'

function recordOf(row: unknown, where: string, source: FeedSource, stats: FeedReadStats): FeedRecord | null {
  try {
    return { kind: 'known-exploited', entry: kevEntryOf(row) }
  } catch (err) {
    if (!(err instanceof NotKevEntry)) throw err
    recordSkipped(stats, where, new FeedFormatError('badKev', source.name, `${where}: ${err.message}`).message)
    return null
  }
}

export async function* kevJsonRecords(source: FeedSource, stats: FeedReadStats): AsyncGenerator<FeedRecord> {
  const tokens = new JsonTokens(openContent(source))
  const shapeError = (reason: string) => new FeedFormatError('badKev', source.name, reason)
  let sawList = false
  try {
    if ((await tokens.next())?.name !== 'startObject') throw shapeError('the top level is not an object')
    for (;;) {
      const key = await tokens.expect()
      if (key.name === 'endObject') break
      if (key.name !== 'keyValue') throw shapeError('unexpected token at the top level')
      const first = await tokens.expect()
      if (key.value !== 'vulnerabilities') {
        await tokens.skip(first)
        continue
      }
      if (first.name !== 'startArray') throw shapeError('"vulnerabilities" is not a list')
      sawList = true
      for (let index = 0; ; index++) {
        const itemStart = await tokens.expect()
        if (itemStart.name === 'endArray') break
        const record = recordOf(await tokens.value(itemStart), `vulnerabilities[${index}]`, source, stats)
        if (record) yield record
      }
    }
    if (!sawList) throw shapeError('it has no "vulnerabilities" list')
  } catch (err) {
    if (err instanceof FeedFormatError) throw err
    throw contentError(source, err, 'badJson')
  } finally {
    tokens.close()
  }
}

export async function* kevCsvRecords(source: FeedSource, stats: FeedReadStats): AsyncGenerator<FeedRecord> {
  const content = openContent(source)
  const rows = content.pipe(parse({ columns: true, bom: true, skip_empty_lines: true, info: true }))
  content.on('error', (err) => rows.destroy(err))
  try {
    for await (const { record, info } of rows as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      const out = recordOf(record, `line ${info.lines}`, source, stats)
      if (out) yield out
    }
  } catch (err) {
    throw contentError(source, err, 'badKev')
  } finally {
    content.destroy()
    rows.destroy()
  }
}
