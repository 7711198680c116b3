// Settings → Users → Sessions: an admin (can_manage_users) sees one user's active sessions and
// ends one or all of them.
import { useApi } from '../use-api'
import { Loaded } from '../components/feedback'
import { PageHeader } from '../components/controls'
import { SessionList } from '../components/session-list'
import { Link } from '../router'
import type { SessionUser } from '../session'

export function UserSessions({ params }: { params: Record<string, string> }) {
  const id = params.id ?? ''
  const users = useApi<SessionUser[]>('/api/v1/users')
  return (
    <>
      <Loaded resource={users} label="Loading…">
        {(list) => <PageHeader title={`Sessions of ${list.find((u) => u.id === id)?.username ?? 'a deleted user'}`} />}
      </Loaded>
      <p>
        <Link href="/settings/users">← Users</Link>
      </p>
      <section class="panel">
        <SessionList userId={id} />
      </section>
    </>
  )
}
