// Bulk patching: the dialog that patches a selection of hosts (from the hosts list) or a host
// group, a few at a time; the batch page with its progress and summary (refreshed every few
// seconds until it is finished); and the list of recent batches.
import { useEffect, useState } from 'preact/hooks'
import { post } from '../api'
import { asFailure, useApi } from '../use-api'
import { EmptyState, ErrorNote, Loaded } from '../components/feedback'
import { Badge, Field, PageHeader, formatDate, timeAgo } from '../components/controls'
import { Modal } from '../components/dialogs'
import { RunStatus } from '../components/patch-run-table'
import { Link, navigate } from '../router'
import type { HostGroup } from '../host-types'
import type { BulkBatch, BulkBatchList, BulkBody } from '../patching-types'

const REFRESH_MS = 2000

export function BulkPatchDialog({ hostIds, groups, onClose }: { hostIds: string[]; groups: HostGroup[]; onClose: () => void }) {
  const [groupId, setGroupId] = useState('')
  const [scope, setScope] = useState<'all' | 'packages'>('all')
  const [names, setNames] = useState('')
  const [dryRun, setDryRun] = useState(false)
  const [reboot, setReboot] = useState<NonNullable<BulkBody['reboot']>>('never')
  const [concurrency, setConcurrency] = useState('5')
  const [error, setError] = useState<Error | undefined>()
  const submit = async (e: Event) => {
    e.preventDefault()
    setError(undefined)
    const body: BulkBody = {
      ...(hostIds.length > 0 ? { host_ids: hostIds } : { host_group_id: groupId }),
      patch_type: scope === 'all' ? 'patch_all' : 'patch_package',
      ...(scope === 'packages' ? { package_names: names.split(/[\s,]+/).filter(Boolean) } : {}),
      ...(dryRun ? { dry_run: true } : {}),
      reboot,
      concurrency: Number(concurrency)
    }
    try {
      const batch = await post<BulkBatch>('/api/v1/patching/bulk', body)
      navigate(`/patching/bulk/${batch.id}`)
    } catch (err) {
      setError(asFailure(err))
    }
  }
  return (
    <Modal title={hostIds.length > 0 ? `Patch ${hostIds.length} hosts` : 'Patch a host group'} onClose={onClose} wide>
      <form onSubmit={(e) => void submit(e)}>
        <ErrorNote error={error} />
        {hostIds.length === 0 && (
          <Field label="Host group">
            <select value={groupId} onChange={(e) => setGroupId(e.currentTarget.value)} required>
              <option value="">Choose…</option>
              {groups.map((g) => (
                <option value={g.id}>
                  {g.name} ({g.host_count} hosts)
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field label="What to update">
          <select value={scope} onChange={(e) => setScope(e.currentTarget.value as 'all' | 'packages')}>
            <option value="all">All available updates</option>
            <option value="packages">These packages</option>
          </select>
        </Field>
        {scope === 'packages' && (
          <Field label="Package names" hint="Separated by spaces, commas or lines; up to 100.">
            <textarea rows={3} value={names} onInput={(e) => setNames(e.currentTarget.value)} required />
          </Field>
        )}
        <label class="check">
          <input type="checkbox" checked={dryRun} disabled={scope === 'all'} onChange={(e) => setDryRun(e.currentTarget.checked)} />
          Dry run (package lists only): list what would change, approve each afterwards
        </label>
        <div class="grid-2">
          <Field label="Reboot">
            <select value={reboot} onChange={(e) => setReboot(e.currentTarget.value as NonNullable<BulkBody['reboot']>)}>
              <option value="never">Never</option>
              <option value="if_required">If the host reports a reboot is required</option>
              <option value="after">Always, after patching</option>
            </select>
          </Field>
          <Field label="Hosts at a time" hint="1 to 20; the rest wait their turn.">
            <input type="number" min={1} max={20} value={concurrency} onInput={(e) => setConcurrency(e.currentTarget.value)} required />
          </Field>
        </div>
        <div class="actions">
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button button-primary" disabled={hostIds.length === 0 && !groupId}>
            Start bulk patch
          </button>
        </div>
      </form>
    </Modal>
  )
}

function BatchSummary({ batch }: { batch: BulkBatch }) {
  const s = batch.summary
  return (
    <span>
      {s.completed} of {s.total} completed · {s.failed} failed · {s.skipped} skipped · {s.dispatched} running · {s.pending} waiting
    </span>
  )
}

export function BulkBatchPage({ params }: { params: Record<string, string> }) {
  const id = params.id ?? ''
  const batch = useApi<BulkBatch>(`/api/v1/patching/bulk/${encodeURIComponent(id)}`)
  const finished = batch.data?.status === 'finished'
  useEffect(() => {
    if (finished) return
    const timer = setInterval(batch.reload, REFRESH_MS)
    return () => clearInterval(timer)
  }, [finished, batch.reload])
  return (
    <Loaded resource={batch} label="Loading batch…">
      {(b) => (
        <>
          <PageHeader title="Bulk patch" />
          <p class="subtitle">
            <Badge kind={finished ? 'ok' : 'info'}>{b.status}</Badge> {b.dry_run ? <Badge kind="info">dry run</Badge> : null}
            {b.patch_type === 'patch_all' ? 'All packages' : b.package_names.join(', ')} · {b.concurrency} at a time · started{' '}
            {formatDate(b.created_at)} · <Link href="/patching?tab=bulk">All batches</Link>
          </p>
          <p role="status">
            <BatchSummary batch={b} />
          </p>
          <div class="table-wrap">
            <table class="table" aria-label="Hosts in this batch">
              <thead>
                <tr>
                  <th scope="col">Host</th>
                  <th scope="col">Status</th>
                  <th scope="col">Why</th>
                  <th scope="col">Run</th>
                </tr>
              </thead>
              <tbody>
                {b.items.map((item) => (
                  <tr>
                    <td>
                      <Link href={`/hosts/${item.host_id}`}>{item.host_name ?? item.host_id}</Link>
                    </td>
                    <td>
                      <RunStatus status={item.status} />
                    </td>
                    <td>{item.reason ?? '—'}</td>
                    <td>{item.patch_run_id ? <Link href={`/patching/runs/${item.patch_run_id}`}>Open run</Link> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Loaded>
  )
}

export function BulkBatches() {
  const batches = useApi<BulkBatchList>('/api/v1/patching/bulk')
  return (
    <Loaded resource={batches} label="Loading batches…">
      {(data) =>
        data.batches.length === 0 ? (
          <EmptyState title="No bulk patches yet">
            Pick hosts on the Hosts page and choose Patch selected hosts, or patch a whole group.
          </EmptyState>
        ) : (
          <ul class="rows" aria-label="Bulk patches">
            {data.batches.map((b) => (
              <li class="row">
                <Link href={`/patching/bulk/${b.id}`}>
                  {b.patch_type === 'patch_all' ? 'All packages' : b.package_names.join(', ')} on {b.summary.total} hosts
                </Link>
                <span class="muted small">
                  <BatchSummary batch={b} /> · {timeAgo(b.created_at)}
                </span>
              </li>
            ))}
          </ul>
        )
      }
    </Loaded>
  )
}
