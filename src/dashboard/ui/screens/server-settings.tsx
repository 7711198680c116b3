// Settings → Server Config: the public Server URL (scripts, widget YAML, Discord callback all use
// it), the agents' update interval, self-signed TLS, agent auto-update, the host-down grace and
// which non-public addresses notifications may reach (the outbound policy), and how long a patch
// run may stay silent before it is marked timed out.
import { useEffect, useState } from 'preact/hooks'
import { put } from '../api'
import { asFailure, useApi } from '../use-api'
import { ErrorNote, Loaded, Notice } from '../components/feedback'
import { Field, PageHeader } from '../components/controls'

interface ServerSettingsData {
  server_url: string | null
  update_interval: number
  ignore_ssl_self_signed: boolean
  auto_update: boolean
  host_down_grace_minutes: number
  notify_allow_private_networks: boolean
  notify_allowed_targets: string[]
  patch_run_stall_timeout_minutes: number
  audit_log_retention_days: number
  trend_retention_days: number
}

export function ServerSettings() {
  const settings = useApi<ServerSettingsData>('/api/v1/settings')
  const [form, setForm] = useState({
    server_url: '',
    update_interval: '60',
    ignore_ssl_self_signed: false,
    auto_update: false,
    host_down_grace_minutes: '5',
    notify_allow_private_networks: false,
    notify_allowed_targets: '',
    patch_run_stall_timeout_minutes: '30',
    audit_log_retention_days: '365',
    trend_retention_days: '730'
  })
  const [saved, setSaved] = useState(false)
  const [error, setError] = useState<Error | string | undefined>()
  useEffect(() => {
    const s = settings.data
    if (!s) return
    setForm({
      server_url: s.server_url ?? '',
      update_interval: String(s.update_interval),
      ignore_ssl_self_signed: s.ignore_ssl_self_signed,
      auto_update: s.auto_update,
      host_down_grace_minutes: String(s.host_down_grace_minutes),
      notify_allow_private_networks: s.notify_allow_private_networks,
      notify_allowed_targets: s.notify_allowed_targets.join(', '),
      patch_run_stall_timeout_minutes: String(s.patch_run_stall_timeout_minutes),
      audit_log_retention_days: String(s.audit_log_retention_days),
      trend_retention_days: String(s.trend_retention_days)
    })
  }, [settings.data])
  const set = (k: keyof typeof form, v: string | boolean) => setForm({ ...form, [k]: v })
  const save = async (e: Event) => {
    e.preventDefault()
    setSaved(false)
    setError(undefined)
    const url = form.server_url.trim().replace(/\/+$/, '')
    if (url && !/^https?:\/\/[^/\s]+/.test(url))
      return setError('The Server URL must start with http:// or https://, e.g. https://patchmon.example.com')
    try {
      await put('/api/v1/settings', {
        server_url: url || null,
        update_interval: Number(form.update_interval),
        ignore_ssl_self_signed: form.ignore_ssl_self_signed,
        auto_update: form.auto_update,
        host_down_grace_minutes: Number(form.host_down_grace_minutes),
        notify_allow_private_networks: form.notify_allow_private_networks,
        notify_allowed_targets: form.notify_allowed_targets.split(/[\s,]+/).filter(Boolean),
        patch_run_stall_timeout_minutes: Number(form.patch_run_stall_timeout_minutes),
        audit_log_retention_days: Number(form.audit_log_retention_days),
        trend_retention_days: Number(form.trend_retention_days)
      })
      setSaved(true)
      settings.reload()
    } catch (err) {
      setError(asFailure(err))
    }
  }
  return (
    <>
      <PageHeader title="Server Config" />
      <Loaded resource={settings} label="Loading settings…">
        {() => (
          <form onSubmit={save} class="panel narrow">
            {saved && <Notice>Settings saved.</Notice>}
            <ErrorNote error={error} />
            <Field
              label="Server URL"
              hint={
                <>
                  The address agents, scripts, gethomepage and Discord use to reach this server. Leave empty to use the address of each
                  request (this page: <code>{location.origin}</code>).
                </>
              }
            >
              <input
                name="server_url"
                type="url"
                value={form.server_url}
                onInput={(e) => set('server_url', e.currentTarget.value)}
                placeholder="https://patchmon.example.com"
              />
            </Field>
            <Field label="Update interval (minutes)" hint="How often agents send a report.">
              <input
                name="update_interval"
                type="number"
                min={5}
                max={1440}
                value={form.update_interval}
                onInput={(e) => set('update_interval', e.currentTarget.value)}
                required
              />
            </Field>
            <Field
              label="Host-down grace period (minutes)"
              hint="A host that misses its report by this long counts as down and alerts; a report inside the grace cancels the alert."
            >
              <input
                name="host_down_grace_minutes"
                type="number"
                min={0}
                max={1440}
                value={form.host_down_grace_minutes}
                onInput={(e) => set('host_down_grace_minutes', e.currentTarget.value)}
                required
              />
            </Field>
            <Field
              label="Patch run stall timeout (minutes)"
              hint="A running patch run with no output from its agent for this long is marked timed out. The PATCH_RUN_STALL_TIMEOUT_MIN environment variable wins when set."
            >
              <input
                name="patch_run_stall_timeout_minutes"
                type="number"
                min={5}
                max={10080}
                value={form.patch_run_stall_timeout_minutes}
                onInput={(e) => set('patch_run_stall_timeout_minutes', e.currentTarget.value)}
                required
              />
            </Field>
            <Field label="Audit log retention (days)" hint="Audit log entries older than this are removed (checked every 6 hours).">
              <input
                name="audit_log_retention_days"
                type="number"
                min={1}
                max={3650}
                value={form.audit_log_retention_days}
                onInput={(e) => set('audit_log_retention_days', e.currentTarget.value)}
                required
              />
            </Field>
            <Field label="Trend retention (days)" hint="Daily trend figures older than this are removed (after each daily snapshot).">
              <input
                name="trend_retention_days"
                type="number"
                min={30}
                max={3650}
                value={form.trend_retention_days}
                onInput={(e) => set('trend_retention_days', e.currentTarget.value)}
                required
              />
            </Field>
            <label class="check">
              <input
                type="checkbox"
                checked={form.ignore_ssl_self_signed}
                onChange={(e) => set('ignore_ssl_self_signed', e.currentTarget.checked)}
              />{' '}
              Accept a self-signed certificate in install and enrollment scripts (curl -k)
            </label>
            <label class="check">
              <input type="checkbox" checked={form.auto_update} onChange={(e) => set('auto_update', e.currentTarget.checked)} /> Let agents
              update themselves
            </label>
            <label class="check">
              <input
                type="checkbox"
                checked={form.notify_allow_private_networks}
                onChange={(e) => set('notify_allow_private_networks', e.currentTarget.checked)}
              />{' '}
              Let notifications reach LAN addresses (10/8, 172.16/12, 192.168/16, fc00::/7, 100.64/10), e.g. a local ntfy or Gotify
            </label>
            <Field
              label="Notification targets allowed although not public"
              hint="Host names (ntfy.lan, or .home.arpa for a whole domain), addresses or CIDR ranges, comma-separated. Loopback and link-local (cloud metadata) addresses are only reachable when listed here."
            >
              <input
                name="notify_allowed_targets"
                value={form.notify_allowed_targets}
                onInput={(e) => set('notify_allowed_targets', e.currentTarget.value)}
                placeholder="127.0.0.1, ntfy.lan, 192.168.10.0/24"
              />
            </Field>
            <div class="actions">
              <button type="submit" class="button button-primary">
                Save
              </button>
            </div>
          </form>
        )}
      </Loaded>
    </>
  )
}
