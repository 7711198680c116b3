// A host's Docker tab: the switch that tells its agent to collect Docker data, its counts,
// containers, images and the containers that stopped.
import type { ContainersReply, EventsReply, HostDocker as HostDockerData, ImagesReply } from '../../../agent/docker-schemas.js'
import { useState } from 'preact/hooks'
import { put, query } from '../api'
import { asFailure, useApi } from '../use-api'
import type { ApiFailure } from '../api'
import { EmptyState, ErrorNote, Loaded, Notice } from '../components/feedback'
import { ContainerTable, DockerCountCards, ImageTable, StopHistoryTable } from '../components/docker-tables'

export function HostDocker({ hostId, canManage }: { hostId: string; canManage: boolean }) {
  const path = encodeURIComponent(hostId)
  const docker = useApi<HostDockerData>(`/api/v1/hosts/${path}/docker`)
  const containers = useApi<ContainersReply>(`/api/v1/docker/containers${query({ host_id: hostId, limit: 500 })}`)
  const images = useApi<ImagesReply>(`/api/v1/docker/images${query({ host_id: hostId, limit: 500 })}`)
  const events = useApi<EventsReply>(`/api/v1/docker/events${query({ host_id: hostId, limit: 50 })}`)
  const [error, setError] = useState<ApiFailure | undefined>()
  const [saved, setSaved] = useState<string | undefined>()
  // What the user just chose, shown at once: the other loads of this tab finishing meanwhile must
  // not put the switch back before the server has answered.
  const [chosen, setChosen] = useState<boolean | undefined>()

  async function toggle(enabled: boolean) {
    setChosen(enabled)
    setError(undefined)
    try {
      await put(`/api/v1/hosts/${path}/docker/integration`, { enabled })
      setSaved(
        enabled
          ? 'Docker collection is on. Restart the agent on the host (systemctl restart patchmon-agent) so it picks this up.'
          : 'Docker collection is off. The agent stops sending Docker data after its next restart.'
      )
      docker.reload()
    } catch (err) {
      setChosen(undefined)
      setError(asFailure(err))
    }
  }

  return (
    <Loaded resource={docker} label="Loading Docker…">
      {(d) => (
        <>
          <label class="check switch">
            <input
              type="checkbox"
              role="switch"
              checked={chosen ?? d.integration_enabled}
              disabled={!canManage}
              onChange={(e) => void toggle(e.currentTarget.checked)}
            />{' '}
            Collect Docker data
          </label>
          <p class="muted small">Needs the PatchMon agent 2.x on a host running Docker. The agent reads this switch when it starts.</p>
          {saved && <Notice>{saved}</Notice>}
          {error && <ErrorNote error={error} />}
          {d.counts.containers + d.counts.images === 0 ? (
            <EmptyState title="No Docker data from this host">
              {d.integration_enabled ? 'Waiting for the agent to send its inventory.' : 'Switch Docker collection on above.'}
            </EmptyState>
          ) : (
            <>
              <DockerCountCards counts={d.counts} />
              <h2>Containers</h2>
              <Loaded resource={containers}>{(data) => <ContainerTable containers={data.containers} showHost={false} />}</Loaded>
              <h2>Images</h2>
              <Loaded resource={images}>{(data) => <ImageTable images={data.images} showHosts={false} />}</Loaded>
              <h2>Stopped containers</h2>
              <Loaded resource={events}>
                {(data) =>
                  data.events.length === 0 ? (
                    <p class="muted">No container has stopped.</p>
                  ) : (
                    <StopHistoryTable events={data.events} showHost={false} />
                  )
                }
              </Loaded>
            </>
          )}
        </>
      )}
    </Loaded>
  )
}
