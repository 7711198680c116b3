// An operator recovers an account whose phone and backup codes are lost: the CLI as users run it.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { Secret, TOTP } from 'otpauth'
import { ADMIN_PASSWORD, bearer, buildTestApp } from '../helpers/test-app.js'

const TSX = join(__dirname, '../../node_modules/.bin/tsx')
const MAIN = join(__dirname, '../../src/main.ts')

t.test('patchmon admin reset-tfa turns TOTP off so the password alone signs in again', async (t) => {
  const ctx = await buildTestApp(t)
  const setup = await ctx.app.inject({ method: 'GET', url: '/api/v1/tfa/setup', headers: bearer(ctx.adminToken) })
  const secret: string = setup.json().secret
  const token = new TOTP({ secret: Secret.fromBase32(secret) }).generate()
  const enabled = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/tfa/verify-setup',
    headers: bearer(ctx.adminToken),
    payload: { token }
  })
  t.equal(enabled.statusCode, 200)
  const challenged = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'admin', password: ADMIN_PASSWORD }
  })
  t.equal(challenged.json().requiresTfa, true)

  const run = spawnSync(TSX, [MAIN, 'admin', 'reset-tfa', 'admin'], {
    env: { ...process.env, PATCHMON_DATA_DIR: ctx.dataDir, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 60_000
  })
  t.equal(run.status, 0, run.stderr)
  t.match(run.stdout, /Two-factor authentication of admin turned off/)

  const login = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'admin', password: ADMIN_PASSWORD }
  })
  t.type(login.json().token, 'string')
  const unknown = spawnSync(TSX, [MAIN, 'admin', 'reset-tfa', 'ghost'], {
    env: { ...process.env, PATCHMON_DATA_DIR: ctx.dataDir, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 60_000
  })
  t.not(unknown.status, 0)
  t.match(unknown.stderr, /no user named ghost/)
})
