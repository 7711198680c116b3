// One patch run: status, host, packages, the live output (WebSocket stream, follows the end until
// the reader scrolls up), Stop while the agent may still be working, Approve for a dry run or a
// submission awaiting approval, and what the agent reported (pre-patch hook, reboot required).
import { useEffect, useState } from 'preact/hooks'
import { del, post } from '../api'
import { asFailure, useApi } from '../use-api'
import { ErrorNote, Loaded, Notice } from '../components/feedback'
import { Badge, PageHeader, formatDate } from '../components/controls'
import { LiveOutput } from '../components/live-output'
import { RunStatus } from '../components/patch-run-table'
import { Link, navigate } from '../router'
import { useSession } from '../session'
import { useRunStream } from '../use-run-stream'
import { APPROVABLE, DELETABLE, FINISHED, STOPPABLE, hostName, runPackages, runWhat } from '../patch-run-text'
import { useConfirm } from '../components/dialogs'
import { RunAudit } from './patch-audit'
import type { ApproveReply, PatchRunDetail, StopReply } from '../patching-types'

export function PatchRun({ params }: { params: Record<string, string> }) {
  const id = params.id ?? ''
  const run = useApi<PatchRunDetail>(`/api/v1/patching/runs/${encodeURIComponent(id)}`)
  const stream = useRunStream(id)
  const session = useSession()
  const canManage = session.can('can_manage_patching')
  const [error, setError] = useState<Error | undefined>()
  const [message, setMessage] = useState<string | undefined>()
  const [confirmDialog, ask] = useConfirm()
  // The stream says when the run settled; the detail (times, packages affected, hook result) is re-read then.
  useEffect(() => {
    if (stream.state === 'done' || (stream.stage && stream.stage !== run.data?.status)) run.reload()
  }, [stream.state, stream.stage])

  const act = async (action: () => Promise<void>) => {
    setError(undefined)
    setMessage(undefined)
    try {
      await action()
    } catch (err) {
      setError(asFailure(err))
    }
    run.reload()
  }
  const stop = () =>
    act(async () => {
      const reply = await post<StopReply>(`/api/v1/patching/runs/${encodeURIComponent(id)}/stop`)
      setMessage(
        reply.cancelled_via === 'agent_signal'
          ? 'Stop sent: the agent interrupts the package manager and reports back.'
          : 'Cancelled: the agent was not working on this run.'
      )
    })
  const remove = () =>
    act(async () => {
      if (!(await ask('Delete run?', 'Delete this run? It has not started on the host; nothing is sent to the agent.'))) return
      await del(`/api/v1/patching/runs/${encodeURIComponent(id)}`)
      navigate('/patching')
    })
  const retry = () =>
    act(async () => {
      await post(`/api/v1/patching/runs/${encodeURIComponent(id)}/retry-validation`)
      setMessage('The dry run was sent to the agent again.')
    })
  const approve = () =>
    act(async () => {
      const reply = await post<ApproveReply>(`/api/v1/patching/runs/${encodeURIComponent(id)}/approve`)
      navigate(`/patching/runs/${reply.patch_run_id}`)
    })

  return (
    <Loaded resource={run} label="Loading run…">
      {(r) => {
        const status = stream.stage && !FINISHED.has(r.status) ? stream.stage : r.status
        // A run submitted for approval is never sent to the agent: there is nothing to wait for.
        const live = !FINISHED.has(status) && status !== 'pending_approval' && stream.state !== 'done'
        // The agent's terminal stage replaces the streamed text with its full output: once the run
        // has settled and been re-read, the stored output is the one to show.
        const output = stream.state === 'connecting' || (stream.state === 'done' && FINISHED.has(r.status)) ? r.shell_output : stream.output
        const errorMessage = stream.errorMessage || r.error_message
        return (
          <>
            <PageHeader title={`${r.dry_run ? 'Dry run' : r.patch_type === 'reboot' ? 'Reboot' : 'Patch run'} on ${hostName(r)}`}>
              {canManage && STOPPABLE.has(status) && (
                <button type="button" class="button button-danger" onClick={() => void stop()}>
                  Stop
                </button>
              )}
              {canManage && APPROVABLE.has(status) && (
                <button type="button" class="button button-primary" onClick={() => void approve()}>
                  Approve
                </button>
              )}
              {canManage && status === 'pending_validation' && r.patch_type === 'patch_package' && (
                <button type="button" class="button" onClick={() => void retry()}>
                  Send dry run again
                </button>
              )}
              {canManage && DELETABLE.has(status) && (
                <button type="button" class="button button-danger" onClick={() => void remove()}>
                  Delete
                </button>
              )}
            </PageHeader>
            <p class="subtitle">
              <RunStatus status={status} /> {r.dry_run ? <Badge kind="info">dry run</Badge> : null}{' '}
              <Link href={`/hosts/${r.host_id}`}>{hostName(r)}</Link> · <Link href="/patching">All runs</Link>
            </p>
            {message && <Notice>{message}</Notice>}
            <ErrorNote error={error} />
            {errorMessage && <ErrorNote error={errorMessage} title={status === 'cancelled' ? 'Stopped' : 'The run failed'} />}
            {(status === 'queued' || status === 'pending_validation') && <AgentWaiting hostId={r.host_id} />}
            <RunFacts run={r} />
            <section class="panel" aria-labelledby="output-heading">
              <div class="panel-head">
                <h2 id="output-heading">Output</h2>
                <span class="muted small" role="status">
                  {stream.state === 'lost' ? 'Live link lost: reload the page to see new output.' : live ? 'Live' : ''}
                </span>
              </div>
              {r.output_truncated && <p class="muted small">Only the end of a long output is kept; the start was dropped.</p>}
              <LiveOutput
                text={output}
                live={live}
                empty={status === 'pending_approval' ? 'Nothing runs until someone approves this run.' : undefined}
              />
            </section>
            <RunAudit runId={r.id} key={`${r.id}-${r.status}`} />
            {confirmDialog}
          </>
        )
      }}
    </Loaded>
  )
}

