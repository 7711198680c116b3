// No secret ever lands in audit_log: passwords (right, wrong, new, reset), TOTP secrets and codes,
// backup codes, enrollment and API token secrets, host API keys, the Discord client secret and
// webhook URLs and signing secrets all pass through audited routes here, then the whole table is
// read as text and searched for each of them.
import t from 'tap'
import { Secret, TOTP } from 'otpauth'
import { ADMIN_PASSWORD, bearer, buildTestApp } from '../helpers/test-app.js'
import { lastEntry } from './audit-helpers.js'

t.test('audit_log holds none of the secrets that passed through audited routes', async (t) => {
  const ctx = await buildTestApp(t)
  const auth = bearer(ctx.adminToken)
  const secrets: string[] = [ADMIN_PASSWORD]
  const inject = (
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'GET',
    url: string,
    payload?: object,
    headers: Record<string, string> = auth
  ) => ctx.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })

  // Passwords: a wrong sign-in, a new user, an admin reset, the user's own change.
  secrets.push('Wrong-Password-7781', 'Dana-Initial-Pass-1', 'Dana-Reset-Pass-2', 'Dana-Own-Pass-3')
  await inject('POST', '/api/v1/auth/login', { username: 'admin', password: 'Wrong-Password-7781' }, {})
  const dana = await inject('POST', '/api/v1/users', { username: 'dana', password: 'Dana-Initial-Pass-1', role: 'readonly' })
  const danaId = (dana.json() as { user: { id: string } }).user.id
  t.equal((await inject('POST', `/api/v1/users/${danaId}/reset-password`, { new_password: 'Dana-Reset-Pass-2' })).statusCode, 200)
  const danaLogin = await inject('POST', '/api/v1/auth/login', { username: 'dana', password: 'Dana-Reset-Pass-2' }, {})
  const danaAuth = bearer((danaLogin.json() as { token: string }).token)
  secrets.push((danaLogin.json() as { token: string }).token)
  const change = await inject(
    'POST',
    '/api/v1/auth/change-password',
    { current_password: 'Dana-Reset-Pass-2', new_password: 'Dana-Own-Pass-3' },
    danaAuth
  )
  t.equal(change.statusCode, 200)

  // TFA: the setup secret, the confirming code, the backup codes, a wrong code at sign-in.
  const setup = await inject('GET', '/api/v1/tfa/setup')
  const tfaSecret = (setup.json() as { secret: string }).secret
  const code = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(tfaSecret) }).generate()
  const verified = await inject('POST', '/api/v1/tfa/verify-setup', { token: code })
  t.equal(verified.statusCode, 200)
  secrets.push(tfaSecret, ...(verified.json() as { backupCodes: string[] }).backupCodes)
  const step = await inject('POST', '/api/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD }, {})
  const ticket = (step.json() as { tfaTicket: string }).tfaTicket
  secrets.push(ticket)
  const wrongCode = code === '000000' ? '111111' : '000000'
  t.equal(
    (await inject('POST', '/api/v1/auth/verify-tfa', { username: 'admin', token: wrongCode, tfa_ticket: ticket }, {})).statusCode,
    401
  )
  const tfaFailure = await lastEntry(ctx, 'signin.failure')
  t.match(tfaFailure, { actor_label: 'admin', reason: 'invalid_code', details: { method: 'tfa' } }, 'a wrong TFA code is a failed sign-in')
  t.equal((await inject('POST', '/api/v1/tfa/disable', { password: ADMIN_PASSWORD })).statusCode, 200)

  // Credentials: enrollment and API token secrets, a host's key, its rotated key.
  for (const body of [
    { token_name: 'pve', metadata: { integration_type: 'proxmox-lxc' } },
    { token_name: 'ansible', metadata: { integration_type: 'api' }, scopes: { host: ['get'], audit: ['get'] } }
  ]) {
    const res = await inject('POST', '/api/v1/auto-enrollment/tokens', body)
    t.equal(res.statusCode, 201)
    secrets.push((res.json() as { token: { token_secret: string } }).token.token_secret)
  }
  const host = await inject('POST', '/api/v1/hosts', { friendly_name: 'db-01' })
  const hostBody = host.json() as { id: string; api_key: string }
  const rotated = await inject('POST', `/api/v1/hosts/${hostBody.id}/regenerate-credentials`)
  secrets.push(hostBody.api_key, (rotated.json() as { api_key: string }).api_key)

  // Settings with secrets: the Discord client secret, a webhook URL whose path is the secret.
  secrets.push('discord-client-secret-99', 'webhookPathSecret42', 'hmac-signing-secret-5')
  const discord = await inject('PUT', '/api/v1/auth/discord/settings', {
    discord_client_id: '1234567890',
    discord_client_secret: 'discord-client-secret-99'
  })
  t.equal(discord.statusCode, 200)
  const destination = await inject('POST', '/api/v1/notifications/destinations', {
    channel_type: 'webhook',
    display_name: 'Ops hook',
    config: { url: 'https://hooks.example.com/services/webhookPathSecret42', signing_secret: 'hmac-signing-secret-5' }
  })
  t.equal(destination.statusCode, 201)

  const rows = ctx.store.sqlite.prepare('SELECT * FROM audit_log').all()
  const text = JSON.stringify(rows)
  t.ok(rows.length >= 15, `the actions were recorded (${rows.length} entries)`)
  for (const action of [
    'signin.failure',
    'user.password_reset',
    'auth.password_change',
    'tfa.enable',
    'token.create',
    'host.credentials_rotate',
    'discord_settings.update',
    'destination.create'
  ]) {
    t.ok(text.includes(`"${action}"`), `${action} is in the log`)
  }
  for (const secret of secrets) t.notOk(text.includes(secret), `audit_log does not contain ${secret.slice(0, 4)}…`)
  // Six digits can occur inside an id by chance; a leaked code would be a value of its own.
  t.notOk(text.includes(`"${code}"`) || text.includes(`\\"${code}\\"`), 'nor the TOTP code')
})
