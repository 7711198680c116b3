// The signed-in user, shared by every screen through context.
import type { Static } from 'typebox'
import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { UserView } from '../../users/auth-schemas.js'

/** GET /api/v1/auth/me's user: the server's UserView schema, imported as a type only. */
export type SessionUser = Static<typeof UserView>

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
