// Host down / up, decided here (Beszel style): a host is down when its last report is older than
// the update interval plus a grace period, so one late report pages nobody. "Came up" is sent only
// after a "went down" was sent; the per-host state lives in host_alert_states so it survives
// restarts. Hosts that never reported are "awaiting first report", not down. After the server
// itself was down, agents could not report either: a host only counts as down once the server has
// been watching for a full interval + grace (`watchingSince`), so a restart pages nobody.
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import type { AppEvents } from '../events/app-events.js'
import { emitCommitted, writeOutbox } from '../events/event-outbox.js'
import type { SettingsStore } from '../settings/settings-store.js'

export interface HostDownCheck {
  wentDown: string[]
  cameUp: string[]
}

export async function checkHostsDown(db: Kysely<DB>, settings: SettingsStore, events: AppEvents, now: Date, watchingSince: Date): Promise<HostDownCheck> {
  const interval = await settings.get('update_interval')
  const grace = await settings.get('host_down_grace_minutes')
  const thresholdSeconds = Math.max(1, (Number(interval) + Number(grace)) * 60)
  const hosts = await db.selectFrom('hosts').select(['id', 'friendly_name', 'last_update', 'status']).where('last_update', 'is not', null).execute()
  const states = new Map((await db.selectFrom('host_alert_states').selectAll().execute()).map((s) => [s.host_id, s]))
  const result: HostDownCheck = { wentDown: [], cameUp: [] }
  for (const host of hosts) {
    if (host.status === 'inactive' || host.status === 'disabled') continue
    const lastUpdate = host.last_update as string
    const silentSeconds = (now.getTime() - Date.parse(lastUpdate)) / 1000
    const watchedSeconds = (now.getTime() - watchingSince.getTime()) / 1000
    const state = states.get(host.id)
    if (silentSeconds > thresholdSeconds && watchedSeconds > thresholdSeconds && !state) {
      // The state and the outbox row commit together: a crash after the commit still alerts (the
      // row is routed on the next start), and the state keeps the next check from alerting twice.
      const entry = await db.transaction().execute(async (trx) => {
        await trx.insertInto('host_alert_states').values({ host_id: host.id, down_since: lastUpdate, notified_at: now.toISOString() }).execute()
        return writeOutbox(trx, 'host_went_down', { hostId: host.id, hostName: host.friendly_name, lastUpdate, thresholdSeconds }, now)
      })
      emitCommitted(events, entry)
      result.wentDown.push(host.id)
    } else if (silentSeconds <= thresholdSeconds && state) {
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
