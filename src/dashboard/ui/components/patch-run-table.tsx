// A table of patch runs (active, scheduled, approvals, history, a host's runs): each row links to
// its run page; `action` adds a last column (Approve on the approvals list).
import type { ComponentChildren } from 'preact'
import { Badge, formatDate, timeAgo } from './controls'
import { Link } from '../router'
import { hostName, runWhat, statusKind, statusLabel } from '../patch-run-text'
import type { PatchRun } from '../patching-types'

export function RunStatus({ status }: { status: string }) {
  return <Badge kind={statusKind(status)}>{statusLabel(status)}</Badge>
}

export function PatchRunTable({
  runs,
  label,
  when = 'created',
  action
}: {
  runs: PatchRun[]
  label: string
  /** Which time the second column shows: when the run was asked for, or when it is due. */
  when?: 'created' | 'scheduled'
  action?: (run: PatchRun) => ComponentChildren
}) {
  return (
    <div class="table-wrap">
      <table class="table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Host</th>
            <th scope="col">{when === 'scheduled' ? 'Runs at' : 'Asked for'}</th>
            <th scope="col">Packages</th>
            <th scope="col">Status</th>
            <th scope="col">By</th>
            <th scope="col">Finished</th>
            {action && <th scope="col">Action</th>}
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr>
              <td class="cell-name">
                <Link href={`/patching/runs/${run.id}`} class="truncate" title={`Run on ${hostName(run)}`}>
                  {hostName(run)}
                </Link>
              </td>
              <td title={formatDate(when === 'scheduled' ? run.run_at : run.created_at)}>
                {when === 'scheduled' ? formatDate(run.run_at) : timeAgo(run.created_at)}
              </td>
              <td>
                {runWhat(run)}
                {run.dry_run ? (
                  <>
                    {' '}
                    <Badge kind="info">dry run</Badge>
                  </>
                ) : null}
              </td>
              <td>
                <RunStatus status={run.status} />
              </td>
              <td>{run.triggered_by_username || '—'}</td>
              <td>{run.completed_at ? timeAgo(run.completed_at) : '—'}</td>
              {action && <td class="row-actions">{action(run)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
