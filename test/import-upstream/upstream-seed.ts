// Seeds an upstream database the way upstream stores things (facts/upstream-database.md): bcrypt
// with $2a$ (and a $2y$) prefixes at upstream's costs, the TOTP seed in plain base32, backup codes as
// a JSON array of hashes, destination configs and the Discord secret AES-256-GCM sealed with the key
// from AI_ENCRYPTION_KEY (12-byte IV in 2.x, 16-byte IV for 1.4.x rows). Returns the plain secrets.
import bcrypt from 'bcrypt'
import { createCipheriv, randomBytes } from 'node:crypto'
import { Secret } from 'otpauth'
import { ADMIN_PASSWORD } from '../helpers/test-app.js'
import type { UpstreamPostgres } from './upstream-postgres.js'
import { upstreamDdl, type UpstreamGeneration } from './upstream-schema.js'

export const AI_ENCRYPTION_KEY = 'a3f1c2d4e5b60718293a4b5c6d7e8f90112233445566778899aabbccddeeff00'
export const ENV_FILE_TEXT = `# upstream .env\nDATABASE_URL=postgresql://patchmon:pw@database:5432/patchmon_db\nSESSION_SECRET="not-the-key"\nAI_ENCRYPTION_KEY=${AI_ENCRYPTION_KEY}\n`

export const IDS = {
  web: '11111111-1111-4111-8111-111111111111',
  db: '22222222-2222-4222-8222-222222222222',
  legacy: '33333333-3333-4333-8333-333333333333',
  webGroup: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
  dbGroup: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'
}

const hex = (n: number) => randomBytes(n).toString('hex')

/** bcrypt under the prefix upstream's library writes ($2a$ for Go and bcryptjs). */
async function upstreamHash(secret: string, cost: number, prefix = '$2a$'): Promise<string> {
  return prefix + (await bcrypt.hash(secret, cost)).slice(4)
}

export function upstreamEncrypt(plain: string, ivBytes = 12, keyHex = AI_ENCRYPTION_KEY): string {
  const iv = randomBytes(ivBytes)
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(keyHex, 'hex'), iv)
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return `${iv.toString('hex')}:${cipher.getAuthTag().toString('hex')}:${ct.toString('hex')}`
}

export interface SeededSecrets {
  web: { apiId: string; apiKey: string }
  db: { apiId: string; apiKey: string }
  legacy?: { apiId: string; apiKey: string }
  api: { key: string; secret: string }
  homepage: { key: string; secret: string }
  enrollment: { key: string; secret: string }
  alice: { password: string; totpSecret: string; backupCodes: string[] }
  webhookSigningSecret: string
  discordSecret: string
}

