// Bulk host actions from the hosts list: the action bar over a selection (picked hosts, or every host
// matching the list's filters), the confirmation that names what will happen (the server's own
// sentence, its warnings and each skipped host with the reason), and the summary afterwards (per host:
// succeeded, skipped or failed with the reason). New credentials of a rotation are shown only in that
// summary, with a one-time CSV/JSON download built in the browser; nothing keeps them afterwards.
import { useEffect, useMemo, useState } from 'preact/hooks'
import type { Static } from 'typebox'
import { post } from '../api'
import { asFailure } from '../use-api'
import { ErrorNote, Loading, Notice } from '../components/feedback'
import { Badge } from '../components/controls'
import { Modal } from '../components/dialogs'
import type { HostGroup } from '../host-types'
import type {
  BulkAction,
  BulkBody,
  NewCredentials,
  PreviewReply as PreviewReplySchema,
  RunReply as RunReplySchema
} from '../../../bulk-actions/bulk-schemas.js'

type PreviewReply = Static<typeof PreviewReplySchema>
type RunReply = Static<typeof RunReplySchema>

const ACTIONS: Array<[BulkAction, string]> = [
  ['assign_groups', 'Add to groups'],
  ['remove_groups', 'Remove from groups'],
  ['report_now', 'Report now'],
  ['update_agent', 'Update agent'],
  ['rotate_credentials', 'Rotate credentials'],
  ['delete', 'Delete']
]
const CONFIRM_LABEL: Record<BulkAction, string> = {
  assign_groups: 'Add to groups',
  remove_groups: 'Remove from groups',
  report_now: 'Ask for reports',
  update_agent: 'Update agents',
  rotate_credentials: 'Rotate credentials',
  delete: 'Delete hosts'
}
const DANGEROUS = new Set<BulkAction>(['delete', 'rotate_credentials'])

/** What the hosts list hands over: explicit ids, or its current filters ("all N matching"). */
export type BulkSelection =
  { host_ids: string[] } | { filter: { search?: string; group?: string; status?: 'pending' | 'active' | 'inactive' } }

