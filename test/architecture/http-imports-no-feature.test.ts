// http/ (errors, guards, rate limits, validation) is shared by every feature, so it imports none:
// a feature hands http/ what it needs at registration (users passes the session lookup to
// session-auth). This test fails when a file in src/http imports a feature folder.
import t from 'tap'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const HTTP = join(__dirname, '..', '..', 'src', 'http')

/** Not features: the plumbing below every feature, and the top-level config and version. */
const ALLOWED = [/^\.\//, /^\.\.\/(security|store|assets)\//, /^\.\.\/(config|version)\.js$/]

export function featureImports(source: string): string[] {
  const specifiers = [...source.matchAll(/\b(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!)
  return specifiers.filter((s) => !ALLOWED.some((re) => re.test(s)))
}

t.test('no file in src/http imports a feature folder', async (t) => {
  const offending: string[] = []
  for (const name of readdirSync(HTTP).filter((n) => n.endsWith('.ts'))) {
    for (const spec of featureImports(readFileSync(join(HTTP, name), 'utf8'))) offending.push(`src/http/${name} imports ${spec}`)
  }
  t.same(offending, [])
})

t.test('the scanner sees static, type-only and dynamic imports of a feature', async (t) => {
  const source = [
    "import { activeSessionUser } from '../users/sessions.js'",
    "import type { Permission } from '../users/permissions.js'",
    "const m = await import('../notifications/notice.js')",
    "import { unauthorized } from './errors.js'",
    "import { safeEqual } from '../security/secret-hashing.js'"
  ].join('\n')
  t.same(featureImports(source), ['../users/sessions.js', '../users/permissions.js', '../notifications/notice.js'])
})
