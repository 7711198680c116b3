// Files stay small enough to read in one sitting (STYLE.md: one concept per file). This test fails when
// a source file under src/, test/, bench/, migrations/ or packaging/ (.ts, .tsx, .sh, .mjs) is longer
// than 400 lines. Recorded test data (test/fixtures/: captured scripts, package-manager output) is not
// code we write and is left out; the exceptions below name their reason.
import t from 'tap'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

const ROOT = join(__dirname, '..', '..')
const FOLDERS = ['src', 'test', 'bench', 'migrations', 'packaging']
const CHECKED = /\.(ts|tsx|sh|mjs)$/
const MAX_LINES = 400

/** Folders holding data, not code: recorded fixtures, dependencies and build output. */
const SKIPPED_FOLDERS = new Set(['test/fixtures', 'node_modules', 'dist', 'build'])

/** Files allowed past the limit, each with its reason. The list may only shrink. */
const EXCEPTIONS: Record<string, string> = {
  // The shell agent is served to hosts as one self-contained POSIX sh script (installed as a single
  // file, run by dash, busybox sh and bash); splitting it would mean shipping and sourcing several.
  'src/agent/shell-agent/patchmon-agent.sh': 'one self-contained script served to hosts'
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`
    if (entry.isDirectory()) return SKIPPED_FOLDERS.has(path) || SKIPPED_FOLDERS.has(entry.name) ? [] : sourceFiles(path)
    return CHECKED.test(entry.name) ? [path] : []
  })
}

const lineCount = (path: string): number => readFileSync(join(ROOT, path), 'utf8').replace(/\n$/, '').split('\n').length

t.test('no source file is longer than 400 lines, except the listed ones', async (t) => {
  const files = FOLDERS.filter((dir) => existsSync(join(ROOT, dir))).flatMap(sourceFiles)
  t.ok(files.length > 100, `the walk found the tree (${files.length} files)`)
  const over = files
    .filter((path) => !(path in EXCEPTIONS))
    .map((path) => ({ path, lines: lineCount(path) }))
    .filter((f) => f.lines > MAX_LINES)
    .map((f) => `${f.path}: ${f.lines} lines (split it by job)`)
  t.same(over, [], `files over ${MAX_LINES} lines`)
})

t.test('every exception exists and is still over the limit (the list only shrinks)', async (t) => {
  for (const path of Object.keys(EXCEPTIONS)) {
    t.ok(existsSync(join(ROOT, path)), `${path} exists`)
    if (existsSync(join(ROOT, path))) t.ok(lineCount(path) > MAX_LINES, `${path} is still over ${MAX_LINES} lines`)
  }
})

t.test('the counter counts lines as an editor shows them', async (t) => {
  const probe = relative(ROOT, __filename)
  const text = readFileSync(__filename, 'utf8')
  t.equal(lineCount(probe), text.split('\n').length - (text.endsWith('\n') ? 1 : 0))
})
