// Shown beside one-liners and configs whose address is 127.0.0.1/localhost: on another machine
// that address is the machine itself, so the command would fail there. Points at the Server URL
// setting (or at who can change it).
import { Link } from '../router'
import { useSession } from '../session'
import { isLoopbackUrl } from '../server-url'
import { Notice } from './feedback'

export function LoopbackWarning({ url }: { url: string }) {
  const session = useSession()
  if (!isLoopbackUrl(url)) return null
  const host = new URL(url).host
  return (
    <Notice kind="warn">
      <span class="loopback-warning">
        These commands point at <code>{host}</code>, which on any other machine means that machine itself, so they will not reach this
        server there.{' '}
        {session.can('can_manage_settings') ? (
          <>
            Set the <Link href="/settings/server">Server URL</Link> to an address your hosts can reach (or open the dashboard through that
            address).
          </>
        ) : (
          <>Ask an administrator to set the Server URL, or open the dashboard through an address your hosts can reach.</>
        )}
      </span>
    </Notice>
  )
}
