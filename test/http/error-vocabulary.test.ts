// One error vocabulary (issue 16 item 4): every message we raise on purpose lives in
// src/http/error-messages.ts. This test pins the table to the documented list (each entry says where the
// string comes from) and fails when a file under src/ (outside http/) builds an error body with a string
// literal instead of referring to the table.
import t from 'tap'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { ERROR_MESSAGES, type ErrorEntry } from '../../src/http/error-messages.js'
import { DOCUMENTED_ERRORS } from './documented-errors.js'

// The documented list (one line per message, with where each string comes from) is documented-errors.ts.
const EXPECTED = DOCUMENTED_ERRORS

// Files that still build `{ error: '...' }` with a literal; each goes when its feature moves to the table.
// The test fails if one of them becomes clean (so the list only shrinks) or a new file appears.
const NOT_YET_MOVED = ['notifications/providers/slack.ts']

/**
 * Other ways of writing an error string outside the table: a literal given to an error helper, a
 * literal validation message (validationMessages, `msg:`, invalidField's message), or a
 * `*MESSAGES` / `*ERRORS` table holding string literals.
 */
const OTHER_LITERALS: RegExp[] = [
  /\b(?:badRequest|unauthorized|forbidden|notFound|conflict)\(\s*['"`]/,
  /\binvalidField\([^,()]+,\s*['"`]/,
  /\bvalidationMessages:\s*\{[^}]*:\s*['"`]/,
  /\bmsg:\s*['"`]/,
  /[A-Z_]*(?:MESSAGES|ERRORS)\b[^=\n]*=\s*\{[^}]*?:\s*['"`]/
]

/**
 * Files of the folders reshape-finish-b moves to the table in parallel (agent/, hosts/,
 * integration-api/, notifications/, reports/, settings/) that still hold such strings. The lead
 * empties this list after merging that branch; it may only shrink.
 */
const NOT_YET_MOVED_B: string[] = [
  'agent/agent-report-routes.ts',
  'agent/report-schema.ts',
  'hosts/fleet-package-routes.ts',
  'hosts/host-routes.ts',
  'integration-api/api-routes.ts',
  'notifications/delivery-log-routes.ts',
  'notifications/destination-routes.ts',
  'notifications/notification-schemas.ts',
  'notifications/providers/config-fields.ts',
  'notifications/providers/email.ts',
  'notifications/providers/gotify.ts',
  'notifications/providers/webhook-config.ts',
  'notifications/route-rule-store.ts',
  'reports/report-schemas.ts',
  'reports/scheduled-report-routes.ts',
  'settings/grant-limits.ts',
  'settings/settings-routes.ts'
]
const FOLDERS_OF_B = ['agent/', 'hosts/', 'integration-api/', 'notifications/', 'reports/', 'settings/']

const SRC = join(__dirname, '..', '..', 'src')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(name) ? [path] : []
  })
}

/** A message with variable parts, rendered with {0}, {1}, ... in their places. */
function rendered(text: unknown): string | undefined {
  if (typeof text !== 'function') return text as string | undefined
  const parts = Array.from({ length: text.length }, (_, i) => `{${i}}`)
  return (text as (...p: string[]) => string)(...parts)
}

t.test('the table holds exactly the documented messages, with their status, body shape and detail line', async (t) => {
  const actual = Object.entries(ERROR_MESSAGES).flatMap(([feature, entries]) =>
    Object.entries(entries).map(([key, e]: [string, ErrorEntry]) => {
      const detail = rendered(e.detail)
      return { feature, key, message: rendered(e.message), status: e.status, body: e.body, ...(detail !== undefined ? { detail } : {}) }
    })
  )
  const expected = EXPECTED.map(({ feature, key, message, status, body, detail }) => ({
    feature,
    key,
    message,
    status,
    body,
    ...(detail !== undefined ? { detail } : {})
  }))
  t.same(actual, expected)
})

t.test('no file outside http/ builds an error body from a string literal', async (t) => {
  const offenders = sourceFiles(SRC)
    .map((path) => relative(SRC, path))
    .filter((rel) => !rel.startsWith('http/') && !rel.startsWith('dashboard/ui/'))
    .filter((rel) => /error: ['"`]/.test(readFileSync(join(SRC, rel), 'utf8')))
    .sort()
  t.same(offenders, NOT_YET_MOVED, 'new literals belong in src/http/error-messages.ts; moved files leave NOT_YET_MOVED')
})

t.test('no file outside the table writes an error string any other way', async (t) => {
  const offenders = sourceFiles(SRC)
    .map((path) => relative(SRC, path))
    .filter((rel) => rel !== 'http/error-messages.ts' && !rel.startsWith('dashboard/ui/'))
    .filter((rel) => {
      const text = readFileSync(join(SRC, rel), 'utf8')
      return OTHER_LITERALS.some((re) => re.test(text))
    })
    .sort()
  t.same(offenders, NOT_YET_MOVED_B, 'refer to an entry of src/http/error-messages.ts instead')
  t.same(
    NOT_YET_MOVED_B.filter((file) => !FOLDERS_OF_B.some((folder) => file.startsWith(folder))),
    [],
    'the list holds files of the parallel branch only'
  )
})

t.test('the scanner sees each way of writing an error string', async (t) => {
  const samples = [
    "throw badRequest('Role not found')",
    "throw invalidField('server_url', 'Server URL is wrong')",
    "config: { validationMessages: { token: 'Token is required' } }",
    "issues.push({ msg: `Unknown field: ${f}`, param: 'fields', location: 'body' })",
    "export const TFA_MESSAGES = {\n  alreadyEnabled: 'Already on'\n}"
  ]
  t.same(
    samples.filter((text) => !OTHER_LITERALS.some((re) => re.test(text))),
    [],
    'every sample is caught'
  )
  const clean = [
    'throw errorOf(E.roleNotFound)',
    "throw invalidField('server_url', E.server_url.message)",
    'validationMessages: validationMessagesOf({ token: E.tokenRequired })',
    'const ENROLL_ERROR_REPLIES = { 400: ErrorReply }'
  ]
  t.same(
    clean.filter((text) => OTHER_LITERALS.some((re) => re.test(text))),
    [],
    'references to the table pass'
  )
})
