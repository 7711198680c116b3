// Entry of the dashboard: find out who is signed in (the HttpOnly cookie decides), then show the
// login screen or the requested screen inside the layout.
import './styles.css'
import { render } from 'preact'
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks'
import { get, post, whenSignedOut } from './api'
import { Layout } from './components/layout'
import { EmptyState, Loading } from './components/feedback'
import { Link, matchRoute, navigate, useLocation } from './router'
import { ROUTES } from './routes'
import { Login } from './screens/login'
import { SessionContext, type Session, type SessionUser } from './session'

type Auth = { state: 'checking' } | { state: 'signed-out' } | { state: 'signed-in'; user: SessionUser }

function App() {
  const { path, query } = useLocation()
  const [auth, setAuth] = useState<Auth>({ state: 'checking' })

  const refresh = useCallback(async () => {
    try {
      const { user } = await get<{ user: SessionUser }>('/api/v1/auth/me')
      setAuth({ state: 'signed-in', user })
    } catch {
      setAuth({ state: 'signed-out' })
    }
  }, [])

  useEffect(() => {
    whenSignedOut(() => setAuth({ state: 'signed-out' }))
    void refresh()
  }, [refresh])

  const session = useMemo<Session | null>(() => {
    if (auth.state !== 'signed-in') return null
    const permissions = new Set(auth.user.permissions ?? [])
    return {
      user: auth.user,
      can: (p) => permissions.has(p),
      refresh,
      signOut: async () => {
        await post('/api/v1/auth/logout').catch(() => undefined)
        // End the OpenID provider's session too when the admin turned that on (the server decides
        // whether this browser signed in through it, and answers with a redirect either way).
        const oidc = await get<{ endSession: boolean }>('/api/v1/auth/oidc/config').catch(() => ({ endSession: false }))
        if (oidc.endSession) {
          location.assign('/api/v1/auth/oidc/logout')
          return
        }
        setAuth({ state: 'signed-out' })
        navigate('/login', true)
      }
    }
  }, [auth, refresh])

  useEffect(() => {
    if (auth.state === 'signed-out' && path !== '/login') navigate(`/login?next=${encodeURIComponent(path + location.search)}`, true)
    if (auth.state === 'signed-in' && path === '/login') navigate(safeNext(query.get('next')), true)
  }, [auth.state, path])

  const route = ROUTES.map((r) => ({ r, params: matchRoute(r.path, path) })).find((m) => m.params !== null)
  useEffect(() => {
    document.title = route ? `${route.r.title} · PatchMon` : 'PatchMon'
  }, [route?.r.title])

  if (auth.state === 'checking') return <Loading label="Starting PatchMon…" />
  if (auth.state === 'signed-out' || !session) return <Login onSignedIn={(user) => setAuth({ state: 'signed-in', user })} />
  const Screen = route?.r.screen
  return (
    <SessionContext.Provider value={session}>
      <Layout path={path}>
        {Screen && route.params ? (
          route.r.permission && !session.can(route.r.permission) ? (
            <EmptyState title="You do not have access to this page">
              Your role ({session.user.role}) lacks the permission {route.r.permission}. Ask an administrator.
            </EmptyState>
          ) : (
            <Screen params={route.params} />
          )
        ) : (
          <EmptyState title="Page not found">
            <Link href="/">Go to the overview</Link>
          </EmptyState>
        )}
      </Layout>
    </SessionContext.Provider>
  )
}

/** Only same-site paths are followed after login (never //evil.example or a full URL). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/'
}

const root = document.getElementById('app')
if (root) {
  root.textContent = ''
  render(<App />, root)
}
