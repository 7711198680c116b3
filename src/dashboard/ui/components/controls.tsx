// Small building blocks shared by the screens: labelled fields, tabs, badges, pagination.
import { cloneElement, isValidElement, type ComponentChildren, type VNode } from 'preact'
import { useId } from 'preact/hooks'

/**
 * A label, its control and an optional hint. The hint is not inside the <label>, so a control's
 * name is the label alone ("Allowed IP addresses", not the label plus its example); the hint is
 * tied to the control as its description (aria-describedby) instead.
 */
export function Field({
  label,
  hint,
  required,
  children
}: {
  label: string
  hint?: ComponentChildren
  required?: boolean
  children: ComponentChildren
}) {
  const id = useId()
  const heading = (
    <>
      {label}
      {required && (
        <span class="field-required" aria-hidden="true">
          {' '}
          *
        </span>
      )}
    </>
  )
  if (!isValidElement(children)) {
    // Several controls (or text): keep the wrapping label, which names the first of them.
    return (
      <div class="field">
        <label class="field-stack">
          <span class="field-label">{heading}</span>
          {children}
        </label>
        {hint && <span class="field-hint">{hint}</span>}
      </div>
    )
  }
  const control = children as VNode<{ id?: string; 'aria-describedby'?: string }>
  const controlId = control.props.id ?? `field-${id}`
  const hintId = `${controlId}-hint`
  return (
    <div class="field">
      <label class="field-label" for={controlId}>
        {heading}
      </label>
      {cloneElement(control, { id: controlId, ...(hint ? { 'aria-describedby': hintId } : {}) })}
      {hint && (
        <span class="field-hint" id={hintId}>
          {hint}
        </span>
      )}
    </div>
  )
}

export function Tabs<K extends string>({
  tabs,
  current,
  onChange,
  label
}: {
  tabs: Array<[K, string]>
  current: K
  onChange: (k: K) => void
  label: string
}) {
  return (
    <div class="tabs" role="tablist" aria-label={label}>
      {tabs.map(([key, text]) => (
        <button
          type="button"
          role="tab"
          aria-selected={key === current}
          class={key === current ? 'tab tab-current' : 'tab'}
          onClick={() => onChange(key)}
        >
          {text}
        </button>
      ))}
    </div>
  )
}

const STATUS_KIND: Record<string, string> = {
  active: 'ok',
  success: 'ok',
  sent: 'ok',
  pending: 'info',
  sending: 'info',
  error: 'bad',
  failed: 'bad',
  inactive: 'warn'
}

export function Badge({ children, kind }: { children: ComponentChildren; kind?: string }) {
  const k = kind ?? STATUS_KIND[String(children).toLowerCase()] ?? 'muted'
  return <span class={`badge badge-${k}`}>{children}</span>
}

export function Pagination({
  total,
  offset,
  limit,
  onChange
}: {
  total: number
  offset: number
  limit: number
  onChange: (offset: number) => void
}) {
  if (total <= limit) return null
  const page = Math.floor(offset / limit) + 1
  const pages = Math.max(1, Math.ceil(total / limit))
  return (
    <nav class="pagination" aria-label="Pages">
      <button type="button" class="button button-small" disabled={page <= 1} onClick={() => onChange(0)}>
        First
      </button>
      <button type="button" class="button button-small" disabled={page <= 1} onClick={() => onChange(offset - limit)}>
        Previous
      </button>
      <span>
        Page {page} of {pages} · {total.toLocaleString()} in all
      </span>
      <button type="button" class="button button-small" disabled={page >= pages} onClick={() => onChange(offset + limit)}>
        Next
      </button>
      <button type="button" class="button button-small" disabled={page >= pages} onClick={() => onChange((pages - 1) * limit)}>
        Last
      </button>
    </nav>
  )
}

export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="page-header">
      <h1>{title}</h1>
      {children && <div class="page-actions">{children}</div>}
    </div>
  )
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—'
  const d = new Date(value)
  return Number.isNaN(d.getTime()) ? value : d.toLocaleString()
}

export function timeAgo(value: string | null | undefined): string {
  if (!value) return 'never'
  const seconds = Math.round((Date.now() - new Date(value).getTime()) / 1000)
  if (Number.isNaN(seconds)) return value
  if (seconds < 60) return 'just now'
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`
  return `${Math.round(seconds / 86400)} d ago`
}
