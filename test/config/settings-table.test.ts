// The settings table in src/config.ts is the only place a default is written: the packaged env
// file and `patchmon --help` are derived from it, so they can neither drift nor forget a setting.
import t from 'tap'
import { describeSettings, loadConfig, settingsReference } from '../../src/config.js'
import { renderEnvFile } from '../../packaging/env-file.js'
import { tempDataDir } from '../helpers/test-app.js'

/** `#NAME=value` lines of the env file. */
function envFileLines(): Map<string, string> {
  const out = new Map<string, string>()
  for (const line of renderEnvFile().split('\n')) {
    const m = /^#([A-Z_]+)=(.*)$/.exec(line)
    if (m) out.set(m[1] as string, m[2] as string)
  }
  return out
}

t.test('the env file shows every default that is a plain value, and using it changes nothing', async (t) => {
  const shown = envFileLines()
  t.same(
    [...shown.keys()],
    settingsReference().map((s) => s.env),
    'every setting, in table order'
  )
  // Blank only where the default is computed at start (data folder, generated secrets) or unset.
  const blank = [...shown].filter(([, v]) => v === '').map(([k]) => k)
  t.same(blank, [
    'PATCHMON_DATA_DIR',
    'JWT_SECRET',
    'SECRET_ENCRYPTION_KEY',
    'PATCHMON_ADMIN_PASSWORD',
    'PATCHMON_METRICS_TOKEN',
    'PATCHMON_NOTIFY_ALLOWED_TARGETS',
    // OpenID Connect: unset means "the dashboard's value" (src/oidc/oidc-settings.ts).
    ...[
      'ENABLED',
      'ISSUER_URL',
      'CLIENT_ID',
      'CLIENT_SECRET',
      'REDIRECT_URI',
      'SCOPES',
      'BUTTON_TEXT',
      'AUTO_CREATE_USERS',
      'DEFAULT_ROLE',
      'GROUP_CLAIM',
      'ROLE_MAPPING',
      'LINK_BY_EMAIL',
      'DISABLE_LOCAL_AUTH',
      'END_SESSION'
    ].map((name) => `OIDC_${name}`),
    'AGENT_BINARIES_DIR'
  ])
  const dir = tempDataDir()
  const uncommented: Record<string, string> = {}
  // The server URL line is an example to edit, not a default.
  for (const [k, v] of shown) if (v !== '' && k !== 'PATCHMON_SERVER_URL') uncommented[k] = v
  t.same(
    loadConfig({ PATCHMON_DATA_DIR: dir, ...uncommented }),
    loadConfig({ PATCHMON_DATA_DIR: dir }),
    'the shown values are the defaults'
  )
})

t.test('--help lists each setting once with its flag', async (t) => {
  const help = describeSettings().split('\n')
  t.equal(help.length, settingsReference().length)
  t.match(help[0], /^ {2}PORT {30}--port {8}TCP port to listen on$/)
  t.match(
    help.find((l) => l.includes('CREDENTIAL_FAILURE_LIMIT_MAX')),
    /^ {2}CREDENTIAL_FAILURE_LIMIT_MAX {6} {14}failed agent/
  )
})
