// Prints every failed assertion of the last tap run, with its diagnostics, after the run ends.
// The full tap output is thousands of lines; CI viewers often keep only its start and end, so a
// failure in the middle would otherwise be invisible. Reads tap's saved results (.tap/test-results)
// and lists only files written by the run that just ended (newer than RUN_STARTED_MS, if given).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const RESULTS = join(__dirname, '..', '..', '.tap', 'test-results')
const startedMs = Number(process.env.RUN_STARTED_MS ?? 0)
const MAX_LINES_PER_FAILURE = 40

function resultFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? resultFiles(path) : [path]
  })
}

/** The failing lines of one result file, each followed by its YAML diagnostics block. */
function failures(text: string): string[] {
  const lines = text.split('\n')
  const found: string[] = []
  lines.forEach((line, index) => {
    if (!/^\s*not ok\b/.test(line)) return
    const block = [line]
    for (let next = index + 1; next < lines.length && block.length < MAX_LINES_PER_FAILURE; next++) {
      const following = lines[next] ?? ''
      if (/^\s*(not )?ok\b/.test(following)) break
      block.push(following)
    }
    found.push(block.join('\n'))
  })
  return found
}

let failed = 0
for (const file of resultFiles(RESULTS)) {
  if (statSync(file).mtimeMs < startedMs) continue
  const found = failures(readFileSync(file, 'utf8'))
  if (found.length === 0) continue
  failed++
  console.log(`\n== failed: ${relative(RESULTS, file).replace(/\.tap$/, '')}`)
  for (const block of found) console.log(block)
}
console.log(failed === 0 ? '\n== no failed assertion found in .tap/test-results' : `\n== ${failed} file(s) failed`)