/** The run's reboot option in words, or why it was dropped (an agent that cannot reboot). */
function rebootText(options: PatchRunDetail['options']): string {
  if (typeof options?.rebootSkipped === 'string') return options.rebootSkipped
  if (options?.reboot === 'after') return 'after patching'
  if (options?.reboot === 'if_required') return 'if the host reports a reboot is required'
  return ''
}

/** A queued run waits for its agent: say so when the agent is not connected. */
function AgentWaiting({ hostId }: { hostId: string }) {
  const connection = useApi<{ connected: boolean }>(`/api/v1/hosts/${encodeURIComponent(hostId)}/connection`)
  if (!connection.data || connection.data.connected) return null
  return <Notice kind="warn">The host's agent is not connected: the run starts when it connects.</Notice>
}

function RunFacts({ run }: { run: PatchRunDetail }) {
  const names = runPackages(run)
  const affected = run.packages_affected ?? []
  // Due later than asked for: a policy, a schedule or a maintenance window delayed it.
  const delayed = Date.parse(run.run_at) - Date.parse(run.created_at) > 1000
  return (
    <dl class="facts panel">
      <dt>Packages</dt>
      <dd>{names.length > 1 ? names.join(', ') : runWhat(run)}</dd>
      <dt>Asked for</dt>
      <dd>
        {formatDate(run.created_at)}
        {run.triggered_by_username ? ` by ${run.triggered_by_username}` : ''}
      </dd>
      {delayed && (
        <>
          <dt>Due</dt>
          <dd>{formatDate(run.run_at)}</dd>
        </>
      )}
      {run.approved_by_username && (
        <>
          <dt>Approved by</dt>
          <dd>{run.approved_by_username}</dd>
        </>
      )}
      {run.validation_run_id && (
        <>
          <dt>Approved from</dt>
          <dd>
            <Link href={`/patching/runs/${run.validation_run_id}`}>the run it was approved from</Link>
          </dd>
        </>
      )}
      {rebootText(run.options) && (
        <>
          <dt>Reboot</dt>
          <dd>{rebootText(run.options)}</dd>
        </>
      )}
      {run.policy_name && (
        <>
          <dt>Policy</dt>
          <dd>{run.policy_name}</dd>
        </>
      )}
      <dt>Started</dt>
      <dd>{formatDate(run.started_at)}</dd>
      <dt>Finished</dt>
      <dd>{formatDate(run.completed_at)}</dd>
      {affected.length > 0 && (
        <>
          <dt>{run.dry_run ? 'Would change' : 'Changed'}</dt>
          <dd>{affected.join(', ')}</dd>
        </>
      )}
      {run.pre_patch_hook && (
        <>
          <dt>Pre-patch hook</dt>
          <dd>
            {run.pre_patch_hook.exit_code === 0 ? (
              <Badge kind="ok">exit 0</Badge>
            ) : (
              <Badge kind="bad">exit {run.pre_patch_hook.exit_code}</Badge>
            )}
            {run.pre_patch_hook.output && <pre class="hook-output">{run.pre_patch_hook.output}</pre>}
          </dd>
        </>
      )}
      {run.reboot_required !== null && (
        <>
          <dt>Reboot required</dt>
          <dd>{run.reboot_required ? <Badge kind="warn">yes, the host needs a reboot</Badge> : 'no'}</dd>
        </>
      )}
    </dl>
  )
}
