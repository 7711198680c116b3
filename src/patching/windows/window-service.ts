// Maintenance windows: a cron start and a duration, on a host or a host group. A host with windows is
// only patched inside one of them (start and end included, so a reboot "at window end" still fits);
// a host without windows may be patched at any time. The guard runs before a run is stored: a run
// asked for now outside every window is refused with the next opening named; a scheduled or delayed
// run is moved to the next opening instead.
import type { Kysely } from 'kysely'
import type { DB, PatchRunRow } from '../../store/database-types.js'
import { ApiError, COMMON, notFound } from '../../http/errors.js'
import { hostById } from '../../hosts/host-read-queries.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import { newId } from '../../security/random-tokens.js'
import { cronFromInput, nextAfter, type CronOrPickerInput } from '../patch-cron.js'
import { checkedTargetName, targetsCoveringHost, type PatchTarget } from '../patch-targets.js'
import { deleteWindow, findWindow, insertWindow, windowsForTargets, type WindowRow } from './window-queries.js'

const MINUTE = 60_000

export interface OpenWindow {
  window: WindowRow
  opensAt: Date
  closesAt: Date
}

/** The occurrence of this window that contains `at`, if any. */
export function openOccurrence(window: WindowRow, at: Date, timeZone?: string): OpenWindow | null {
  // The first opening after (at - duration - 1 s): if it is not later than `at`, `at` lies inside it.
  const opensAt = nextAfter(window.cron, new Date(at.getTime() - window.duration_minutes * MINUTE - 1000), timeZone)
  if (!opensAt || opensAt.getTime() > at.getTime()) return null
  return { window, opensAt, closesAt: new Date(opensAt.getTime() + window.duration_minutes * MINUTE) }
}

/** The open occurrence that stays open longest at `at`, or null. */
export function openWindowAt(windows: WindowRow[], at: Date, timeZone?: string): OpenWindow | null {
  let best: OpenWindow | null = null
  for (const w of windows) {
    const open = openOccurrence(w, at, timeZone)
    if (open && (!best || open.closesAt > best.closesAt)) best = open
  }
  return best
}

/** The next window to open strictly after `at`, or null when none ever opens again. */
export function nextOpening(windows: WindowRow[], at: Date, timeZone?: string): OpenWindow | null {
  let best: OpenWindow | null = null
  for (const w of windows) {
    const opensAt = nextAfter(w.cron, at, timeZone)
    if (opensAt && (!best || opensAt < best.opensAt))
      best = { window: w, opensAt, closesAt: new Date(opensAt.getTime() + w.duration_minutes * MINUTE) }
  }
  return best
}

/** Checks the target and the timing, then stores the window. */
export async function createWindow(
  db: Kysely<DB>,
  input: CronOrPickerInput & PatchTarget & { name: string; duration_minutes: number },
  userId: string
): Promise<{ row: WindowRow; targetName: string }> {
  const targetName = await checkedTargetName(db, input)
  const now = new Date().toISOString()
  const row: WindowRow = {
    id: newId(),
    name: input.name.trim(),
    target_type: input.target_type,
    target_id: input.target_id,
    cron: cronFromInput(input),
    duration_minutes: input.duration_minutes,
    created_by_user_id: userId,
    created_at: now,
    updated_at: now
  }
  await insertWindow(db, row)
  return { row, targetName }
}

export async function windowsOfHost(db: Kysely<DB>, hostId: string): Promise<WindowRow[]> {
  return windowsForTargets(db, await targetsCoveringHost(db, hostId))
}

export type WindowVerdict = { kind: 'free' } | { kind: 'inside'; open: OpenWindow } | { kind: 'moved'; open: OpenWindow }

/**
 * Where a run due at `at` may go. `mayWait` (scheduled and delayed runs): moved to the next opening.
 * Otherwise a run outside every window is refused (409) with the next opening in the message.
 */
export async function checkWindow(db: Kysely<DB>, hostId: string, at: Date, mayWait: boolean): Promise<WindowVerdict> {
  const windows = await windowsOfHost(db, hostId)
  if (windows.length === 0) return { kind: 'free' }
  const open = openWindowAt(windows, at)
  if (open) return { kind: 'inside', open }
  const next = nextOpening(windows, at)
  if (next && mayWait) return { kind: 'moved', open: next }
  const e = ERROR_MESSAGES.patchWindows.outsideWindow
  const message = next
    ? `Next opening: "${next.window.name}" at ${next.opensAt.toISOString()} (${next.window.duration_minutes} minutes)`
    : `No maintenance window of this host opens again (${windows.map((w) => `"${w.name}"`).join(', ')})`
  throw new ApiError(e.status, { error: e.message, message })
}

/**
 * The dispatch guard: a real run still waiting while none of its host's windows is open is not sent.
 * It fails with the window it was due in, so nothing starts outside a window even if the agent was
 * away for the whole window and reconnects later.
 */
export async function windowClosedReason(db: Kysely<DB>, run: PatchRunRow, now: Date): Promise<string | undefined> {
  if (run.dry_run === 1 || run.status !== 'queued') return undefined
  const windows = await windowsOfHost(db, run.host_id)
  if (windows.length === 0 || openWindowAt(windows, now)) return undefined
  const due = openWindowAt(windows, new Date(run.run_at))
  if (due)
    return `Not started: the maintenance window "${due.window.name}" closed at ${due.closesAt.toISOString()} before the run could start`
  return 'Not started: outside every maintenance window of this host'
}

/** GET /hosts/:hostId/window: is the host inside a window now, and when does the next one open. */
export async function hostWindowState(db: Kysely<DB>, hostId: string, now: Date) {
  if (!(await hostById(db, hostId))) throw notFound(COMMON.hostNotFound)
  const windows = await windowsOfHost(db, hostId)
  const shape = (o: OpenWindow | null) =>
    o && { window_id: o.window.id, name: o.window.name, opens_at: o.opensAt.toISOString(), closes_at: o.closesAt.toISOString() }
  const current = openWindowAt(windows, now)
  return {
    host_id: hostId,
    has_windows: windows.length > 0,
    open_now: current !== null,
    current: shape(current),
    next: shape(nextOpening(windows, now))
  }
}

/** Deletes a window and returns what it was (for the audit record); 404 when there is none. */
export async function removeWindow(db: Kysely<DB>, id: string): Promise<WindowRow> {
  const row = await findWindow(db, id)
  if (!row || !(await deleteWindow(db, row.id))) throw notFound(ERROR_MESSAGES.patchWindows.notFound.message)
  return row
}
