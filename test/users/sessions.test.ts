// Sessions and devices (issue 18 part 5) through the HTTP surface: a user lists their sessions and
// ends one or all others; an admin lists and ends another user's; last_seen_at moves at most once a
// minute; every end is in the audit log.
import t from 'tap'
import { ADMIN_PASSWORD, bearer, buildTestApp, login, userWithRole, type TestApp } from '../helpers/test-app.js'
import { lastEntry } from '../audit/audit-helpers.js'

interface SessionView {
  id: string
  created_at: string
  last_seen_at: string
  ip: string | null
  user_agent: string | null
  current: boolean
}

async function signIn(ctx: TestApp, username: string, password: string, ua: string): Promise<string> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'user-agent': ua },
    payload: { username, password }
  })
  if (res.statusCode !== 200) throw new Error(`login failed ${res.body}`)
  return (res.json() as { token: string }).token
}

async function mySessions(ctx: TestApp, token: string): Promise<SessionView[]> {
  const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: bearer(token) })
  if (res.statusCode !== 200) throw new Error(`sessions ${res.statusCode} ${res.body}`)
  return (res.json() as { sessions: SessionView[] }).sessions
}

const me = (ctx: TestApp, token: string) => ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })

t.test('a user sees their sessions with address, user agent and which one is this', async (t) => {
  const ctx = await buildTestApp(t)
  const laptop = await signIn(ctx, 'admin', ADMIN_PASSWORD, 'Laptop Firefox')
  await signIn(ctx, 'admin', ADMIN_PASSWORD, 'Phone Safari')
  const sessions = await mySessions(ctx, laptop)
  t.equal(sessions.length, 3, 'the helper login and the two new ones')
  const current = sessions.filter((s) => s.current)
  t.equal(current.length, 1)
  t.equal(current[0]?.user_agent, 'Laptop Firefox')
  t.ok(sessions.some((s) => s.user_agent === 'Phone Safari' && !s.current))
  t.ok(sessions.every((s) => s.ip === '127.0.0.1' && s.last_seen_at >= s.created_at))
})

t.test('ending one session, and all others, signs those devices out at once', async (t) => {
  const ctx = await buildTestApp(t)
  const laptop = await signIn(ctx, 'admin', ADMIN_PASSWORD, 'Laptop')
  const phone = await signIn(ctx, 'admin', ADMIN_PASSWORD, 'Phone')
  const phoneId = (await mySessions(ctx, phone)).find((s) => s.current)?.id
  const end = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/auth/sessions/${phoneId}`, headers: bearer(laptop) })
  t.equal(end.statusCode, 200)
  t.equal((await me(ctx, phone)).statusCode, 401, 'the phone is signed out')
  t.equal((await me(ctx, laptop)).statusCode, 200, 'the laptop is not')
  t.match(await lastEntry(ctx, 'session.end'), { actor_label: 'admin', target_type: 'session', target_id: phoneId })

  const again = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/auth/sessions/${phoneId}`, headers: bearer(laptop) })
  t.equal(again.statusCode, 404)
  t.same(again.json(), { error: 'Session not found' })

  const others = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/sessions/end-others', headers: bearer(laptop) })
  t.same(others.json(), { message: 'Other sessions ended', ended: 1 }, 'the helper login ended')
  t.equal((await me(ctx, ctx.adminToken)).statusCode, 401)
  t.same(
    (await mySessions(ctx, laptop)).map((s) => s.current),
    [true]
  )
  t.match(await lastEntry(ctx, 'session.end_others', laptop), { details: { ended: 1 } })

  const self = (await mySessions(ctx, laptop))[0]?.id
  const out = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/auth/sessions/${self}`, headers: bearer(laptop) })
  t.equal(out.statusCode, 200)
  t.match(out.headers['set-cookie'], /token=;/, 'ending the current session clears the cookie')
  t.equal((await me(ctx, laptop)).statusCode, 401)
})

t.test("a user cannot end someone else's session", async (t) => {
  const ctx = await buildTestApp(t)
  const reader = await userWithRole(ctx, 'readonly', 'rita')
  const adminSession = (await mySessions(ctx, ctx.adminToken))[0]?.id
  const res = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/auth/sessions/${adminSession}`, headers: bearer(reader) })
  t.equal(res.statusCode, 404)
  t.equal((await me(ctx, ctx.adminToken)).statusCode, 200)
})

