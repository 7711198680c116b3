// Patch runs in words: a status's badge colour and label, what a run patches, and which statuses
// allow which action (the server decides; these only hide buttons that would be refused).
import type { PatchRun } from './patching-types'

const STATUS_LABELS: Record<string, [label: string, kind: 'ok' | 'bad' | 'warn' | 'info' | 'muted']> = {
  queued: ['queued', 'info'],
  running: ['running', 'info'],
  completed: ['completed', 'ok'],
  failed: ['failed', 'bad'],
  cancelled: ['cancelled', 'muted'],
  timed_out: ['timed out', 'bad'],
  agent_disconnected: ['agent disconnected', 'bad'],
  pending_validation: ['dry run pending', 'warn'],
  pending_approval: ['awaiting approval', 'warn'],
  validated: ['dry run done, awaiting approval', 'warn'],
  approved: ['approved', 'muted'],
  scheduled: ['scheduled', 'info']
}

export function statusLabel(status: string): string {
  return STATUS_LABELS[status]?.[0] ?? status.replace(/_/g, ' ')
}

export function statusKind(status: string): string {
  return STATUS_LABELS[status]?.[1] ?? 'muted'
}

/** Statuses the History filter offers, in the order people look for them. */
export const FILTER_STATUSES = [
  'running',
  'queued',
  'completed',
  'failed',
  'cancelled',
  'timed_out',
  'agent_disconnected',
  'pending_validation',
  'pending_approval',
  'validated',
  'approved'
] as const

export const APPROVABLE = new Set(['pending_validation', 'validated', 'pending_approval'])
/** Stop is offered while the agent may still be working on the run. */
export const STOPPABLE = new Set(['queued', 'running', 'pending_validation'])
/** Runs the agent has not started yet may be deleted (upstream's rule). */
export const DELETABLE = new Set(['queued', 'pending_validation', 'pending_approval', 'validated', 'approved', 'scheduled'])
export const FINISHED = new Set(['completed', 'failed', 'cancelled', 'timed_out', 'agent_disconnected', 'validated', 'approved'])

type RunWhat = Pick<PatchRun, 'patch_type' | 'package_name' | 'package_names'>

export function runPackages(run: RunWhat): string[] {
  if (run.package_names && run.package_names.length > 0) return run.package_names
  return run.package_name ? [run.package_name] : []
}

/** "All packages", "openssl", "3 packages (a, b, c)", "Reboot". */
export function runWhat(run: RunWhat): string {
  if (run.patch_type === 'reboot') return 'Reboot'
  if (run.patch_type === 'patch_all') return 'All packages'
  const names = runPackages(run)
  if (names.length === 1) return names[0] ?? ''
  const shown = names.slice(0, 3).join(', ')
  return `${names.length} packages (${shown}${names.length > 3 ? ', …' : ''})`
}

export function hostName(run: Pick<PatchRun, 'hosts' | 'host_id'>): string {
  return run.hosts?.friendly_name || run.hosts?.hostname || run.host_id
}
