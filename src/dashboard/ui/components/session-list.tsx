// Sessions and devices: one table for the profile (my sessions) and for an admin looking at another
// user's. Each row ends one session; the button above ends all others (mine) or all (theirs).
import type { Static } from 'typebox'
import type { SessionView } from '../../../users/session-schemas.js'
import { del, post } from '../api'
import { asFailure, useApi } from '../use-api'
import { ErrorNote, Loaded, Notice } from './feedback'
import { formatDate, timeAgo } from './controls'
import { useConfirm } from './dialogs'
import { useState } from 'preact/hooks'

type SessionRow = Static<typeof SessionView>

/** A user agent as a person reads it: the browser and the system when recognisable, else the raw text. */
export function deviceName(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device'
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : /curl\//.test(userAgent)
            ? 'curl'
            : undefined
  const system = /Windows/.test(userAgent)
    ? 'Windows'
    : /Android/.test(userAgent)
      ? 'Android'
      : /iPhone|iPad/.test(userAgent)
        ? 'iOS'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : undefined
  return browser ? `${browser}${system ? ` on ${system}` : ''}` : userAgent.slice(0, 60)
}

/** `userId` absent: the signed-in user's own sessions. */
export function SessionList({ userId }: { userId?: string }) {
  const base = userId ? `/api/v1/users/${encodeURIComponent(userId)}/sessions` : '/api/v1/auth/sessions'
  const sessions = useApi<{ sessions: SessionRow[] }>(base)
  const [dialog, ask] = useConfirm()
  const [error, setError] = useState<Error | undefined>()
  const [notice, setNotice] = useState('')
  const run = async (work: () => Promise<unknown>, done: string) => {
    setError(undefined)
    setNotice('')
    try {
      await work()
      setNotice(done)
      sessions.reload()
    } catch (err) {
      setError(asFailure(err))
    }
  }
  const endOne = async (s: SessionRow) => {
    const message = s.current
      ? 'This is the session you are using: you will be signed out.'
      : `${deviceName(s.user_agent)} will be signed out.`
    if (!(await ask('End this session?', message, 'End session'))) return
    if (s.current && !userId) {
      await del(`/api/v1/auth/sessions/${s.id}`).catch(() => undefined)
      window.location.assign('/login')
      return
    }
    await run(() => del(userId ? `${base}/${s.id}` : `/api/v1/auth/sessions/${s.id}`), 'Session ended.')
  }
  const endAll = async () => {
    const title = userId ? 'End all sessions of this user?' : 'Sign out everywhere else?'
    const message = userId ? 'Every device of this user is signed out at once.' : 'Every other device is signed out; this one stays.'
    if (!(await ask(title, message, userId ? 'End all' : 'Sign out others'))) return
    await run(
      () => (userId ? del(base) : post('/api/v1/auth/sessions/end-others')),
      userId ? 'All sessions ended.' : 'Other sessions ended.'
    )
  }
  return (
    <>
      {dialog}
      <ErrorNote error={error} />
      {notice && <Notice>{notice}</Notice>}
      <Loaded resource={sessions} label="Loading sessions…">
        {(data) => (
          <>
            <div class="table-wrap">
              <table class="table" aria-label="Active sessions">
                <thead>
                  <tr>
                    <th scope="col">Device</th>
                    <th scope="col">Address</th>
                    <th scope="col">Signed in</th>
                    <th scope="col">Last seen</th>
                    <th scope="col">
                      <span class="offscreen">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.sessions.map((s) => (
                    <tr data-session={s.id}>
                      <td title={s.user_agent ?? undefined}>
                        {deviceName(s.user_agent)}
                        {s.current && <span class="muted"> (this session)</span>}
                      </td>
                      <td>{s.ip ?? '—'}</td>
                      <td>{formatDate(s.created_at)}</td>
                      <td title={formatDate(s.last_seen_at)}>{timeAgo(s.last_seen_at)}</td>
                      <td class="row-actions">
                        <button type="button" class="button button-small button-danger" onClick={() => void endOne(s)}>
                          End
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {(userId ? data.sessions.length > 0 : data.sessions.some((s) => !s.current)) && (
              <div class="actions">
                <button type="button" class="button" onClick={() => void endAll()}>
                  {userId ? 'End all sessions' : 'Sign out all other sessions'}
                </button>
              </div>
            )}
            {data.sessions.length === 0 && <p class="muted">No active sessions.</p>}
          </>
        )}
      </Loaded>
    </>
  )
}
