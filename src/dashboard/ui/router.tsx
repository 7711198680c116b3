// A small history router: real <a href> links (middle-click and keyboard work), pushState for
// same-page navigation, and patterns like /hosts/:id.
import type { AnchorHTMLAttributes, ComponentChildren, TargetedMouseEvent } from 'preact'
import { useEffect, useState } from 'preact/hooks'

const listeners = new Set<() => void>()
const notify = () => listeners.forEach((l) => l())
window.addEventListener('popstate', notify)

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to)
  else history.pushState(null, '', to)
  window.scrollTo(0, 0)
  notify()
}

export interface Location {
  path: string
  query: URLSearchParams
}

export function useLocation(): Location {
  const [, setTick] = useState(0)
  useEffect(() => {
    const l = () => setTick((n) => n + 1)
    listeners.add(l)
    return () => {
      listeners.delete(l)
    }
  }, [])
  return { path: location.pathname.replace(/\/+$/, '') || '/', query: new URLSearchParams(location.search) }
}

/** Returns the named parameters when `path` matches `pattern` (e.g. /hosts/:id), else null. */
export function matchRoute(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/')
  const got = path.split('/')
  if (want.length !== got.length) return null
  const params: Record<string, string> = {}
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? ''
    const g = got[i] ?? ''
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(g)
    else if (w !== g) return null
  }
  return params
}

type AnchorProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; children?: ComponentChildren }

export function Link({ href, onClick, ...rest }: AnchorProps) {
  const click = (e: TargetedMouseEvent<HTMLAnchorElement>) => {
    if (typeof onClick === 'function') onClick(e)
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
    e.preventDefault()
    navigate(href)
  }
  return <a href={href} onClick={click} {...rest} />
}

/**
 * Changes query parameters of the current page (filters, sort, page) without adding history
 * entries; an empty value removes the parameter, and any change but paging returns to page one.
 */
export function updateQuery(changes: Record<string, string | number>): void {
  const next = new URLSearchParams(location.search)
  for (const [key, value] of Object.entries(changes)) {
    if (value === '') next.delete(key)
    else next.set(key, String(value))
  }
  if (!('offset' in changes)) next.delete('offset')
  const q = next.toString()
  navigate(`${location.pathname}${q ? `?${q}` : ''}`, true)
}
