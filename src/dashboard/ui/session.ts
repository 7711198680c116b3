// The signed-in user, shared by every screen through context.
import { createContext } from 'preact'
import { useContext } from 'preact/hooks'

export interface SessionUser {
  id: string
  username: string
  email: string | null
  first_name: string | null
  last_name: string | null
  role: string
  tfa_enabled: boolean
  has_password: boolean
  /** True while the password is the one generated on first start (older servers omit it). */
  must_change_password?: boolean
  discord_linked: boolean
  discord_username: string | null
  discord_avatar: string | null
  permissions?: string[]
}

export interface Session {
  user: SessionUser
  can: (permission: string) => boolean
  refresh: () => Promise<void>
  signOut: () => Promise<void>
}

export const SessionContext = createContext<Session | null>(null)

export function useSession(): Session {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession outside a signed-in screen')
  return session
}
