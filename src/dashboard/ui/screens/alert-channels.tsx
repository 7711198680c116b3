// Settings → Alert Channels: destinations (with a test send), routing rules and scheduled reports.
import { useState } from 'preact/hooks'
import { del, post, put } from '../api'
import { asFailure, useApi } from '../use-api'
import { EmptyState, ErrorNote, Loaded, Notice } from '../components/feedback'
import { Badge, Field, PageHeader } from '../components/controls'
import { Modal, useConfirm } from '../components/dialogs'
import { isDiscordUrl, isSlackUrl, type Destination } from '../notification-types'
import { RoutingRules } from './routing-rules'
import { ScheduledReports } from './scheduled-reports'

export function AlertChannels() {
  const destinations = useApi<Destination[]>('/api/v1/notifications/destinations')
  const [editing, setEditing] = useState<Destination | 'new' | null>(null)
  const [message, setMessage] = useState<string | undefined>()
  const [error, setError] = useState<Error | undefined>()
  const [confirmDialog, ask] = useConfirm()
  const list = destinations.data ?? []

  const test = async (d: Destination) => {
    setMessage(undefined)
    setError(undefined)
    try {
      const reply = await post<{ message?: string }>('/api/v1/notifications/test', { destination_id: d.id })
      setMessage(reply?.message ?? `Test notification sent to ${d.display_name}.`)
    } catch (err) {
      setError(asFailure(err))
    }
  }
  const remove = async (d: Destination) => {
    if (!(await ask('Delete destination?', `Delete "${d.display_name}" and its routing rules? For Discord, also delete the webhook in Discord: the URL stays usable until you do.`))) return
    try {
      await del(`/api/v1/notifications/destinations/${d.id}`)
      destinations.reload()
    } catch (err) {
      setError(asFailure(err))
    }
  }

  return (
    <>
      <PageHeader title="Alert Channels" />
      <section class="panel">
        <div class="panel-head">
          <h2>Destinations</h2>
          <button type="button" class="button button-primary" disabled={destinations.error?.notAvailable} onClick={() => setEditing('new')}>Add Destination</button>
        </div>
        {message && <Notice>{message}</Notice>}
        <ErrorNote error={error} />
        <Loaded resource={destinations} label="Loading destinations…">
          {() =>
            list.length === 0 ? (
              <EmptyState title="No destinations yet">Click <strong>Add Destination</strong> and paste a Discord, Slack or any webhook URL. Then add a routing rule below: a destination alone receives nothing.</EmptyState>
            ) : (
              <ul class="rows">
                {list.map((d) => (
                  <li class="row">
                    <div>
                      <strong>{d.display_name}</strong> <Badge kind="info">{d.format ?? d.channel_type}</Badge> {d.enabled ? null : <Badge kind="muted">disabled</Badge>}
                      {typeof d.config?.url === 'string' && <div class="muted small mono break">{d.config.url}</div>}
                    </div>
                    <div class="row-actions">
                      <button type="button" class="button button-small" onClick={() => void test(d)}>Send test</button>
                      <button type="button" class="button button-small" onClick={() => setEditing(d)}>Edit</button>
                      <button type="button" class="button button-small button-danger" onClick={() => void remove(d)}>Delete</button>
                    </div>
                  </li>
                ))}
              </ul>
            )
          }
        </Loaded>
      </section>
      <RoutingRules destinations={list} />
      <ScheduledReports destinations={list} />
      {editing && <DestinationForm destination={editing === 'new' ? null : editing} onClose={(saved) => { setEditing(null); if (saved) destinations.reload() }} />}
      {confirmDialog}
    </>
  )
}

function DestinationForm({ destination, onClose }: { destination: Destination | null; onClose: (saved: boolean) => void }) {
  const [name, setName] = useState(destination?.display_name ?? '')
  const [url, setUrl] = useState('')
  const [enabled, setEnabled] = useState(destination?.enabled ?? true)
  const [error, setError] = useState<Error | string | undefined>()
  const save = async (e: Event) => {
    e.preventDefault()
    if (!destination && !url.trim()) return setError('Webhook URL is required')
    const body: Record<string, unknown> = { channel_type: 'webhook', display_name: name.trim(), enabled }
    // The server returns the stored URL masked (its path is the secret); leaving the field empty keeps it.
    if (url.trim()) body.config = { url: url.trim() }
    try {
      if (destination) await put(`/api/v1/notifications/destinations/${destination.id}`, body)
      else await post('/api/v1/notifications/destinations', body)
      onClose(true)
    } catch (err) {
      setError(asFailure(err))
    }
  }
  const kind = isDiscordUrl(url) ? 'Discord webhook detected: alerts are sent as embeds.' : isSlackUrl(url) ? 'Slack webhook detected.' : url ? 'Other URL: alerts are POSTed as JSON {title, message, severity}.' : 'Discord and Slack URLs are auto-detected for rich formatting.'
  return (
    <Modal title={destination ? `Edit ${destination.display_name}` : 'Add Destination'} onClose={() => onClose(false)}>
      <form onSubmit={save} noValidate>
        <ErrorNote error={error} />
        <Field label="Channel type"><select disabled><option>Webhook</option></select></Field>
        <Field label="Display Name"><input name="display_name" value={name} onInput={(e) => setName(e.currentTarget.value)} required maxLength={255} autoFocus placeholder="Ops Discord" /></Field>
        <Field label="Webhook URL" hint={destination ? `Leave empty to keep the saved URL. ${kind}` : kind}>
          <input name="webhook_url" type="url" value={url} onInput={(e) => setUrl(e.currentTarget.value)} autoComplete="off" placeholder="https://discord.com/api/webhooks/…" />
        </Field>
        <label class="check"><input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} /> Enabled</label>
        <div class="actions">
          <button type="button" class="button" onClick={() => onClose(false)}>Cancel</button>
          <button type="submit" class="button button-primary">Save</button>
        </div>
      </form>
    </Modal>
  )
}
