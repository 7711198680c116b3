// Vulnerabilities → "Feed download": the scheduled download's settings (on/off, URLs, interval) and
// "Download now", for users who may change settings. Field errors of the 400 show next to their field.
import { useEffect, useState } from 'preact/hooks'
import { ApiFailure, errorText, get } from '../api'
import { ErrorNote } from '../components/feedback'

interface DownloadSettings {
  cve_download_enabled: boolean
  cve_download_urls: string[]
  cve_download_interval_hours: number
}

interface DownloadOutcome {
  source: string
  outcome: 'imported' | 'unchanged' | 'failed'
  id: string | null
  error: string | null
}

type Field = keyof DownloadSettings

/** Sends JSON and keeps the 400's per-field messages (the shared client joins them into one sentence). */
async function send<T>(
  method: string,
  path: string,
  body: unknown
): Promise<{ data?: T; fields?: Partial<Record<Field, string>>; error?: Error }> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })
  const parsed = (await res.json().catch(() => undefined)) as unknown
  if (res.ok) return { data: parsed as T }
  const issues = (parsed as { errors?: Array<{ msg?: string; param?: string }> } | undefined)?.errors ?? []
  const fields: Partial<Record<Field, string>> = {}
  for (const issue of issues) {
    const field = (['cve_download_enabled', 'cve_download_urls', 'cve_download_interval_hours'] as Field[]).find((f) =>
      (issue.param ?? '').includes(f)
    )
    if (field) fields[field] = issue.msg ?? 'Invalid value'
  }
  if (Object.keys(fields).length > 0) return { fields }
  return { error: new ApiFailure(res.status, errorText(res.status, parsed).text) }
}

export function FeedDownload({ onDone }: { onDone: () => void }) {
  const [form, setForm] = useState<{ enabled: boolean; urls: string; hours: string } | undefined>()
  const [fields, setFields] = useState<Partial<Record<Field, string>>>({})
  const [error, setError] = useState<Error | undefined>()
  const [saved, setSaved] = useState(false)
  const [running, setRunning] = useState(false)
  const [outcomes, setOutcomes] = useState<DownloadOutcome[] | undefined>()
  useEffect(() => {
    get<DownloadSettings>('/api/v1/settings').then(
      (s) =>
        setForm({ enabled: s.cve_download_enabled, urls: s.cve_download_urls.join('\n'), hours: String(s.cve_download_interval_hours) }),
      (err: unknown) => setError(err instanceof Error ? err : new Error(String(err)))
    )
  }, [])
  if (!form) return <ErrorNote error={error} />
  const save = async () => {
    setError(undefined)
    setFields({})
    setSaved(false)
    const reply = await send<DownloadSettings>('PUT', '/api/v1/settings', {
      cve_download_enabled: form.enabled,
      cve_download_urls: form.urls
        .split('\n')
        .map((u) => u.trim())
        .filter(Boolean),
      // Not a number is sent as-is so the server names the field rather than the form guessing.
      cve_download_interval_hours: Number.isInteger(Number(form.hours)) && form.hours.trim() !== '' ? Number(form.hours) : form.hours
    })
    if (reply.fields) setFields(reply.fields)
    else if (reply.error) setError(reply.error)
    else setSaved(true)
  }
  const downloadNow = async () => {
    setError(undefined)
    setSaved(false)
    setOutcomes(undefined)
    setRunning(true)
    const reply = await send<{ downloads: DownloadOutcome[] }>('POST', '/api/v1/vulnerabilities/downloads', {})
    setRunning(false)
    if (reply.data) {
      setOutcomes(reply.data.downloads)
      onDone()
    } else setError(reply.error ?? new Error('The download failed'))
  }
  const fieldNote = (f: Field) =>
    fields[f] ? (
      <span class="field-error" role="alert" id={`${f}-error`}>
        {fields[f]}
      </span>
    ) : null
  return (
    <section class="panel" aria-label="Feed download">
      <h2>Feed download</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void save()
        }}
      >
        <label class="check">
          <input
            type="checkbox"
            role="switch"
            checked={form.enabled}
            onChange={(e) => setForm({ ...form, enabled: e.currentTarget.checked })}
          />
          <span>Download on a schedule</span>
        </label>
        {fieldNote('cve_download_enabled')}
        <label class="field">
          <span class="field-label">Feed URLs (one per line)</span>
          <textarea
            rows={3}
            value={form.urls}
            aria-invalid={fields.cve_download_urls ? 'true' : undefined}
            aria-describedby={fields.cve_download_urls ? 'cve_download_urls-error' : undefined}
            onInput={(e) => setForm({ ...form, urls: e.currentTarget.value })}
          />
        </label>
        {fieldNote('cve_download_urls')}
        <label class="field field-inline">
          <span class="field-label">Every (hours)</span>
          <input
            type="number"
            min={1}
            max={168}
            value={form.hours}
            aria-invalid={fields.cve_download_interval_hours ? 'true' : undefined}
            onInput={(e) => setForm({ ...form, hours: e.currentTarget.value })}
          />
        </label>
        {fieldNote('cve_download_interval_hours')}
        <div class="actions">
          <button type="submit" class="button">
            Save
          </button>
          <button type="button" class="button" disabled={running} onClick={() => void downloadNow()}>
            {running ? 'Downloading…' : 'Download now'}
          </button>
        </div>
      </form>
      {saved && <p role="status">Saved.</p>}
      <ErrorNote error={error} />
      {outcomes && (
        <ul aria-label="Download outcome">
          {outcomes.length === 0 && <li>No feed URL is configured.</li>}
          {outcomes.map((o) => (
            <li key={o.source}>
              {o.source}: {o.outcome}
              {o.error ? ` (${o.error})` : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
