// Every call to the server goes through here: the session rides in the HttpOnly `token` cookie
// (credentials: same-origin, nothing kept in localStorage), and every failure becomes an
// ApiFailure whose message is a sentence a person can act on.

export const NOT_AVAILABLE = 'This feature is not available on this server yet'

export class ApiFailure extends Error {
  readonly status: number
  /** The route does not exist on this server (another feature not installed yet). */
  readonly notAvailable: boolean

  constructor(status: number, message: string, notAvailable = false) {
    super(message)
    this.name = 'ApiFailure'
    this.status = status
    this.notAvailable = notAvailable
  }
}

type Unauthorized = () => void
let onUnauthorized: Unauthorized = () => undefined

/** The app calls this once: a 401 on a signed-in screen sends the user back to the login page. */
export function whenSignedOut(handler: Unauthorized): void {
  onUnauthorized = handler
}

interface ErrorShape {
  error?: unknown
  message?: unknown
  errors?: Array<{ msg?: unknown }>
}

/** Turns any of the server's three error shapes into one sentence. */
export function errorText(status: number, body: unknown): { text: string; notAvailable: boolean } {
  const shape: ErrorShape = typeof body === 'object' && body !== null ? (body as ErrorShape) : {}
  const error = typeof shape.error === 'string' ? shape.error : ''
  const message = typeof shape.message === 'string' ? shape.message : ''
  if (status === 404 && error === 'Not found' && message.startsWith('Route ')) return { text: NOT_AVAILABLE, notAvailable: true }
  if (Array.isArray(shape.errors) && shape.errors.length > 0) {
    return { text: shape.errors.map((e) => String(e.msg ?? 'Invalid value')).join('. '), notAvailable: false }
  }
  if (error && message) return { text: message.startsWith(error) ? message : `${error}: ${message}`, notAvailable: false }
  if (error || message) return { text: error || message, notAvailable: false }
  if (status === 403) return { text: 'You do not have permission to do this.', notAvailable: false }
  if (status >= 500) return { text: `The server failed to answer (HTTP ${status}). Try again in a moment.`, notAvailable: false }
  return { text: `Request failed (HTTP ${status}).`, notAvailable: false }
}

const QUIET_401 = [
  '/api/v1/auth/login',
  '/api/v1/auth/verify-tfa',
  '/api/v1/auth/me',
  '/api/v1/auth/change-password',
  '/api/v1/tfa/disable'
]

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {})
    })
  } catch {
    throw new ApiFailure(0, 'Cannot reach the server. Check the connection and try again.')
  }
  const text = await res.text()
  let parsed: unknown = undefined
  if (text) {
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = undefined
    }
  }
  if (!res.ok) {
    if (res.status === 401 && !QUIET_401.some((p) => path.startsWith(p))) onUnauthorized()
    const { text: message, notAvailable } = errorText(res.status, parsed)
    throw new ApiFailure(res.status, message, notAvailable)
  }
  return parsed as T
}

export const get = <T>(path: string) => api<T>('GET', path)
export const post = <T>(path: string, body: unknown = {}) => api<T>('POST', path, body)
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body)
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body)
export const del = <T>(path: string) => api<T>('DELETE', path)

/** Builds a query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? `?${s}` : ''
}
