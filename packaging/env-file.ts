// /etc/patchmon/patchmon.env, generated from the settings table in src/config.ts so that every
// setting is listed (commented out) with the default declared there, and none is forgotten when a
// feature adds one.
import { settingsReference } from '../src/config.js'

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
    lines.push(`#${s.env}=${s.shownDefault}`, '')
  }
  return lines.join('\n')
}
