// "Patch…" on a host: all updates, security updates only, or the packages picked on the
// Packages tab; dry run (nothing changes, approve it afterwards), submit for approval, a reboot
// choice, and whether to skip the host's policy delay. Submitting opens the new run's page.
import { useState } from 'preact/hooks'
import { get, post, query } from '../api'
import { asFailure, useApi } from '../use-api'
import { Field } from '../components/controls'
import { ErrorNote, Notice } from '../components/feedback'
import { Modal } from '../components/dialogs'
import { formatDate } from '../components/controls'
import { navigate } from '../router'
import type { HostHolds, HostWindow, PreviewRun, TriggerBody, TriggerReply } from '../patching-types'
import type { Static } from 'typebox'
import type { HostPackage } from '../../../hosts/host-schemas.js'

type Scope = 'all' | 'security' | 'selected'
type Reboot = NonNullable<TriggerBody['reboot']>
/** The server's limit of names per run (upstream's, and the agent's). */
const MAX_NAMES = 100

/**
 * "Security updates only" is a package list, as upstream's UI does it (no run type exists for
 * it): the host's pending security updates, at most one run's worth.
 */
async function securityUpdates(hostId: string): Promise<string[]> {
  const page = await get<{ packages: Array<Static<typeof HostPackage>>; total: number }>(
    `/api/v1/hosts/${encodeURIComponent(hostId)}/packages${query({ security_only: true, limit: MAX_NAMES + 1 })}`
  )
  if (page.total > MAX_NAMES)
    throw new Error(
      `This host has ${page.total} security updates; one run takes at most ${MAX_NAMES} packages. Patch all updates, or pick packages on the Packages tab.`
    )
  if (page.packages.length === 0) throw new Error('This host has no pending security updates.')
  return page.packages.map((p) => p.name)
}

export interface PatchDialogProps {
  hostId: string
  hostName: string
  counts: { outdated: number; security: number }
  /** Package names picked on the Packages tab (or the one row's "Patch…"). */
  selected: string[]
  onClose: () => void
}

export function PatchDialog({ hostId, hostName, counts, selected, onClose }: PatchDialogProps) {
  const [scope, setScope] = useState<Scope>(selected.length > 0 ? 'selected' : 'all')
  const [dryRun, setDryRun] = useState(false)
  /** Dry runs take a package list (upstream's rule): never for "all updates". */
  const dry = dryRun && scope !== 'all'
  const [forApproval, setForApproval] = useState(false)
  const [reboot, setReboot] = useState<Reboot>('never')
  const [now, setNow] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<Error | undefined>()
  const preview = useApi<PreviewRun>(`/api/v1/patching/preview-run${query({ host_id: hostId })}`)
  const holds = useApi<HostHolds>(`/api/v1/patching/hosts/${encodeURIComponent(hostId)}/holds`)
  const hostWindow = useApi<HostWindow>(`/api/v1/patching/hosts/${encodeURIComponent(hostId)}/window`)

  const submit = async (e: Event) => {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const names = scope === 'selected' ? selected : scope === 'security' ? await securityUpdates(hostId) : []
      const body: TriggerBody = {
        host_id: hostId,
        patch_type: scope === 'all' ? 'patch_all' : 'patch_package',
        ...(names.length > 0 ? { package_names: names } : {}),
        ...(dry ? { dry_run: true } : {}),
        ...(forApproval ? { pending_approval: true } : {}),
        ...(reboot !== 'never' && !dry ? { reboot } : {}),
        ...(now ? { schedule_override: 'immediate' } : {})
      }
      const reply = await post<TriggerReply>('/api/v1/patching/trigger', body)
      navigate(`/patching/runs/${reply.patch_run_id}`)
    } catch (err) {
      setError(asFailure(err))
      setBusy(false)
    }
  }
  const delayed = preview.data && preview.data.patch_delay_type !== 'immediate'
  const label = forApproval ? 'Submit for approval' : dry ? 'Start dry run' : 'Start patching'
  return (
    <Modal title={`Patch ${hostName}`} onClose={onClose} wide>
      <form onSubmit={(e) => void submit(e)}>
        <fieldset class="checks">
          <legend>What to update</legend>
          <label class="check">
            <input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} />
            All available updates ({counts.outdated})
          </label>
          <label class="check">
            <input
              type="radio"
              name="scope"
              checked={scope === 'security'}
              disabled={counts.security === 0}
              onChange={() => setScope('security')}
            />
            Security updates only ({counts.security})
          </label>
          <label class="check">
            <input
              type="radio"
              name="scope"
              checked={scope === 'selected'}
              disabled={selected.length === 0}
              onChange={() => setScope('selected')}
            />
            {selected.length === 0
              ? 'Selected packages (pick them on the Packages tab)'
              : `Selected packages (${selected.length}): ${selected.slice(0, 5).join(', ')}${selected.length > 5 ? ', …' : ''}`}
          </label>
        </fieldset>
        <fieldset class="checks">
          <legend>How</legend>
          <label class="check">
            <input
              type="checkbox"
              checked={dry}
              disabled={forApproval || scope === 'all'}
              onChange={(e) => setDryRun(e.currentTarget.checked)}
            />
            Dry run: only list what would change, then approve it to run it for real
            {scope === 'all' ? ' (for security or selected packages)' : ''}
          </label>
          <label class="check">
            <input type="checkbox" checked={forApproval} disabled={dry} onChange={(e) => setForApproval(e.currentTarget.checked)} />
            Submit for approval: nothing runs until someone approves it
          </label>
          {delayed && (
            <label class="check">
              <input type="checkbox" checked={now} onChange={(e) => setNow(e.currentTarget.checked)} />
              Run now instead of at {formatDate(preview.data?.run_at_iso)} (policy {preview.data?.policy_name})
            </label>
          )}
        </fieldset>
        <Field label="Reboot" hint="Only agents that can reboot (the PatchMon shell agent) act on this.">
          <select value={reboot} disabled={dry} onChange={(e) => setReboot(e.currentTarget.value as Reboot)}>
            <option value="never">Never</option>
            <option value="if_required">If the host reports a reboot is required</option>
            <option value="after">Always, after patching</option>
          </select>
        </Field>
        {holds.data && holds.data.held_count > 0 && (
          <Notice kind="warn">
            {holds.data.held_count} held, not updated by any run: {holds.data.held_packages.slice(0, 10).join(', ')}
            {holds.data.held_count > 10 ? ', …' : ''}
          </Notice>
        )}
        {hostWindow.data?.has_windows && (
          <Notice kind={hostWindow.data.open_now ? 'info' : 'warn'}>
            {hostWindow.data.current
              ? `Inside maintenance window ${hostWindow.data.current.name} until ${formatDate(hostWindow.data.current.closes_at)}.`
              : `Outside its maintenance windows${hostWindow.data.next ? `: ${hostWindow.data.next.name} opens ${formatDate(hostWindow.data.next.opens_at)}` : ''}.`}
          </Notice>
        )}
        {preview.data && !forApproval && (
          <Notice kind="info">
            {delayed && !now
              ? `Policy ${preview.data.policy_name} delays this run until ${formatDate(preview.data.run_at_iso)}.`
              : 'The run starts as soon as the agent picks it up.'}
          </Notice>
        )}
        <ErrorNote error={error} />
        <div class="actions">
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button button-primary" disabled={busy}>
            {label}
          </button>
        </div>
      </form>
    </Modal>
  )
}
