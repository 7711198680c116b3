// When a triggered run becomes due (facts/patching.md §8): the host's effective policy — a direct
// host assignment wins, else the first of its groups whose policy does not exclude it, else
// "Default (immediate)" — turned into a time: now, now + N minutes, or the next HH:MM[:SS] in the
// server's time zone (croner handles DST: a time inside a gap rolls forward).
import { Cron } from 'croner'
import type { Kysely } from 'kysely'
import type { DB, PatchPolicyRow } from '../../store/database-types.js'
import { groupsOfHost } from '../../hosts/host-read-queries.js'
import { policyForTarget, isHostExcluded } from './policy-queries.js'

export const DEFAULT_POLICY_NAME = 'Default (immediate)'
export const FIXED_TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/

export interface RunTiming {
  runAt: Date
  policyId: string | null
  policyName: string
  patchDelayType: string
  snapshot: Record<string, unknown>
}

/** The organisation's time zone: TZ/TIMEZONE from the environment, else the process default, else UTC. */
export function serverTimeZone(env: NodeJS.ProcessEnv = process.env): string {
  for (const candidate of [env.TIMEZONE, env.TZ, Intl.DateTimeFormat().resolvedOptions().timeZone]) {
    if (!candidate) continue
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: candidate })
      return candidate
    } catch {
      // not a zone name: try the next source
    }
  }
  return 'UTC'
}

export async function effectivePolicy(db: Kysely<DB>, hostId: string): Promise<PatchPolicyRow | undefined> {
  const direct = await policyForTarget(db, 'host', hostId)
  if (direct) return direct
  for (const group of await groupsOfHost(db, hostId)) {
    const policy = await policyForTarget(db, 'host_group', group.id)
    if (policy && !(await isHostExcluded(db, policy.id, hostId))) return policy
  }
  return undefined
}

/** Next occurrence of HH:MM[:SS] after `now` in `timeZone`; undefined for a malformed time. */
export function nextFixedTime(fixed: string, now: Date, timeZone: string): Date | undefined {
  const m = FIXED_TIME.exec(fixed)
  if (!m) return undefined
  const next = new Cron(`${Number(m[3] ?? 0)} ${Number(m[2])} ${Number(m[1])} * * *`, { timezone: timeZone }).nextRun(now)
  return next ?? undefined
}

export function timingOf(policy: PatchPolicyRow | undefined, now: Date, timeZone: string): RunTiming {
  if (!policy) {
    return {
      runAt: now,
      policyId: null,
      policyName: DEFAULT_POLICY_NAME,
      patchDelayType: 'immediate',
      snapshot: { patch_delay_type: 'immediate' }
    }
  }
  const snapshot: Record<string, unknown> = {
    name: policy.name,
    patch_delay_type: policy.patch_delay_type,
    delay_minutes: policy.delay_minutes,
    fixed_time_utc: policy.fixed_time_utc,
    timezone: policy.timezone
  }
  let runAt = now
  if (policy.patch_delay_type === 'delayed' && policy.delay_minutes !== null)
    runAt = new Date(now.getTime() + policy.delay_minutes * 60_000)
  if (policy.patch_delay_type === 'fixed_time' && policy.fixed_time_utc) {
    snapshot.schedule_timezone = timeZone
    // A malformed stored time runs now, as upstream does.
    runAt = nextFixedTime(policy.fixed_time_utc, now, timeZone) ?? now
  }
  return { runAt, policyId: policy.id, policyName: policy.name, patchDelayType: policy.patch_delay_type, snapshot }
}

export async function runTiming(db: Kysely<DB>, hostId: string, now: Date, timeZone = serverTimeZone()): Promise<RunTiming> {
  return timingOf(await effectivePolicy(db, hostId), now, timeZone)
}