export async function seedUpstream(pg: UpstreamPostgres, database: string, generation: UpstreamGeneration): Promise<SeededSecrets> {
  const is2x = generation === '2.x'
  await pg.exec(database, upstreamDdl(generation))
  const s: SeededSecrets = {
    web: { apiId: `patchmon_${hex(8)}`, apiKey: hex(32) },
    db: { apiId: `patchmon_${hex(8)}`, apiKey: hex(32) },
    api: { key: `patchmon_ae_${hex(16)}`, secret: hex(32) },
    homepage: { key: `patchmon_ae_${hex(16)}`, secret: hex(32) },
    enrollment: { key: `patchmon_ae_${hex(16)}`, secret: hex(32) },
    alice: {
      password: 'alice-upstream-password',
      totpSecret: new Secret({ size: 32 }).base32,
      backupCodes: ['K7Q2ZD', 'M4X9PA', 'R2T8WB']
    },
    webhookSigningSecret: `sw-sign-${hex(8)}`,
    discordSecret: `discord-secret-${hex(8)}`
  }
  const sql = (text: string, values: unknown[]) => pg.exec(database, text, values)
  await sql(
    `INSERT INTO host_groups (id, name, description, color) VALUES ($1, 'Web servers', 'nginx fleet', '#10B981'), ($2, 'Databases', NULL, '#3B82F6')`,
    [IDS.webGroup, IDS.dbGroup]
  )
  // web: reported, $2a$ cost 10 key; db: pending, $2y$ key (PHP-style prefix, same algorithm).
  await sql(
    `INSERT INTO hosts (id, machine_id, friendly_name, hostname, ip, os_type, os_version, architecture, last_update, status, api_id, api_key,
       agent_version, notes, cpu_cores, ram_installed, network_interfaces, needs_reboot)
     VALUES ($1, 'mid-web-1', 'web-1', 'web-1.lan', '10.0.0.5', 'Debian GNU/Linux', '12 (bookworm)', 'x86_64', '2026-12-01 10:00:00', 'active',
       $2, $3, '2.1.3', 'rack 4, ask Sam before rebooting', 4, 7.8, '[{"name":"eth0","ip":"10.0.0.5"}]', true),
     ($4, 'pending-x', 'db-1', NULL, NULL, 'unknown', 'unknown', NULL, '2026-11-30 09:00:00', 'pending', $5, $6, NULL, NULL, NULL, NULL, NULL, false)`,
    [IDS.web, s.web.apiId, await upstreamHash(s.web.apiKey, 10), IDS.db, s.db.apiId, await upstreamHash(s.db.apiKey, 10, '$2y$')]
  )
  if (!is2x) {
    // A 1.4.x host whose key was never hashed (legacy plain text).
    s.legacy = { apiId: `patchmon_${hex(8)}`, apiKey: hex(32) }
    await sql(
      `INSERT INTO hosts (id, friendly_name, api_id, api_key, status, last_update) VALUES ($1, 'legacy-1', $2, $3, 'active', '2026-11-01 08:00:00')`,
      [IDS.legacy, s.legacy.apiId, s.legacy.apiKey]
    )
  }
  await sql(
    `INSERT INTO host_group_memberships (id, host_id, host_group_id) VALUES (gen_random_uuid()::text, $1, $2), (gen_random_uuid()::text, $1, $3), (gen_random_uuid()::text, $4, $3)`,
    [IDS.web, IDS.webGroup, IDS.dbGroup, IDS.db]
  )
  await sql(
    `INSERT INTO packages (id, name, description, category) VALUES ('p1', 'openssl', 'TLS toolkit', 'libs'), ('p2', 'nginx', NULL, 'web'), ('p3', 'bash', NULL, NULL)`,
    []
  )
  await sql(
    `INSERT INTO repositories (id, name, url, distribution, components, repo_type)
     VALUES ('r1', 'deb-debian-bookworm-security', 'http://security.debian.org/debian-security', 'bookworm-security', 'main', 'deb')`,
    []
  )
  await sql(
    `INSERT INTO host_packages (id, host_id, package_id, current_version, available_version, needs_update, is_security_update) VALUES
       ('hp1', $1, 'p1', '3.0.11-1~deb12u1', '3.0.15-1~deb12u1', true, true), ('hp2', $1, 'p2', '1.22.1-9', '1.22.1-9+deb12u1', true, false),
       ('hp3', $1, 'p3', '5.2.15-2+b2', NULL, false, false)`,
    [IDS.web]
  )
  await sql(`INSERT INTO host_repositories (id, host_id, repository_id, is_enabled) VALUES ('hr1', $1, 'r1', true)`, [IDS.web])
  const backupHashes = JSON.stringify(await Promise.all(s.alice.backupCodes.map((c) => upstreamHash(c, 10))))
  await sql(
    `INSERT INTO users (id, username, email, password_hash, role, created_at) VALUES ('u-admin', 'admin', 'admin@example.com', $1, 'superadmin', '2026-01-01 00:00:00')`,
    [await upstreamHash(ADMIN_PASSWORD, 12)]
  )
  await sql(
    `INSERT INTO users (id, username, email, password_hash, role, tfa_enabled, tfa_secret, tfa_backup_codes, discord_id, discord_username)
     VALUES ('u-alice', 'alice', 'alice@example.com', $1, 'host_manager', true, $2, $3, '555000111', 'alice#0001')`,
    [await upstreamHash(s.alice.password, 12), s.alice.totpSecret, backupHashes]
  )
  await sql(
    `INSERT INTO users (id, username, email, password_hash, role, oidc_sub) VALUES ('u-bob', 'bob', 'bob@example.com', NULL, 'auditor', 'oidc|bob')`,
    []
  )
  await sql(`INSERT INTO role_permissions (id, role) VALUES ('r1', 'superadmin'), ('r2', 'auditor')`, [])
  const token = (name: string, cred: { key: string; secret: string }, meta: string, extra: string, values: unknown[] = []) =>
    upstreamHash(cred.secret, 10).then((hash) =>
      sql(
        `INSERT INTO auto_enrollment_tokens (id, token_name, token_key, token_secret, created_by_user_id, metadata ${extra ? ', ' + extra.split('|')[0] : ''})
         VALUES (gen_random_uuid()::text, $1, $2, $3, 'u-admin', $4 ${extra ? ', ' + extra.split('|')[1] : ''})`,
        [name, cred.key, hash, meta, ...values]
      )
    )
  await token('Ansible inventory', s.api, '{"integration_type":"api"}', 'scopes, allowed_ip_ranges|$5, $6', ['{"host":["get"]}', '{}'])
  await token('Homepage', s.homepage, '{"integration_type":"gethomepage"}', '')
  await token(
    'Proxmox cluster',
    s.enrollment,
    '{"integration_type":"proxmox-lxc"}',
    'default_host_group_id, max_hosts_per_day, allowed_ip_ranges|$5, 5, $6',
    [IDS.webGroup, '{127.0.0.1/32,10.0.0.0/8}']
  )
  const discord = upstreamEncrypt(s.discordSecret, is2x ? 12 : 16)
  await sql(
    `INSERT INTO settings (id, server_url, update_interval, signup_enabled, default_user_role, discord_oauth_enabled, discord_client_id, discord_client_secret)
     VALUES ('default', 'https://patchmon.example.net', 30, false, 'readonly', true, '123456789012345678', $1)`,
    [discord]
  )
  if (is2x) {
    const config = JSON.stringify({ signing_secret: s.webhookSigningSecret, url: 'https://hooks.example.net/patchmon' })
    await sql(
      `INSERT INTO notification_destinations (id, channel_type, display_name, config_encrypted) VALUES ('d-webhook', 'webhook', 'Ops webhook', $1)`,
      [upstreamEncrypt(config)]
    )
    await sql(
      `INSERT INTO notification_routes (id, destination_id, event_types, min_severity, host_group_ids, host_ids) VALUES
         ('rt1', 'd-webhook', '["host_down","host_recovered"]', 'warning', $1, NULL),
         ('rt2', 'd-webhook', '["*"]', 'informational', '[]', $2),
         ('rt3', 'internal-alerts', '["host_down"]', 'informational', NULL, NULL)`,
      [JSON.stringify([IDS.dbGroup]), JSON.stringify([IDS.web])]
    )
    await sql(`INSERT INTO scheduled_reports (id, name, destination_ids) VALUES ('sr1', 'Weekly summary', '["d-webhook"]')`, [])
    await sql(
      `INSERT INTO patch_policies (id, name, patch_delay_type, fixed_time_utc) VALUES ('pp1', 'Nightly', 'fixed_time', '03:00')`,
      []
    )
    await sql(
      `INSERT INTO patch_policy_assignments (id, patch_policy_id, target_type, target_id) VALUES ('pa1', 'pp1', 'host_group', $1)`,
      [IDS.webGroup]
    )
    await sql(`INSERT INTO patch_runs (id, host_id, patch_type, status) VALUES ('run1', $1, 'patch_all', 'completed')`, [IDS.web])
  }
  return s
}

/**
 * Upstream 2.x OIDC sign-in settings pointed at `issuer` (its client secret AES-GCM sealed with the
 * upstream key), admins and users mapped from groups; bob (seeded above) is linked by his subject.
 */
export async function seedUpstreamOidc(
  pg: UpstreamPostgres,
  database: string,
  o: { issuer: string; clientId: string; clientSecret: string; redirectUri: string; disableLocalAuth: boolean }
): Promise<void> {
  await pg.exec(
    database,
    `UPDATE settings SET oidc_enabled = true, oidc_issuer_url = $1, oidc_client_id = $2, oidc_client_secret = $3,
       oidc_redirect_uri = $4, oidc_scopes = 'openid email profile groups', oidc_button_text = 'Sign in with Corp SSO',
       oidc_auto_create_users = true, oidc_default_role = 'auditor', oidc_disable_local_auth = $5,
       oidc_admin_group = 'pm-admins', oidc_user_group = 'pm-users', oidc_trust_unverified_email = true WHERE id = 'default'`,
    [o.issuer, o.clientId, upstreamEncrypt(o.clientSecret), o.redirectUri, o.disableLocalAuth]
  )
}
