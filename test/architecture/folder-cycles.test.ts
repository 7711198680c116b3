// No folder cycles (issue 16): imports between the top-level parts of src/ go one way, so each layer
// can be read, tested and replaced without the ones above it (security/ below http/, http/ below the
// features). madge (npm run lint:cycles) catches cycles between files; this test catches the coarser
// ones between folders, which madge misses when the files involved differ (http/a -> security/b ->
// http/c). A top-level file (config.ts, app.ts, ...) counts as a part of its own.
import t from 'tap'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, normalize, relative, sep } from 'node:path'

const SRC = join(__dirname, '..', '..', 'src')

/**
 * Longer folder cycles already present, each written as its parts sorted. Only shrinks: the test fails
 * when a listed cycle is gone (remove it) or a new one appears.
 * - One edge closes this one: config.ts imports notifications/target-policy.ts (the settings' target
 *   list parser), while notifications -> jobs -> native -> config and hosts, http -> config (types).
 *   No file cycle (madge passes). Both ends are reshape-finish-b's (config.ts, notifications/): moving
 *   the parser below both (e.g. next to security/ip-allow-list.ts) empties this list.
 */
const KNOWN_CYCLES: readonly string[] = ['config -> hosts -> http -> jobs -> native -> notifications']

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(name) ? [path] : []
  })
}

/** The part of src/ a path (relative to src/) belongs to: its top folder, or a top-level file's name. */
export function partOf(rel: string): string {
  const [first, ...rest] = rel.split(sep)
  return rest.length > 0 ? (first as string) : (first as string).replace(/\.(ts|tsx|js)$/, '')
}

/** Relative import specifiers: static, type-only, re-exports and dynamic import(). */
export function importsOf(source: string): string[] {
  return [...source.matchAll(/\b(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1] as string)
}

/** part -> parts it imports, with one importing file per edge for the failure message. */
function partGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>()
  for (const path of sourceFiles(SRC)) {
    const rel = relative(SRC, path)
    const from = partOf(rel)
    for (const spec of importsOf(readFileSync(path, 'utf8'))) {
      const target = normalize(join(dirname(rel), spec))
      if (target.startsWith('..')) continue // outside src/ (migrations/)
      const to = partOf(target)
      if (to === from) continue
      const edges = graph.get(from) ?? new Map<string, string>()
      if (!edges.has(to)) edges.set(to, `src/${rel}`)
      graph.set(from, edges)
    }
  }
  return graph
}

/** Strongly connected parts (Tarjan): every group of two or more parts that reach each other. */
export function cyclesOf(graph: Map<string, Map<string, string>>): string[][] {
  let index = 0
  const indices = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const groups: string[][] = []
  const visit = (v: string): void => {
    indices.set(v, index)
    low.set(v, index++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!indices.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!))
    }
    if (low.get(v) === indices.get(v)) {
      const group: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        group.push(w)
      } while (w !== v)
      if (group.length > 1) groups.push(group.sort())
    }
  }
  for (const v of graph.keys()) if (!indices.has(v)) visit(v)
  return groups
}

t.test('no two parts of src/ import each other', async (t) => {
  const graph = partGraph()
  const mutual: string[] = []
  for (const [a, edges] of graph) {
    for (const [b, file] of edges) {
      const back = graph.get(b)?.get(a)
      if (back && a < b) mutual.push(`${a} <-> ${b} (${file} imports ${b}/, ${back} imports ${a}/)`)
    }
  }
  t.same(mutual, [], 'move what both need into the lower one, or hand it over at registration')
})

t.test('no longer folder cycle beyond the known list', async (t) => {
  const found = cyclesOf(partGraph()).map((group) => group.join(' -> '))
  t.same(found.sort(), [...KNOWN_CYCLES].sort())
})

t.test('the scanner finds a mutual import and a three-part cycle', async (t) => {
  const graph = new Map<string, Map<string, string>>([
    ['http', new Map([['security', 'src/http/a.ts']])],
    ['security', new Map([['http', 'src/security/b.ts']])],
    ['a', new Map([['b', 'x']])],
    ['b', new Map([['c', 'x']])],
    ['c', new Map([['a', 'x']])],
    ['users', new Map([['http', 'x']])]
  ])
  t.same(
    cyclesOf(graph).map((g) => g.join(' -> ')),
    ['http -> security', 'a -> b -> c']
  )
  t.equal(partOf(join('http', 'errors.ts')), 'http')
  t.equal(partOf('config.ts'), 'config')
  t.same(importsOf("import type { X } from '../http/errors.js'\nconst m = await import('./y.js')"), ['../http/errors.js', './y.js'])
})