t.test("admins list and end another user's sessions; others may not; a superadmin needs can_manage_superusers", async (t) => {
  const ctx = await buildTestApp(t)
  const ritaToken = await userWithRole(ctx, 'readonly', 'rita')
  const users = await ctx.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(ctx.adminToken) })
  const list = users.json() as { id: string; username: string }[] | { users: { id: string; username: string }[] }
  const all = Array.isArray(list) ? list : list.users
  const ritaId = all.find((u) => u.username === 'rita')?.id
  const adminId = all.find((u) => u.username === 'admin')?.id

  const seen = await ctx.app.inject({ method: 'GET', url: `/api/v1/users/${ritaId}/sessions`, headers: bearer(ctx.adminToken) })
  t.equal(seen.statusCode, 200)
  const ritaSessions = (seen.json() as { sessions: SessionView[] }).sessions
  t.equal(ritaSessions.length, 1)
  t.equal(ritaSessions[0]?.current, false, "the admin's own session is not rita's")

  t.equal((await ctx.app.inject({ method: 'GET', url: `/api/v1/users/${adminId}/sessions`, headers: bearer(ritaToken) })).statusCode, 403)

  const one = await ctx.app.inject({
    method: 'DELETE',
    url: `/api/v1/users/${ritaId}/sessions/${ritaSessions[0]?.id}`,
    headers: bearer(ctx.adminToken)
  })
  t.equal(one.statusCode, 200)
  t.equal((await me(ctx, ritaToken)).statusCode, 401)
  t.match(await lastEntry(ctx, 'user.session_end'), { actor_label: 'admin', target_type: 'user', target_id: ritaId, target_label: 'rita' })

  await login(ctx.app, 'rita', 'rita-password')
  await login(ctx.app, 'rita', 'rita-password')
  const allEnded = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/users/${ritaId}/sessions`, headers: bearer(ctx.adminToken) })
  t.same(allEnded.json(), { message: 'Sessions ended', ended: 2 })
  t.match(await lastEntry(ctx, 'user.sessions_end'), { target_label: 'rita', details: { ended: 2 } })

  const plainAdmin = await userWithRole(ctx, 'admin', 'andy')
  const refused = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/users/${adminId}/sessions`, headers: bearer(plainAdmin) })
  t.equal(refused.statusCode, 403, "an admin cannot end a superadmin's sessions")
  t.equal((await me(ctx, ctx.adminToken)).statusCode, 200)
  const unknown = await ctx.app.inject({
    method: 'GET',
    url: '/api/v1/users/00000000-0000-4000-8000-000000000000/sessions',
    headers: bearer(ctx.adminToken)
  })
  t.equal(unknown.statusCode, 404)
})

t.test('last_seen_at is written at most once a minute', async (t) => {
  const ctx = await buildTestApp(t)
  const session = (await mySessions(ctx, ctx.adminToken))[0]
  if (!session) throw new Error('no session')
  const column = () =>
    (ctx.store.sqlite.prepare('SELECT last_seen_at FROM user_sessions WHERE id = ?').get(session.id) as { last_seen_at: string | null })
      .last_seen_at
  await me(ctx, ctx.adminToken)
  t.equal(column(), null, 'a fresh session is not written again within the minute')
  const old = new Date(Date.now() - 5 * 60_000).toISOString()
  ctx.store.sqlite.prepare('UPDATE user_sessions SET last_seen_at = ? WHERE id = ?').run(old, session.id)
  await me(ctx, ctx.adminToken)
  const moved = column()
  t.ok(moved && moved > old && Date.now() - Date.parse(moved) < 60_000, 'an older mark moves to now')
  await me(ctx, ctx.adminToken)
  t.equal(column(), moved, 'and stays for the next minute')
  t.equal((await mySessions(ctx, ctx.adminToken))[0]?.last_seen_at, moved)
})
