// One error vocabulary (issue 16 item 4): every message we raise on purpose lives in
// src/http/error-messages.ts. This test pins the table to the documented list (each entry says where the
// string comes from) and fails when a file under src/ (outside http/) builds an error body with a string
// literal instead of referring to the table.
import t from 'tap'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { ERROR_MESSAGES, fillMessage, type ErrorEntry } from '../../src/http/error-messages.js'
import { DOCUMENTED_ERRORS } from './documented-errors.js'

// The documented list (one line per message, with where each string comes from) is documented-errors.ts.
const EXPECTED = DOCUMENTED_ERRORS

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
  // Compared as sets: the documented list is split by area across files, the table by feature.
  const byId = (a: { feature: string; key: string }, b: { feature: string; key: string }) =>
    `${a.feature}.${a.key}`.localeCompare(`${b.feature}.${b.key}`)
  t.same(actual.sort(byId), expected.sort(byId))
})

t.test('no file outside http/ builds an error body from a string literal', async (t) => {
  const offenders = sourceFiles(SRC)
    .map((path) => relative(SRC, path))
    .filter((rel) => !rel.startsWith('http/') && !rel.startsWith('dashboard/ui/'))
    .filter((rel) => /error: ['"`]/.test(readFileSync(join(SRC, rel), 'utf8')))
    .sort()
  t.same(offenders, [], 'new literals belong in src/http/error-messages.ts')
})

t.test('no file outside the table writes an error string any other way', async (t) => {
  const offenders = sourceFiles(SRC)
    .map((path) => relative(SRC, path))
    .filter((rel) => !/^http\/error-(messages|messages-[a-z]+|entry)\.ts$/.test(rel) && !rel.startsWith('dashboard/ui/'))
    .filter((rel) => {
      const text = readFileSync(join(SRC, rel), 'utf8')
      return OTHER_LITERALS.some((re) => re.test(text))
    })
    .sort()
  t.same(offenders, [], 'refer to an entry of src/http/error-messages.ts instead')
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

t.test('a templated entry renders its placeholders and keeps the rest of the text', async (t) => {
  const rendered = fillMessage(ERROR_MESSAGES.integrationApi.noActionPermission, { action: 'delete', resource: 'host' })
  t.equal(rendered, 'This API key does not have permission to delete host')
  t.equal(fillMessage(ERROR_MESSAGES.notificationRoutes.unknownEventType, {}), 'Unknown event type: {name}')
})
