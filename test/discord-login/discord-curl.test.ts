// The whole round trip as a real HTTP client makes it: curl with a cookie jar follows the
// redirects app → fake Discord → app callback, then uses the session cookie it was given.
import t from 'tap'
import { execFile } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { AddressInfo } from 'node:net'
import { discordApp } from './discord-helpers.js'

const run = promisify(execFile)

t.test('curl signs in with Discord by following the redirects with a cookie jar', async (t) => {
  const { ctx, fake } = await discordApp(t)
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`
  await ctx.app.settings.set('server_url', base)
  await ctx.app.settings.set('signup_enabled', true)
  fake.nextUser = { id: '700000000000000001', username: 'curl.user', email: 'curl@example.com', verified: true }
  const jar = join(mkdtempSync(join(tmpdir(), 'discord-curl-')), 'jar')

  const flow = await run('curl', [
    '-sS',
    '-L',
    '--max-redirs',
    '5',
    '--max-time',
    '20',
    '-c',
    jar,
    '-b',
    jar,
    '-o',
    '/dev/null',
    '-w',
    '%{url_effective} %{num_redirects}',
    `${base}/api/v1/auth/discord/login`
  ])
  t.equal(flow.stdout, `${base}/?discord=success 3`, 'login → Discord → callback → dashboard')

  const me = await run('curl', ['-sS', '--max-time', '10', '-b', jar, `${base}/api/v1/auth/me`])
  const user = JSON.parse(me.stdout).user
  t.match(user, { username: 'curl.user', email: 'curl@example.com', discord_linked: true, has_password: false })
  t.same(fake.refusals, [])
})
