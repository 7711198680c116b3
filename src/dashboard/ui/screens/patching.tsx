// Patching: what runs now, what is due later, what waits for approval, the history with status
// and host filters (the run lists refresh every few seconds while the page is open), and the
// recurring schedules, maintenance windows and holds, the policies (start delays), and the audit trail.
import { useEffect, useState } from 'preact/hooks'
import { post } from '../api'
import { asFailure, useApi } from '../use-api'
import { EmptyState, ErrorNote, Loaded } from '../components/feedback'
import { PageHeader, Tabs } from '../components/controls'
import { PatchRunTable } from '../components/patch-run-table'
import { navigate, updateQuery, useLocation } from '../router'
import { useSession } from '../session'
import { APPROVABLE } from '../patch-run-text'
import type { ApproveReply, PatchRun, PatchingDashboard, Schedule } from '../patching-types'
import { formatDate } from '../components/controls'
import { useTargets } from '../components/target-picker'
import { PatchHistory } from './patching-history'
import { PatchSchedules } from './patch-schedules'
import { PatchWindows } from './patch-windows'
import { PatchHolds } from './patch-holds'
import { PatchAudit } from './patch-audit'
import { PatchPolicies } from './patch-policies'
import { BulkBatches, BulkPatchDialog } from './bulk-patch'
import type { HostGroup } from '../host-types'

type Tab = 'active' | 'scheduled' | 'approvals' | 'history' | 'bulk' | 'schedules' | 'holds' | 'policies' | 'audit'
type RunTab = Exclude<Tab, 'history' | 'bulk' | 'schedules' | 'holds' | 'policies' | 'audit'>
const TABS: Array<[Tab, string]> = [
  ['active', 'Active'],
  ['scheduled', 'Scheduled'],
  ['approvals', 'Approvals'],
  ['history', 'History'],
  ['bulk', 'Bulk'],
  ['schedules', 'Schedules and windows'],
  ['holds', 'Holds'],
  ['policies', 'Policies'],
  ['audit', 'Audit']
]
const REFRESH_MS = 5000

export function Patching() {
  const { query: q } = useLocation()
  const tab = (TABS.find(([k]) => k === q.get('tab'))?.[0] ?? 'active') as Tab
  const dashboard = useApi<PatchingDashboard>('/api/v1/patching/dashboard')
  const active = useApi<{ runs: PatchRun[] }>('/api/v1/patching/runs/active')
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState !== 'visible') return
      dashboard.reload()
      active.reload()
    }, REFRESH_MS)
    return () => clearInterval(timer)
  }, [dashboard.reload, active.reload])
  const counts = dashboard.data?.summary
  const canManage = useSession().can('can_manage_patching')
  const [bulk, setBulk] = useState(false)
  const groups = useApi<HostGroup[]>(bulk ? '/api/v1/host-groups' : null)
  return (
    <>
      <PageHeader title="Patching">
        {canManage && (
          <button type="button" class="button" onClick={() => setBulk(true)}>
            Patch a group…
          </button>
        )}
      </PageHeader>
      {bulk && groups.data && <BulkPatchDialog hostIds={[]} groups={groups.data} onClose={() => setBulk(false)} />}
      {counts && (
        <section class="cards cards-small" aria-label="Patch runs">
          <Stat label="Running" value={count(counts, 'running')} />
          <Stat label="Queued" value={count(counts, 'queued')} />
          <Stat label="Awaiting approval" value={count(counts, 'pending_approval', 'validated', 'pending_validation')} />
          <Stat label="Completed" value={count(counts, 'completed')} />
          <Stat label="Failed" value={count(counts, 'failed', 'timed_out', 'agent_disconnected')} bad />
        </section>
      )}
      <Tabs<Tab>
        label="Patch runs"
        current={tab}
        onChange={(k) => updateQuery({ tab: k === 'active' ? '' : k })}
        tabs={TABS.map(([k, label]) => {
          // Work waiting for someone shows on its tab, so it is seen from any tab.
          const waiting = !counts ? 0 : k === 'approvals' ? count(counts, 'pending_approval', 'validated', 'pending_validation') : 0
          return [k, waiting > 0 ? `${label} (${waiting})` : label]
        })}
      />
      <div role="tabpanel" class="panel">
        {tab === 'history' ? (
          <PatchHistory />
        ) : tab === 'bulk' ? (
          <BulkBatches />
        ) : tab === 'schedules' ? (
          <>
            <PatchSchedules />
            <PatchWindows />
          </>
        ) : tab === 'holds' ? (
          <PatchHolds />
        ) : tab === 'policies' ? (
          <PatchPolicies />
        ) : tab === 'audit' ? (
          <PatchAudit />
        ) : (
          <Loaded resource={active} label="Loading runs…">
            {(data) => <ActiveLists tab={tab} runs={data.runs} onChanged={active.reload} />}
          </Loaded>
        )}
      </div>
    </>
  )
}

