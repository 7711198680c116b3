// One error vocabulary (issue 16 item 4): every message we raise on purpose lives in
// src/http/error-messages.ts. This test pins the table to the documented list (each entry says where the
// string comes from) and fails when a file under src/ (outside http/) builds an error body with a string
// literal instead of referring to the table.
import t from 'tap'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { ERROR_MESSAGES } from '../../src/http/error-messages.js'

type Expected = { feature: string; key: string; message: string; status: number; source: string }

// Hard-coded on purpose: changing a wire string must be a visible edit here too.
const EXPECTED: Expected[] = [
  // Host groups: not named in /work/shared/spec or /work/shared/facts; the strings are the ones the
  // dashboard already receives and test/hosts/host-groups.test.ts asserts.
  {
    feature: 'hostGroups',
    key: 'nameInvalid',
    message: 'Name is required (1-100 characters)',
    status: 400,
    source: 'implementation (host-groups.test.ts)'
  },
  {
    feature: 'hostGroups',
    key: 'descriptionTooLong',
    message: 'Description must be at most 1000 characters',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'hostGroups',
    key: 'colorInvalid',
    message: 'Color must be a hex colour like #3B82F6',
    status: 400,
    source: 'implementation (host-groups.test.ts)'
  },
  {
    feature: 'hostGroups',
    key: 'duplicateName',
    message: 'A host group with this name already exists',
    status: 409,
    source: 'implementation (host-groups.test.ts)'
  },
  // Settings: not quoted in /work/shared/spec or /work/shared/facts; the per-field messages the settings API
  // sends (test/settings/settings.test.ts).
  {
    feature: 'settings',
    key: 'update_interval',
    message: 'Update interval must be an integer between 5 and 1440 minutes',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'settings',
    key: 'server_url',
    message: 'Server URL must be an absolute http:// or https:// URL',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'settings',
    key: 'ignore_ssl_self_signed',
    message: 'ignore_ssl_self_signed must be a boolean',
    status: 400,
    source: 'implementation'
  },
  { feature: 'settings', key: 'signup_enabled', message: 'signup_enabled must be a boolean', status: 400, source: 'implementation' },
  { feature: 'settings', key: 'default_user_role', message: 'Default user role is required', status: 400, source: 'implementation' },
  { feature: 'settings', key: 'auto_update', message: 'auto_update must be a boolean', status: 400, source: 'implementation' },
  {
    feature: 'settings',
    key: 'host_down_grace_minutes',
    message: 'Host down grace period must be an integer between 0 and 10080 minutes',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'settings',
    key: 'notify_allow_private_networks',
    message: 'notify_allow_private_networks must be a boolean',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'settings',
    key: 'notify_allowed_targets',
    message: 'notify_allowed_targets must list host names, addresses or CIDR ranges (at most 100)',
    status: 400,
    source: 'implementation'
  }
]

// Files that still build `{ error: '...' }` with a literal; each goes when its feature moves to the table.
// The test fails if one of them becomes clean (so the list only shrinks) or a new file appears.
const NOT_YET_MOVED = [
  'agent/agent-binary-routes.ts',
  'enrollment/enroll-hosts.ts',
  'enrollment/enroll-routes.ts',
  'enrollment/enrollment-auth.ts',
  'enrollment/install-routes.ts',
  'homepage/homepage-routes.ts',
  'notifications/providers/slack.ts',
  'users/login-lockout.ts'
]

const SRC = join(__dirname, '..', '..', 'src')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(name) ? [path] : []
  })
}

t.test('the table holds exactly the documented messages, with their status', async (t) => {
  const actual = Object.entries(ERROR_MESSAGES).flatMap(([feature, entries]) =>
    Object.entries(entries).map(([key, e]) => ({ feature, key, message: e.message, status: e.status }))
  )
  const expected = EXPECTED.map(({ feature, key, message, status }) => ({ feature, key, message, status }))
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
