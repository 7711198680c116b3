// One host: system facts, packages (security/outdated filters), repositories, report history,
// its patch runs, and the actions: patch, report now, edit groups, rotate credentials, delete.
import type { Static } from 'typebox'
import type { HostDetail as HostDetailSchema } from '../../../hosts/host-schemas.js'
import { useState } from 'preact/hooks'
import { ApiFailure, del, post } from '../api'
import { asFailure, useApi } from '../use-api'
import { ErrorNote, Loaded, Notice } from '../components/feedback'
import { Badge, PageHeader, Tabs, formatDate, timeAgo } from '../components/controls'
import { useConfirm, Modal } from '../components/dialogs'
import { CopyBlock } from '../components/copy'
import { navigate, Link } from '../router'
import type { RebootReply } from '../patching-types'
import { useSession } from '../session'
import { useServerAddress } from '../server-url'
import { installOneLiner, osLabel } from '../host-types'
import { HostPackages, HostRepositories, HostReports } from './host-tabs'
import { HostGroupsEditor } from './host-groups-editor'
import { HostEditDialog } from './host-edit'
import { PatchDialog } from './patch-dialog'
import { HostPatchRuns } from './host-patch-runs'
import { HostDocker } from './host-docker'
import { HostTrends } from './trend-panels'
import { HostVulnerabilities } from './host-vulnerabilities'
import { formatGiB, formatUptime } from '../human-format'
import { LoopbackWarning } from '../components/loopback-warning'

/** GET /api/v1/hosts/:id: the server's HostDetail, imported as a type only. */
type HostDetailData = Static<typeof HostDetailSchema>
type Tab = 'system' | 'packages' | 'vulnerabilities' | 'repositories' | 'docker' | 'reports' | 'trends' | 'patching'