function count(summary: PatchingDashboard['summary'], ...statuses: string[]): number {
  return statuses.reduce((sum, status) => sum + (summary[status] ?? 0), 0)
}

function Stat({ label, value, bad }: { label: string; value: number; bad?: boolean }) {
  return (
    <div class="card stat">
      <span class={bad && value > 0 ? 'stat-value stat-bad' : 'stat-value'}>{value}</span>
      <span class="stat-label">{label}</span>
    </div>
  )
}

/** A queued run whose due time is still ahead (a policy, a schedule or a window delayed it) is "scheduled". */
function isScheduled(run: PatchRun, now: number): boolean {
  return run.status === 'queued' && !!run.run_at && new Date(run.run_at).getTime() > now
}

function ActiveLists({ tab, runs, onChanged }: { tab: RunTab; runs: PatchRun[]; onChanged: () => void }) {
  const session = useSession()
  const [error, setError] = useState<Error | undefined>()
  const now = Date.now()
  const approve = async (run: PatchRun) => {
    setError(undefined)
    try {
      const reply = await post<ApproveReply>(`/api/v1/patching/runs/${run.id}/approve`)
      navigate(`/patching/runs/${reply.patch_run_id}`)
    } catch (err) {
      setError(asFailure(err))
      onChanged()
    }
  }
  if (tab === 'approvals') {
    const waiting = runs.filter((r) => APPROVABLE.has(r.status))
    if (waiting.length === 0)
      return <EmptyState title="Nothing awaits approval">Dry runs and runs submitted for approval appear here.</EmptyState>
    return (
      <>
        <ErrorNote error={error} />
        <PatchRunTable
          runs={waiting}
          label="Runs awaiting approval"
          action={(run) =>
            session.can('can_manage_patching') && (
              <button type="button" class="button button-small button-primary" onClick={() => void approve(run)}>
                Approve
              </button>
            )
          }
        />
      </>
    )
  }
  if (tab === 'scheduled') {
    const due = runs.filter((r) => isScheduled(r, now))
    return (
      <>
        {due.length === 0 ? (
          <EmptyState title="No runs scheduled">
            Runs delayed by a policy or held for a maintenance window wait here until their time.
          </EmptyState>
        ) : (
          <PatchRunTable runs={due} label="Scheduled runs" when="scheduled" />
        )}
        <UpcomingSchedules />
      </>
    )
  }
  const current = runs.filter((r) => (r.status === 'running' || r.status === 'queued') && !isScheduled(r, now))
  if (current.length === 0)
    return <EmptyState title="No run in progress">Start one with Patch… on a host's page; it shows here while it runs.</EmptyState>
  return <PatchRunTable runs={current} label="Active runs" />
}

/** What the recurring schedules start next (their runs appear above once launched). */
function UpcomingSchedules() {
  const schedules = useApi<{ schedules: Schedule[] }>('/api/v1/patching/schedules')
  const targets = useTargets()
  const next = (schedules.data?.schedules ?? [])
    .filter((s) => s.enabled && s.next_run_at)
    .sort((a, b) => String(a.next_run_at).localeCompare(String(b.next_run_at)))
  if (next.length === 0) return null
  return (
    <>
      <h2>Next from schedules</h2>
      <ul class="rows" aria-label="Next from schedules">
        {next.map((s) => (
          <li class="row">
            <span>
              <strong>{s.name}</strong> <span class="muted">· {targets.nameOf(s.target_type, s.target_id)}</span>
            </span>
            <span>{formatDate(s.next_run_at)}</span>
          </li>
        ))}
      </ul>
    </>
  )
}
