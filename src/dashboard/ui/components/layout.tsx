// The frame around every signed-in screen: navigation (a menu button on narrow screens) with a
// link to the API docs, the user's name with Profile and Sign out, a prompt to replace a generated
// first-start password, and the screen itself in <main>.
import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { Link } from '../router'
import { ROUTES } from '../routes'
import { useSession } from '../session'

export function Layout({ path, children }: { path: string; children: ComponentChildren }) {
  const session = useSession()
  const [open, setOpen] = useState(false)
  const main = useRef<HTMLElement>(null)
  const firstPath = useRef(path)
  // After an in-app navigation, move focus to the new screen (as a full page load would), so
  // keyboard and screen-reader users start reading there instead of at the old link.
  useEffect(() => {
    if (path !== firstPath.current) main.current?.focus({ preventScroll: true })
  }, [path])
  const sections = ['Fleet', 'Alerts', 'Settings'] as const
  const isCurrent = (p: string) => (p === '/' ? path === '/' : path === p || path.startsWith(`${p}/`))
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <button type="button" class="icon-button menu-button" aria-expanded={open} aria-controls="nav" onClick={() => setOpen(!open)}>
          <span aria-hidden="true">☰</span>
          <span class="offscreen">Menu</span>
        </button>
        <Link href="/" class="brand">
          <img src="/assets/favicon.svg" alt="" width={24} height={24} />
          <span>PatchMon</span>
        </Link>
        <div class="topbar-user">
          <Link href="/settings/profile" class="user-link">
            {session.user.discord_avatar && <img src={session.user.discord_avatar} alt="" width={24} height={24} class="avatar" />}
            {session.user.username}
          </Link>
          <button type="button" class="button button-small" onClick={() => void session.signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <nav id="nav" class={open ? 'sidebar sidebar-open' : 'sidebar'} aria-label="Main">
        {sections.map((section) => {
          const items = ROUTES.filter((r) => r.section === section && (!r.permission || session.can(r.permission)))
          if (items.length === 0) return null
          return (
            <div class="nav-section">
              <h2 class="nav-heading">{section}</h2>
              <ul>
                {items.map((r) => (
                  <li>
                    <Link href={r.path} aria-current={isCurrent(r.path) ? 'page' : undefined} onClick={() => setOpen(false)}>
                      {r.title}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          )
        })}
        <div class="nav-section">
          <h2 class="nav-heading">Help</h2>
          <ul>
            {/* Swagger UI is served by the server, not a dashboard route: a plain link, new tab. */}
            <li>
              <a href="/api/v1/api-docs" target="_blank" rel="noopener">
                API docs
              </a>
            </li>
          </ul>
        </div>
      </nav>
      <main id="main" class="content" tabIndex={-1} ref={main}>
        {session.user.must_change_password && (
          <div class="note note-warn" role="status">
            You are signed in with the password generated at first start (it was printed in the service log).{' '}
            {path === '/settings/profile' ? (
              'Choose your own under Change Password below.'
            ) : (
              <Link href="/settings/profile">Change your password now.</Link>
            )}
          </div>
        )}
        {children}
      </main>
    </div>
  )
}
