// Host down / up, decided here (Beszel style): a host is down when its last report is older than
// the update interval plus a grace period, so one late report pages nobody. "Came up" is sent only
// after a "went down" was sent; the per-host state lives in host_alert_states so it survives
// restarts. Hosts that never reported are "awaiting first report", not down. After the server
// itself was down, agents could not report either: a host only counts as down once the server has
// been watching for a full interval + grace (`watchingSince`), so a restart pages nobody.
// Clock steps: last_update is wall-clock text, and a forward step of the wall clock (VM resumed,
// NTP step) made every host look silent at once. Each check therefore compares how far the wall
// clock moved with how far the monotonic clock moved since the previous check; the difference is
// a step, and a last_update written before it is aged by monotonic time only (its wall age minus
// the step). The watching time of the restart guard is monotonic too.
import { performance } from 'node:perf_hooks'
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import type { AppEvents } from '../events/app-events.js'
import { emitCommitted, writeOutbox } from '../events/event-outbox.js'
import { alertingDownAfterSeconds, isDownForAlerting } from '../hosts/host-status.js'
import { reportedHosts } from '../hosts/host-queries.js'

export interface HostDownCheck {
  wentDown: string[]
  cameUp: string[]
}

/** Wall and monotonic clocks may drift apart this much between checks before it counts as a step. */
const STEP_TOLERANCE_MS = 30_000
/** Steps remembered (a host silent across more steps than this is aged by wall time again). */
const MAX_STEPS = 32
/** A caller's `now` this close to the system clock is the system clock, whose steps are detected. */
const REAL_CLOCK_SLACK_MS = 5_000

interface ClockStep {
  /** The old time base's reading when the step was noticed: last_update values up to it predate the step. */
  oldTimeAtDetection: number
  /** Forward (positive) or backward (negative) size of the step. */
  amountMs: number
}

interface WatchState {
  firstMonoMs: number
  lastWallMs: number
  lastMonoMs: number
  steps: ClockStep[]
}

/** Per watching period (the plugin creates `watchingSince` once per start), so a restart starts afresh. */
const watches = new WeakMap<Date, WatchState>()

function observeClocks(watchingSince: Date, wallMs: number, monoMs: number): WatchState {
  const state = watches.get(watchingSince)
  if (!state) {
    // Watching time before the first monotonic reading can only be taken from the wall clock.
    const fresh = { firstMonoMs: monoMs - Math.max(0, wallMs - watchingSince.getTime()), lastWallMs: wallMs, lastMonoMs: monoMs, steps: [] }
    watches.set(watchingSince, fresh)
    return fresh
  }
  const monoDelta = monoMs - state.lastMonoMs
  const drift = wallMs - state.lastWallMs - monoDelta
  if (Math.abs(drift) > STEP_TOLERANCE_MS) {
    state.steps.push({ oldTimeAtDetection: state.lastWallMs + monoDelta, amountMs: drift })
    if (state.steps.length > MAX_STEPS) state.steps.shift()
  }
  state.lastWallMs = wallMs
  state.lastMonoMs = monoMs
  return state
}

/** Wall-clock age of a last_update, less every clock step that happened after it was written. */
function silentMs(lastUpdateMs: number, nowMs: number, state: WatchState | undefined): number {
  let age = nowMs - lastUpdateMs
  for (const step of state?.steps ?? []) if (lastUpdateMs <= step.oldTimeAtDetection) age -= step.amountMs
  return age
}

/** The two settings the alerting rule reads (the settings store satisfies it; no import of settings/). */
export interface AlertTimingSettings {
  get(key: 'update_interval' | 'host_down_grace_minutes'): Promise<number>
}

/**
 * `monotonicMs` is the monotonic clock's reading for this check (tests pass one together with
 * `now`). When omitted, performance.now() is used if `now` is the system clock; a caller that
 * simulates wall time with its own `now` and no monotonic reading keeps plain wall-clock ages.
 */
export async function checkHostsDown(
  db: Kysely<DB>,
  settings: AlertTimingSettings,
  events: AppEvents,
  now: Date,
  watchingSince: Date,
  monotonicMs?: number
): Promise<HostDownCheck> {
  const mono = monotonicMs ?? (Math.abs(now.getTime() - Date.now()) <= REAL_CLOCK_SLACK_MS ? performance.now() : undefined)
  const clocks = mono === undefined ? undefined : observeClocks(watchingSince, now.getTime(), mono)
  const interval = await settings.get('update_interval')
  const grace = await settings.get('host_down_grace_minutes')
  const thresholdSeconds = alertingDownAfterSeconds(interval, grace)
  const hosts = await reportedHosts(db)
  const states = new Map((await db.selectFrom('host_alert_states').selectAll().execute()).map((s) => [s.host_id, s]))
  const result: HostDownCheck = { wentDown: [], cameUp: [] }
  for (const host of hosts) {
    if (host.status === 'inactive' || host.status === 'disabled') continue
    const lastUpdate = host.last_update as string
    const silentSeconds = silentMs(Date.parse(lastUpdate), now.getTime(), clocks) / 1000
    const watchedSeconds = (clocks && mono !== undefined ? mono - clocks.firstMonoMs : now.getTime() - watchingSince.getTime()) / 1000
    const state = states.get(host.id)
    if (isDownForAlerting(silentSeconds, thresholdSeconds) && watchedSeconds > thresholdSeconds && !state) {
      // The state and the outbox row commit together: a crash after the commit still alerts (the
      // row is routed on the next start), and the state keeps the next check from alerting twice.
      const entry = await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('host_alert_states')
          .values({ host_id: host.id, down_since: lastUpdate, notified_at: now.toISOString() })
          .execute()
        return writeOutbox(trx, 'host_went_down', { hostId: host.id, hostName: host.friendly_name, lastUpdate, thresholdSeconds }, now)
      })
      emitCommitted(events, entry)
      result.wentDown.push(host.id)
    } else if (!isDownForAlerting(silentSeconds, thresholdSeconds) && state) {
      const entry = await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('host_alert_states').where('host_id', '=', host.id).execute()
        return writeOutbox(trx, 'host_came_up', { hostId: host.id, hostName: host.friendly_name, downSince: state.down_since }, now)
      })
      emitCommitted(events, entry)
      result.cameUp.push(host.id)
    }
  }
  return result
}
