// Settings → Integrations: enrollment tokens and API credentials on the "Auto-Enrollment & API"
// tab, gethomepage keys on the "GetHomepage" tab, and the agent install one-liner for single hosts.
import { useState } from 'preact/hooks'
import { del, patch } from '../api'
import { asFailure, useApi } from '../use-api'
import { EmptyState, ErrorNote, Loaded } from '../components/feedback'
import { Badge, PageHeader, Tabs, formatDate, timeAgo } from '../components/controls'
import { useConfirm } from '../components/dialogs'
import { CopyBlock } from '../components/copy'
import { Link, useLocation } from '../router'
import { useServerAddress, type ServerAddress } from '../server-url'
import { TYPE_SHORT } from '../integration-snippets'
import { installOneLiner } from '../host-types'
import { scopeText, typeOf, type TokenItem } from '../token-types'
import { TokenCreateDialog } from './token-create'
import { TokenEditDialog } from './token-edit'
import { LoopbackWarning } from '../components/loopback-warning'

type Tab = 'enrollment' | 'gethomepage' | 'agent'

export function Integrations() {
  const { query } = useLocation()
  const [tab, setTab] = useState<Tab>((query.get('tab') as Tab | null) ?? 'enrollment')
  const tokens = useApi<TokenItem[]>('/api/v1/auto-enrollment/tokens')
  const [creating, setCreating] = useState(false)
  const [editing, setEditing] = useState<TokenItem | null>(null)
  const [error, setError] = useState<Error | undefined>()
  const [confirmDialog, ask] = useConfirm()
  const server = useServerAddress()

  const toggle = async (t: TokenItem) => {
    try {
      await patch(`/api/v1/auto-enrollment/tokens/${t.id}`, { is_active: !t.is_active })
      tokens.reload()
    } catch (err) {
      setError(asFailure(err))
    }
  }
  const remove = async (t: TokenItem) => {
    if (
      !(await ask(
        'Delete token?',
        `Delete "${t.token_name}"? Anything using it (scripts, widgets, inventories) starts getting 401. Hosts it enrolled stay.`
      ))
    )
      return
    try {
      await del(`/api/v1/auto-enrollment/tokens/${t.id}`)
      tokens.reload()
    } catch (err) {
      setError(asFailure(err))
    }
  }

  return (
    <>
      <PageHeader title="Integrations">
        {tab !== 'agent' && !tokens.error?.notAvailable && (
          <button type="button" class="button button-primary" onClick={() => setCreating(true)}>
            {tab === 'gethomepage' ? 'New API Key' : 'New Token'}
          </button>
        )}
      </PageHeader>
      <Tabs<Tab>
        label="Integration kinds"
        current={tab}
        onChange={setTab}
        tabs={[
          ['enrollment', 'Auto-Enrollment & API'],
          ['gethomepage', 'GetHomepage'],
          ['agent', 'Agent install']
        ]}
      />
      <ErrorNote error={error} />
      {tab === 'agent' ? (
        <AgentInstall server={server} />
      ) : (
        <Loaded resource={tokens} label="Loading tokens…">
          {(data) => {
            const all = data
            const shown = all.filter((t) => (tab === 'gethomepage') === (typeOf(t) === 'gethomepage'))
            if (shown.length === 0) {
              return tab === 'gethomepage' ? (
                <EmptyState title="No GetHomepage keys yet">
                  Click <strong>New API Key</strong>; the success window gives you the widget YAML to paste into gethomepage's
                  services.yaml.
                </EmptyState>
              ) : (
                <EmptyState title="No tokens yet">
                  Click <strong>New Token</strong> to create a Proxmox or direct-host enrollment token, or an API credential for Ansible and
                  scripts.
                </EmptyState>
              )
            }
            return <TokenTable tokens={shown} onToggle={toggle} onEdit={setEditing} onDelete={remove} />
          }}
        </Loaded>
      )}
      {creating && (
        <TokenCreateDialog
          fixedType={tab === 'gethomepage' ? 'gethomepage' : undefined}
          server={server}
          onClose={() => {
            setCreating(false)
            tokens.reload()
          }}
        />
      )}
      {editing && (
        <TokenEditDialog
          token={editing}
          onClose={(saved) => {
            setEditing(null)
            if (saved) tokens.reload()
          }}
        />
      )}
      {confirmDialog}
    </>
  )
}

function TokenTable({
  tokens,
  onToggle,
  onEdit,
  onDelete
}: {
  tokens: TokenItem[]
  onToggle: (t: TokenItem) => void
  onEdit: (t: TokenItem) => void
  onDelete: (t: TokenItem) => void
}) {
  return (
    <div class="table-wrap">
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Token key</th>
            <th scope="col">Scopes / limits</th>
            <th scope="col">IP ranges</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span class="offscreen">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => {
            const type = typeOf(t)
            return (
              <tr>
                <td>
                  {t.token_name}
                  <div class="muted small">
                    created {formatDate(t.created_at)}
                    {t.expires_at ? ` · expires ${formatDate(t.expires_at)}` : ''}
                  </div>
                </td>
                <td class="nowrap">{TYPE_SHORT[type]}</td>
                <td class="mono small">{t.token_key}</td>
                <td>
                  {type === 'api'
                    ? scopeText(t.scopes)
                    : type === 'gethomepage'
                      ? 'stats (read only)'
                      : `${t.hosts_created_today ?? 0} / ${t.max_hosts_per_day} hosts today${t.host_groups ? ` → ${t.host_groups.name}` : ''}`}
                </td>
                <td>{t.allowed_ip_ranges.length ? t.allowed_ip_ranges.join(', ') : <span class="muted">any</span>}</td>
                <td>{timeAgo(t.last_used_at)}</td>
                <td>
                  <Badge kind={t.is_active ? 'ok' : 'muted'}>{t.is_active ? 'Active' : 'Disabled'}</Badge>
                </td>
                <td class="row-actions">
                  <button type="button" class="button button-small" onClick={() => onEdit(t)} aria-label={`Edit ${t.token_name}`}>
                    Edit
                  </button>
                  <button type="button" class="button button-small" onClick={() => onToggle(t)}>
                    {t.is_active ? 'Disable' : 'Enable'}
                  </button>
                  <button
                    type="button"
                    class="button button-small button-danger"
                    onClick={() => onDelete(t)}
                    aria-label={`Delete ${t.token_name}`}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

function AgentInstall({ server }: { server: ServerAddress }) {
  return (
    <section class="panel">
      <h2>Install the agent on one host</h2>
      <p>
        Add the host under <Link href="/hosts">Hosts → Add host</Link>: the success window shows this command with the host's own
        credentials filled in. Run it as root on the host; the agent reports right away and then at every update interval.
      </p>
      <LoopbackWarning url={server.url} />
      <CopyBlock label="Install command template" value={installOneLiner(server, '<api id>', '<api key>')} />
      <p class="muted">
        Many hosts? Create a <strong>Proxmox LXC</strong> or <strong>direct host</strong> enrollment token on the Auto-Enrollment &amp; API
        tab: its one-liner enrolls every container of a Proxmox node, or the machine it runs on.
      </p>
    </section>
  )
}