export function HostDetail({ params }: { params: Record<string, string> }) {
  const id = params.id ?? ''
  const host = useApi<HostDetailData>(`/api/v1/hosts/${encodeURIComponent(id)}`)
  const connection = useApi<{ connected: boolean; connectedAt: string | null }>(`/api/v1/hosts/${encodeURIComponent(id)}/connection`)
  const session = useSession()
  const canManage = session.can('can_manage_hosts')
  const canPatch = session.can('can_manage_patching')
  /** The Patch dialog is open with these picked package names (empty: opened from the header). */
  const [patching, setPatching] = useState<string[] | null>(null)
  const [tab, setTab] = useState<Tab>('system')
  const [confirmDialog, ask] = useConfirm()
  const [message, setMessage] = useState<string | undefined>()
  const [error, setError] = useState<Error | undefined>()
  const [credentials, setCredentials] = useState<{ api_id: string; api_key: string } | null>(null)
  const [editingGroups, setEditingGroups] = useState(false)
  const [editing, setEditing] = useState(false)
  const server = useServerAddress()

  const run = async (action: () => Promise<void>) => {
    setError(undefined)
    setMessage(undefined)
    try {
      await action()
    } catch (err) {
      setError(asFailure(err))
    }
  }
  // Both go over the agent's live connection; without one the server answers 409.
  const pushToAgent = (path: string, done: string) =>
    run(async () => {
      try {
        await post(`/api/v1/hosts/${id}/${path}`)
        setMessage(done)
      } catch (err) {
        const failure = asFailure(err)
        if (failure.status !== 409) throw failure
        throw new ApiFailure(
          409,
          `${failure.message}: the agent receives this only while it holds its live connection. It reports again at its next update interval.`
        )
      }
    })
  const reboot = (name: string) =>
    run(async () => {
      if (!(await ask('Reboot host?', `Reboot ${name} now? Services on it stop for the duration of the restart.`, 'Reboot'))) return
      const reply = await post<RebootReply>('/api/v1/patching/reboots', { host_id: id })
      navigate(`/patching/runs/${reply.patch_run_id}`)
    })
  const reportNow = () => pushToAgent('report-now', 'Asked the agent to report now. Reload in a moment to see the new figures.')
  const updateAgent = () => pushToAgent('update-agent', 'Asked the agent to update itself.')
  const rotate = (name: string) =>
    run(async () => {
      if (!(await ask('Rotate credentials?', `The agent on ${name} stops reporting until it gets the new API key. Continue?`, 'Rotate')))
        return
      setCredentials(await post<{ api_id: string; api_key: string }>(`/api/v1/hosts/${id}/regenerate-credentials`))
    })
  const remove = (name: string) =>
    run(async () => {
      if (!(await ask('Delete host?', `Delete ${name} with its packages and report history? The agent will stop being accepted.`))) return
      await del(`/api/v1/hosts/${id}`)
      navigate('/hosts')
    })

  return (
    <Loaded resource={host} label="Loading host…">
      {(h) => (
        <>
          <PageHeader title={h.friendly_name}>
            {canPatch && (
              <>
                <button type="button" class="button button-primary" onClick={() => setPatching([])}>
                  Patch…
                </button>
                <button type="button" class="button" onClick={() => void reboot(h.friendly_name)}>
                  Reboot
                </button>
              </>
            )}
            {canManage && (
              <>
                <button type="button" class="button" onClick={() => void reportNow()}>
                  Report now
                </button>
                <button type="button" class="button" onClick={() => void updateAgent()}>
                  Update agent
                </button>
                <button type="button" class="button" onClick={() => setEditing(true)}>
                  Rename / notes
                </button>
                <button type="button" class="button" onClick={() => setEditingGroups(true)}>
                  Edit groups
                </button>
                <button type="button" class="button" onClick={() => void rotate(h.friendly_name)}>
                  Rotate credentials
                </button>
                <button type="button" class="button button-danger" onClick={() => void remove(h.friendly_name)}>
                  Delete
                </button>
              </>
            )}
          </PageHeader>
          <p class="subtitle">
            <Badge>{h.status}</Badge> {h.needs_reboot ? <Badge kind="warn">reboot needed</Badge> : null}{' '}
            {connection.data &&
              (connection.data.connected ? <Badge kind="ok">live connection</Badge> : <Badge kind="muted">no live connection</Badge>)}{' '}
            Last report {timeAgo(h.last_update)} ·{' '}
            {h.host_groups.length ? h.host_groups.map((g) => <span class="chip">{g.name}</span>) : <span class="muted">no groups</span>} ·{' '}
            <Link href="/hosts">All hosts</Link>
          </p>
          {message && <Notice>{message}</Notice>}
          <ErrorNote error={error} />
          {credentials && (
            <Modal title="New credentials" onClose={() => setCredentials(null)} wide>
              <Notice kind="warn">Shown only this once. Re-run the install command on the host so the agent uses the new key.</Notice>
              <LoopbackWarning url={server.url} />
              <CopyBlock label="Install command" value={installOneLiner(server, credentials.api_id, credentials.api_key)} />
              <CopyBlock label="API ID" value={credentials.api_id} />
              <CopyBlock label="API key" value={credentials.api_key} />
            </Modal>
          )}
          {editing && (
            <HostEditDialog
              hostId={id}
              name={h.friendly_name}
              notes={typeof h.notes === 'string' ? h.notes : null}
              onClose={(saved) => {
                setEditing(false)
                if (saved) host.reload()
              }}
            />
          )}
          {patching && (
            <PatchDialog
              hostId={id}
              hostName={h.friendly_name}
              counts={{ outdated: h.outdated_packages, security: h.security_updates }}
              selected={patching}
              onClose={() => setPatching(null)}
            />
          )}
          {editingGroups && (
            <HostGroupsEditor
              hostId={id}
              current={h.host_groups.map((g) => g.id)}
              onClose={(changed) => {
                setEditingGroups(false)
                if (changed) host.reload()
              }}
            />
          )}
          <section class="cards cards-small" aria-label="Package counts">
            <div class="card stat">
              <span class="stat-value">{h.last_update ? h.total_packages : '—'}</span>
              <span class="stat-label">Packages</span>
            </div>
            <div class="card stat">
              <span class="stat-value">{h.last_update ? h.outdated_packages : '—'}</span>
              <span class="stat-label">Outdated</span>
            </div>
            <div class="card stat">
              <span class={h.security_updates ? 'stat-value stat-bad' : 'stat-value'}>{h.last_update ? h.security_updates : '—'}</span>
              <span class="stat-label">Security updates</span>
            </div>
          </section>
          <Tabs<Tab>
            label="Host details"
            current={tab}
            onChange={setTab}
            tabs={[
              ['system', 'System'],
              ['packages', 'Packages'],
              ['vulnerabilities', 'Vulnerabilities'],
              ['repositories', 'Repositories'],
              ['docker', 'Docker'],
              ['reports', 'Report history'],
              ['trends', 'Trends'],
              ['patching', 'Patch runs']
            ]}
          />
          <div role="tabpanel" class="panel">
            {tab === 'system' && <SystemFacts host={h} />}
            {tab === 'packages' && (
              <HostPackages
                hostId={id}
                counts={{ total: h.total_packages, outdated: h.outdated_packages, security: h.security_updates }}
                {...(canPatch ? { onPatch: setPatching } : {})}
              />
            )}
            {tab === 'vulnerabilities' && <HostVulnerabilities hostId={id} />}
            {tab === 'repositories' && <HostRepositories hostId={id} />}
            {tab === 'docker' && <HostDocker hostId={id} canManage={canManage} />}
            {tab === 'reports' && <HostReports hostId={id} />}
            {tab === 'trends' && <HostTrends hostId={id} />}
            {tab === 'patching' && <HostPatchRuns hostId={id} />}
          </div>
          {confirmDialog}
        </>
      )}
    </Loaded>
  )
}

