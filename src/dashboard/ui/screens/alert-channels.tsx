// Settings → Alert Channels: destinations (with a test send), routing rules and scheduled reports.
// The add/edit form for one destination lives in destination-form.tsx.
import { useState } from 'preact/hooks'
import { del, post } from '../api'
import { asFailure, useApi } from '../use-api'
import { EmptyState, ErrorNote, Loaded, Notice } from '../components/feedback'
import { Badge, PageHeader } from '../components/controls'
import { useConfirm } from '../components/dialogs'
import type { Destination } from '../notification-types'
import { destinationSummary } from '../destination-channels'
import { DestinationForm } from './destination-form'
import { RoutingRules } from './routing-rules'
import { ScheduledReports } from './scheduled-reports'

export function AlertChannels() {
  const destinations = useApi<Destination[]>('/api/v1/notifications/destinations')
  const [editing, setEditing] = useState<Destination | 'new' | null>(null)
  const [message, setMessage] = useState<{ text: string; delivered: boolean } | undefined>()
  const [error, setError] = useState<Error | undefined>()
  const [confirmDialog, ask] = useConfirm()
  const list = destinations.data ?? []

  const test = async (d: Destination) => {
    setMessage(undefined)
    setError(undefined)
    try {
      const reply = await post<{ message?: string; delivery?: { status?: string } }>('/api/v1/notifications/test', { destination_id: d.id })
      // Not delivered (refused, unreachable, retrying) reads as a warning: the line says what to fix.
      setMessage({
        text: reply?.message ?? `Test notification sent to ${d.display_name}.`,
        delivered: !reply?.delivery?.status || reply.delivery.status === 'sent'
      })
    } catch (err) {
      setError(asFailure(err))
    }
  }
  const remove = async (d: Destination) => {
    if (
      !(await ask(
        'Delete destination?',
        `Delete "${d.display_name}" and its routing rules? For Discord, also delete the webhook in Discord: the URL stays usable until you do.`
      ))
    )
      return
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
          <button type="button" class="button button-primary" disabled={destinations.error?.notAvailable} onClick={() => setEditing('new')}>
            Add Destination
          </button>
        </div>
        {message && <Notice kind={message.delivered ? 'ok' : 'warn'}>{message.text}</Notice>}
        <ErrorNote error={error} />
        <Loaded resource={destinations} label="Loading destinations…">
          {() =>
            list.length === 0 ? (
              <EmptyState title="No destinations yet">
                Click <strong>Add Destination</strong> and paste a Discord, Slack or any webhook URL, or set up Telegram, Pushover, Matrix,
                Apprise, ntfy, Gotify or e-mail. Then add a routing rule below: a destination alone receives nothing.
              </EmptyState>
            ) : (
              <ul class="rows">
                {list.map((d) => (
                  <li class="row">
                    <div>
                      <strong>{d.display_name}</strong> <Badge kind="info">{d.format ?? d.channel_type}</Badge>{' '}
                      {d.enabled ? null : <Badge kind="muted">disabled</Badge>}
                      <div class="muted small mono break">{destinationSummary(d)}</div>
                    </div>
                    <div class="row-actions">
                      <button type="button" class="button button-small" onClick={() => void test(d)}>
                        Send test
                      </button>
                      <button type="button" class="button button-small" onClick={() => setEditing(d)}>
                        Edit
                      </button>
                      <button type="button" class="button button-small button-danger" onClick={() => void remove(d)}>
                        Delete
                      </button>
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
      {editing && (
        <DestinationForm
          destination={editing === 'new' ? null : editing}
          onClose={(saved) => {
            setEditing(null)
            if (saved) destinations.reload()
          }}
        />
      )}
      {confirmDialog}
    </>
  )
}
