// /etc/patchmon/patchmon.env, generated from the settings table in src/config.ts so that every
// setting is listed (commented out) and none is forgotten when a feature adds one.
import { settingsReference } from '../src/config.js'

/** Defaults as loadConfig applies them (src/config.ts); settings missing here show no value. */
const DEFAULTS: Record<string, string> = {
  PORT: '3000',
  HOST: '0.0.0.0',
  PATCHMON_SERVER_URL: 'https://patchmon.example.com',
  JWT_EXPIRES_IN: '8h',
  TRUST_PROXY: 'false',
  LOG_LEVEL: 'info',
  RATE_LIMIT_MAX: '5000',
  RATE_LIMIT_WINDOW_MS: '900000',
  AUTH_RATE_LIMIT_MAX: '500',
  AUTH_RATE_LIMIT_WINDOW_MS: '600000',
  AGENT_RATE_LIMIT_MAX: '10000',
  AGENT_RATE_LIMIT_WINDOW_MS: '60000',
  GETHOMEPAGE_RATE_LIMIT_MAX: '100',
  GETHOMEPAGE_RATE_LIMIT_WINDOW_MS: '900000',
  MAX_LOGIN_ATTEMPTS: '5',
  LOCKOUT_DURATION_MINUTES: '15',
  JSON_BODY_LIMIT: '1048576',
  AGENT_UPDATE_BODY_LIMIT: '16777216',
  AGENT_REPORTS_RETENTION_DAYS: '30'
}

/** Notes that only make sense for the packaged service. */
const SERVICE_NOTES: Record<string, string> = {
  PATCHMON_DATA_DIR: 'systemd sets STATE_DIRECTORY=/var/lib/patchmon; leave this unset',
  PATCHMON_ADMIN_PASSWORD: 'used only when the database has no user yet (the first start)',
  JWT_SECRET: 'otherwise generated once into /var/lib/patchmon/jwt-secret',
  SECRET_ENCRYPTION_KEY: 'otherwise generated once into /var/lib/patchmon/secret-encryption-key; never change it once secrets are stored'
}

export function renderEnvFile(): string {
  const lines = [
    '# Settings of the PatchMon appliance service (patchmon.service), read by systemd at start.',
    '# Every setting is listed, commented out, with its default. Uncomment and edit a line, then:',
    '#   systemctl restart patchmon',
    '# This file is kept on upgrade. `patchmon --help` describes the same settings.',
    ''
  ]
  for (const s of settingsReference()) {
    lines.push(`# ${s.describe}${s.flag ? ` (flag ${s.flag})` : ''}`)
    if (SERVICE_NOTES[s.env]) lines.push(`# ${SERVICE_NOTES[s.env]}`)
    lines.push(`#${s.env}=${DEFAULTS[s.env] ?? ''}`, '')
  }
  return lines.join('\n')
}
