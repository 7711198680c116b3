// Loading, empty and error states: every screen shows one of them instead of a blank area.
import type { ComponentChildren } from 'preact'
import type { ApiFailure } from '../api'
import type { Resource } from '../use-api'

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> {label}
    </p>
  )
}

export function EmptyState({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty-title">{title}</p>
      {children && <div class="empty-next">{children}</div>}
    </div>
  )
}

export function ErrorNote({ error, title }: { error: ApiFailure | Error | string | undefined; title?: string }) {
  if (!error) return null
  const text = typeof error === 'string' ? error : error.message
  const unavailable = typeof error !== 'string' && 'notAvailable' in error && error.notAvailable
  return (
    <div class={unavailable ? 'note note-muted' : 'note note-error'} role="alert">
      {title && <strong>{title}: </strong>}
      {text}
    </div>
  )
}

export function Notice({ children, kind = 'ok' }: { children: ComponentChildren; kind?: 'ok' | 'warn' | 'info' }) {
  return (
    <div class={`note note-${kind}`} role="status">
      {children}
    </div>
  )
}

/** Renders a resource's loading and error states, or its data through `children`. */
export function Loaded<T>({
  resource,
  children,
  label
}: {
  resource: Resource<T>
  children: (data: T) => ComponentChildren
  label?: string
}) {
  if (resource.error) return <ErrorNote error={resource.error} />
  if (resource.data === undefined) return <Loading {...(label ? { label } : {})} />
  return <>{children(resource.data)}</>
}