const FACTS: Array<[keyof HostDetailData, string]> = [
  ['hostname', 'Hostname'],
  ['ip', 'IP address'],
  ['machine_id', 'Machine ID'],
  ['architecture', 'Architecture'],
  ['kernel_version', 'Running kernel'],
  ['installed_kernel_version', 'Installed kernel'],
  ['reboot_reason', 'Reboot reason'],
  ['cpu_model', 'CPU'],
  ['cpu_cores', 'CPU cores'],
  ['ram_installed', 'RAM'],
  ['swap_size', 'Swap'],
  ['system_uptime', 'Uptime'],
  ['selinux_status', 'SELinux'],
  ['package_manager', 'Package manager'],
  ['gateway_ip', 'Gateway'],
  ['agent_version', 'Agent version'],
  ['api_id', 'API ID'],
  ['notes', 'Notes']
]

/** Facts with a unit or a format of their own; the rest are shown as the agent sent them. */
const FACT_FORMATS: Partial<Record<keyof HostDetailData, (v: unknown) => string>> = {
  ram_installed: formatGiB,
  swap_size: formatGiB,
  system_uptime: formatUptime,
  cpu_cores: (v) => (typeof v === 'number' ? v.toLocaleString() : factText(v))
}

function factText(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—'
  if (Array.isArray(v)) return v.map(factText).join(', ')
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

function SystemFacts({ host }: { host: HostDetailData }) {
  return (
    <dl class="facts">
      <dt>Operating system</dt>
      <dd>{osLabel(host)}</dd>
      {FACTS.filter(([key]) => key in host).map(([key, label]) => (
        <>
          <dt>{label}</dt>
          <dd>{host[key] === null || host[key] === undefined ? '—' : (FACT_FORMATS[key] ?? factText)(host[key])}</dd>
        </>
      ))}
      <dt>Added</dt>
      <dd>{formatDate(host.created_at as string | undefined)}</dd>
    </dl>
  )
}