export function BulkActionBar({
  selection,
  count,
  groups,
  onClear,
  onDone
}: {
  selection: BulkSelection
  count: number
  groups: HostGroup[]
  onClear: () => void
  onDone: () => void
}) {
  const [action, setAction] = useState<BulkAction>('assign_groups')
  const [groupIds, setGroupIds] = useState<string[]>([])
  const [request, setRequest] = useState<BulkBody | null>(null)
  const grouped = action === 'assign_groups' || action === 'remove_groups'
  return (
    <div class="filters bulk-bar" role="region" aria-label="Bulk actions">
      <strong>
        {count} {count === 1 ? 'host' : 'hosts'} selected
      </strong>
      <label class="field field-inline">
        <span class="field-label">Action</span>
        <select aria-label="Action" value={action} onChange={(e) => setAction(e.currentTarget.value as BulkAction)}>
          {ACTIONS.map(([value, label]) => (
            <option value={value}>{label}</option>
          ))}
        </select>
      </label>
      {grouped && (
        <label class="field field-inline">
          <span class="field-label">Groups</span>
          <select
            aria-label="Groups"
            multiple
            size={Math.min(4, Math.max(2, groups.length))}
            onChange={(e) => setGroupIds([...e.currentTarget.selectedOptions].map((o) => o.value))}
          >
            {groups.map((g) => (
              <option value={g.id} selected={groupIds.includes(g.id)}>
                {g.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <button
        type="button"
        class="button button-primary"
        disabled={grouped && groupIds.length === 0}
        onClick={() => setRequest({ action, ...selection, ...(grouped ? { host_group_ids: groupIds } : {}) })}
      >
        Review…
      </button>
      <button type="button" class="button" onClick={onClear}>
        Clear selection
      </button>
      {request && (
        <BulkActionDialog
          request={request}
          onClose={(changed) => {
            setRequest(null)
            if (changed) onDone()
          }}
        />
      )}
    </div>
  )
}

function BulkActionDialog({ request, onClose }: { request: BulkBody; onClose: (changed: boolean) => void }) {
  const [previewed, setPreviewed] = useState<PreviewReply | null>(null)
  const [result, setResult] = useState<RunReply | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<Error | undefined>()
  useEffect(() => {
    post<PreviewReply>('/api/v1/hosts/bulk/preview', request).then(setPreviewed, (err: unknown) => setError(asFailure(err)))
  }, [request])
  // The action runs on exactly the hosts the preview resolved, even when the selection was a filter.
  const confirm = async (p: PreviewReply) => {
    setBusy(true)
    setError(undefined)
    try {
      const groups = request.host_group_ids ? { host_group_ids: request.host_group_ids } : {}
      setResult(await post<RunReply>('/api/v1/hosts/bulk', { action: request.action, host_ids: p.host_ids, ...groups }))
    } catch (err) {
      setError(asFailure(err))
    } finally {
      setBusy(false)
    }
  }
  const title = result ? 'Done' : 'Confirm bulk action'
  return (
    <Modal title={title} onClose={() => onClose(result !== null)} wide>
      <ErrorNote error={error} />
      {result ? (
        <BulkSummary result={result} onClose={() => onClose(true)} />
      ) : previewed ? (
        <>
          <p class="bulk-sentence">
            <strong>{previewed.summary}</strong>
          </p>
          {previewed.warnings.map((w) => (
            <Notice kind="warn">{w}</Notice>
          ))}
          <HostOutcomes rows={previewed.hosts.map((h) => ({ ...h, status: h.outcome === 'apply' ? 'will apply' : 'will skip' }))} />
          <div class="actions">
            <button type="button" class="button" onClick={() => onClose(false)} autofocus>
              Cancel
            </button>
            <button
              type="button"
              class={DANGEROUS.has(request.action) ? 'button button-danger' : 'button button-primary'}
              disabled={busy || previewed.will_apply === 0}
              onClick={() => void confirm(previewed)}
            >
              {CONFIRM_LABEL[request.action]} ({previewed.will_apply})
            </button>
          </div>
        </>
      ) : (
        !error && <Loading label="Working out what will happen…" />
      )}
    </Modal>
  )
}

interface OutcomeRow {
  host_id: string
  friendly_name: string | null
  status: string
  reason: string | null
  warning: string | null
}

function HostOutcomes({ rows }: { rows: OutcomeRow[] }) {
  return (
    <div class="table-wrap bulk-outcomes">
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Host</th>
            <th scope="col">Outcome</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>{r.friendly_name ?? <span class="muted">{r.host_id}</span>}</td>
              <td>
                <Badge kind={r.status === 'failed' ? 'bad' : r.status.includes('skip') ? 'muted' : 'ok'}>{r.status}</Badge>
              </td>
              <td class="small">{r.reason ?? r.warning ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** A file the browser saves from memory (the keys never travel again); its URL is revoked with the summary. */
function DownloadLink({ name, type, text, label }: { name: string; type: string; text: string; label: string }) {
  const href = useMemo(() => URL.createObjectURL(new Blob([text], { type })), [text, type])
  useEffect(() => () => URL.revokeObjectURL(href), [href])
  return (
    <a class="button" download={name} href={href}>
      {label}
    </a>
  )
}

const csvCell = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)

function credentialsCsv(keys: NewCredentials[]): string {
  const lines = [['host_id', 'friendly_name', 'api_id', 'api_key'], ...keys.map((k) => [k.host_id, k.friendly_name, k.api_id, k.api_key])]
  return lines.map((cells) => cells.map(csvCell).join(',')).join('\n') + '\n'
}

function BulkSummary({ result, onClose }: { result: RunReply; onClose: () => void }) {
  return (
    <>
      <p class="bulk-sentence">{result.summary}</p>
      <p role="status" class="bulk-counts">
        {result.succeeded} succeeded · {result.skipped} skipped · {result.failed} failed
      </p>
      {result.credentials.length > 0 && (
        <Notice kind="warn">
          New credentials for {result.credentials.length} {result.credentials.length === 1 ? 'host' : 'hosts'} are shown only now: download
          them before you close this. Install each on its host with{' '}
          <code>patchmon-agent config set-api &lt;api_id&gt; &lt;api_key&gt;</code>.{' '}
          <DownloadLink
            name="patchmon-new-credentials.csv"
            type="text/csv"
            text={credentialsCsv(result.credentials)}
            label="Download CSV"
          />{' '}
          <DownloadLink
            name="patchmon-new-credentials.json"
            type="application/json"
            text={JSON.stringify(result.credentials, null, 2)}
            label="Download JSON"
          />
        </Notice>
      )}
      <HostOutcomes rows={result.results} />
      <div class="actions">
        <button type="button" class="button button-primary" onClick={onClose}>
          Close
        </button>
      </div>
    </>
  )
}
