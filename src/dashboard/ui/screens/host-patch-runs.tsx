// The host page's "Patch runs" tab: what holds keep back here, the reboot exemption, and this
// host's runs, newest first, each linking to its page.
import { useState } from 'preact/hooks'
import { del, put, query } from '../api'
import { asFailure, useApi } from '../use-api'
import { EmptyState, ErrorNote, Loaded } from '../components/feedback'
import { PatchRunTable } from '../components/patch-run-table'
import { Link } from '../router'
import { useSession } from '../session'
import type { HostHolds, PatchRunsPage, RebootExemptionList } from '../patching-types'

export function HostPatchRuns({ hostId }: { hostId: string }) {
  const runs = useApi<PatchRunsPage>(`/api/v1/patching/runs${query({ host_id: hostId, limit: 50 })}`)
  return (
    <>
      <HostPatchSettings hostId={hostId} />
      <Loaded resource={runs} label="Loading patch runs…">
        {(data) =>
          data.runs.length === 0 ? (
            <EmptyState title="No patch runs on this host yet" />
          ) : (
            <>
              <PatchRunTable runs={data.runs} label="Patch runs on this host" />
              {data.pagination.total > data.runs.length && (
                <Link href={`/patching?tab=history&host_id=${encodeURIComponent(hostId)}`}>All {data.pagination.total} runs</Link>
              )}
            </>
          )
        }
      </Loaded>
    </>
  )
}

function HostPatchSettings({ hostId }: { hostId: string }) {
  const holds = useApi<HostHolds>(`/api/v1/patching/hosts/${encodeURIComponent(hostId)}/holds`)
  const exemptions = useApi<RebootExemptionList>('/api/v1/patching/reboot-exemptions')
  const canManage = useSession().can('can_manage_patching')
  const [error, setError] = useState<Error | undefined>()
  const exempt = exemptions.data?.exemptions.some((x) => x.host_id === hostId)
  const toggle = async () => {
    setError(undefined)
    try {
      if (exempt) await del(`/api/v1/patching/reboot-exemptions/${encodeURIComponent(hostId)}`)
      else await put(`/api/v1/patching/reboot-exemptions/${encodeURIComponent(hostId)}`, {})
    } catch (err) {
      setError(asFailure(err))
    }
    exemptions.reload()
  }
  return (
    <div class="filters">
      <ErrorNote error={error} />
      {holds.data && (
        <span>
          {holds.data.held_count > 0 ? (
            <>
              <strong>{holds.data.held_count} held</strong>: {holds.data.held_packages.join(', ')} ·{' '}
            </>
          ) : (
            'No update held · '
          )}
          <Link href="/patching?tab=holds">Holds</Link>
        </span>
      )}
      {exemptions.data && (
        <span>
          {exempt ? 'Exempt from reboots' : 'Reboots allowed'}
          {canManage && (
            <>
              {' '}
              <button type="button" class="button button-small" onClick={() => void toggle()}>
                {exempt ? 'Allow reboots' : 'Exempt from reboots'}
              </button>
            </>
          )}
        </span>
      )}
    </div>
  )
}
