// How patch-run events read as notices (facts/patching.md §8): titles like "Patch Run Completed - web1"
// or "Dry Run Failed - web1"; the message names the host, the packages (all, one, or "N packages
// (a, b, ...)" capped at five), the policy, the error (at most 300 characters) and the dry-run mode.
import type { PatchRunEvent, Severity } from '../events/app-events.js'
import type { NoticeField } from './notice.js'

type Outcome = 'Started' | 'Completed' | 'Failed' | 'Approved' | 'Cancelled'

interface Rendered {
  severity: Severity
  title: string
  message: string
  fields: NoticeField[]
  hostId: string
  referenceId: string
}

export function packagesText(p: PatchRunEvent): string {
  if (p.patchType === 'reboot') return 'reboot'
  const names = p.packages ?? []
  if (p.patchType === 'patch_all' || names.length === 0) return 'all packages'
  if (names.length === 1) return names[0] as string
  return `${names.length} packages (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''})`
}

const SEVERITY: Record<Outcome, Severity> = {
  Started: 'informational',
  Completed: 'informational',
  Failed: 'error',
  Approved: 'informational',
  Cancelled: 'warning'
}

function render(outcome: Outcome, p: PatchRunEvent): Rendered {
  const kind = p.dryRun ? 'Dry Run' : 'Patch Run'
  const error = p.errorMessage ? p.errorMessage.slice(0, 300) : null
  const lines = [`Host: ${p.hostName}`, `Packages: ${packagesText(p)}`, `Policy: ${p.policyName ?? 'Default (immediate)'}`]
  if (outcome === 'Failed' || outcome === 'Cancelled') lines.push(`Status: ${p.stage}`)
  if (error) lines.push(`Error: ${error}`)
  if (p.dryRun) lines.push('Mode: Dry Run (no changes applied)')
  const fields: NoticeField[] = [
    { name: 'Host', value: p.hostName, inline: true },
    { name: 'Packages', value: packagesText(p), inline: true },
    { name: 'Status', value: p.stage, inline: true }
  ]
  if (error) fields.push({ name: 'Error', value: error, inline: false })
  return {
    severity: SEVERITY[outcome],
    title: `${kind} ${outcome} - ${p.hostName}`,
    message: lines.join('\n'),
    fields,
    hostId: p.hostId,
    referenceId: p.runId
  }
}

export const PATCH_RUN_RENDERERS = {
  patch_run_started: (p: PatchRunEvent) => render('Started', p),
  patch_run_completed: (p: PatchRunEvent) => render('Completed', p),
  patch_run_failed: (p: PatchRunEvent) => render('Failed', p),
  patch_run_approved: (p: PatchRunEvent) => render('Approved', p),
  patch_run_cancelled: (p: PatchRunEvent) => render('Cancelled', p)
}
