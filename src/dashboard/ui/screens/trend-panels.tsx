// Trends on the overview (fleet lines and mean time to patch per host group) and on the host page
// (that host's lines). Days come from the daily snapshot (docs/trends.md): a line starts the day
// after the server was first up, and a day it was down is a gap.
import type { Static } from 'typebox'
import { useMemo, useState } from 'preact/hooks'
import type { FleetTrendReply, HostTrendReply, PatchTimeReply } from '../../../trends/trend-schemas.js'
import { useApi } from '../use-api'
import { EmptyState, Loaded } from '../components/feedback'
import { formatDate } from '../components/controls'
import { TrendChart, type TrendLine } from '../components/trend-chart'

type Fleet = Static<typeof FleetTrendReply>
type HostTrend = Static<typeof HostTrendReply>
type PatchTimes = Static<typeof PatchTimeReply>

const WINDOWS = [30, 90, 365] as const

function WindowPicker({ days, onChange }: { days: number; onChange: (d: number) => void }) {
  return (
    <select value={String(days)} onChange={(e) => onChange(Number(e.currentTarget.value))} aria-label="Trend period">
      {WINDOWS.map((d) => (
        <option value={String(d)}>Last {d} days</option>
      ))}
    </select>
  )
}

const dash = (v: number | null | undefined, digits = 0) =>
  v === null || v === undefined ? '—' : v.toLocaleString(undefined, { maximumFractionDigits: digits })

const NO_DATA =
  'Figures are recorded once a day (shortly after midnight UTC, or when the server starts); the first point appears after the first snapshot.'

export function FleetTrends() {
  const [days, setDays] = useState(90)
  const fleet = useApi<Fleet>(`/api/v1/trends/fleet?days=${days}`)
  const times = useApi<PatchTimes>(`/api/v1/trends/mean-time-to-patch?days=${days}`)
  return (
    <section class="panel" aria-label="Fleet trends">
      <div class="panel-head">
        <h2>Trends</h2>
        <WindowPicker days={days} onChange={setDays} />
      </div>
      <Loaded resource={fleet} label="Loading trends…">
        {(f) => <FleetChart fleet={f} />}
      </Loaded>
      <h3>Mean time to patch a security update</h3>
      <Loaded resource={times} label="Loading patch times…">
        {(t) => <PatchTimeTable times={t} />}
      </Loaded>
    </section>
  )
}

function FleetChart({ fleet }: { fleet: Fleet }) {
  const { dayList, lines } = useMemo(() => {
    const p = fleet.points
    const lines: TrendLine[] = [
      { label: 'Outdated packages', color: '--accent', values: p.map((x) => x.outdated_packages) },
      { label: 'Security updates', color: '--bad', values: p.map((x) => x.security_updates) },
      { label: 'Hosts needing a reboot', color: '--warn', values: p.map((x) => x.hosts_needing_reboot) },
      { label: 'CVEs open', color: '--ok', values: p.map((x) => x.cves_open) },
      { label: 'Days since last patch (mean)', color: '--muted', values: p.map((x) => x.days_since_patch), days: true }
    ]
    return { dayList: p.map((x) => x.day), lines }
  }, [fleet])
  const latest = fleet.points[fleet.points.length - 1]
  if (!latest) return <p class="muted">{NO_DATA}</p>
  return (
    <>
      <TrendChart
        days={dayList}
        lines={lines}
        label="Fleet outdated packages, security updates, reboots, CVEs and days since patch per day"
      />
      <p class="muted small" data-testid="fleet-trend-latest">
        {latest.day}: {latest.hosts} hosts · {dash(latest.outdated_packages)} outdated · {dash(latest.security_updates)} security ·{' '}
        {dash(latest.hosts_needing_reboot)} need a reboot · CVEs open {dash(latest.cves_open)} · {dash(latest.days_since_patch, 1)} days
        since last patch (mean)
      </p>
    </>
  )
}

const hours = (h: number | null) => (h === null ? '—' : h < 48 ? `${h.toFixed(1)} h` : `${(h / 24).toFixed(1)} d`)

function PatchTimeTable({ times }: { times: PatchTimes }) {
  if (times.groups.every((g) => g.resolved === 0 && g.open === 0))
    return <p class="muted">No security update has appeared on a host since {formatDate(times.since)}.</p>
  return (
    <div class="table-wrap">
      <table class="table" aria-label="Mean time to patch per host group">
        <thead>
          <tr>
            <th scope="col">Hosts</th>
            <th scope="col">Patched</th>
            <th scope="col">Mean</th>
            <th scope="col">Median</th>
            <th scope="col">Still open</th>
          </tr>
        </thead>
        <tbody>
          {times.groups.map((g) => (
            <tr>
              <td>{g.group_id === null ? <strong>{g.name}</strong> : <span class="chip">{g.name}</span>}</td>
              <td>{g.resolved}</td>
              <td>{hours(g.mean_hours)}</td>
              <td>{hours(g.median_hours)}</td>
              <td>{g.open}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function HostTrends({ hostId }: { hostId: string }) {
  const [days, setDays] = useState(90)
  const trend = useApi<HostTrend>(`/api/v1/trends/hosts/${encodeURIComponent(hostId)}?days=${days}`)
  return (
    <>
      <div class="panel-head">
        <h2>Trends</h2>
        <WindowPicker days={days} onChange={setDays} />
      </div>
      <Loaded resource={trend} label="Loading trends…">
        {(h) => <HostChart trend={h} />}
      </Loaded>
    </>
  )
}

function HostChart({ trend }: { trend: HostTrend }) {
  const { dayList, lines } = useMemo(() => {
    const p = trend.points
    const lines: TrendLine[] = [
      { label: 'Outdated packages', color: '--accent', values: p.map((x) => x.outdated_packages) },
      { label: 'Security updates', color: '--bad', values: p.map((x) => x.security_updates) },
      { label: 'CVEs open', color: '--ok', values: p.map((x) => x.cves_open) },
      { label: 'Days since last patch', color: '--muted', values: p.map((x) => x.days_since_patch), days: true }
    ]
    return { dayList: p.map((x) => x.day), lines }
  }, [trend])
  const latest = trend.points[trend.points.length - 1]
  return (
    <>
      <p class="muted small">Last patched: {trend.last_patched_at ? formatDate(trend.last_patched_at) : '— (no patch seen yet)'}</p>
      {latest ? (
        <>
          <TrendChart
            days={dayList}
            lines={lines}
            label="This host's outdated packages, security updates, CVEs and days since patch per day"
          />
          <p class="muted small" data-testid="host-trend-latest">
            {latest.day}: {latest.outdated_packages} outdated · {latest.security_updates} security · CVEs open {dash(latest.cves_open)} ·{' '}
            {latest.needs_reboot ? 'reboot needed' : 'no reboot needed'}
          </p>
        </>
      ) : (
        <EmptyState title="No daily figures yet">{NO_DATA}</EmptyState>
      )}
    </>
  )
}
