// The one sentence a confirmation shows and the audit log keeps: it names the action, how many hosts
// it touches, the first few of them and what cannot be undone ("Delete 12 hosts: web-1, web-2,
// web-3 and 9 more; their package history is removed"). Built on the server so the API, the
// dashboard and the audit entry say the same thing. The preview reply is shaped here too.
import type { Plan } from './bulk-plan.js'

const NAMED = 3

const hosts = (n: number) => (n === 1 ? '1 host' : `${n} hosts`)

function named(names: string[]): string {
  if (names.length === 0) return ''
  const shown = names.slice(0, NAMED).join(', ')
  return names.length > NAMED ? `: ${shown} and ${names.length - NAMED} more` : `: ${shown}`
}

function listOf(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`
}

export function describePlan(plan: Plan): string {
  const applied = plan.items.filter((i) => i.outcome === 'apply').map((i) => i.friendly_name ?? i.host_id)
  const skipped = plan.items.length - applied.length
  const n = applied.length
  const who = named(applied)
  const groups = listOf(plan.groups.map((g) => g.name))
  let sentence: string
  switch (plan.action) {
    case 'assign_groups':
      sentence = `Add ${hosts(n)} to ${groups}${who}`
      break
    case 'remove_groups':
      sentence = `Remove ${hosts(n)} from ${groups}${who}`
      break
    case 'report_now':
      sentence = `Ask ${hosts(n)} to report now${who}`
      break
    case 'update_agent':
      sentence = `Ask ${hosts(n)} to update their agent${who}`
      break
    case 'rotate_credentials':
      sentence = `Issue new API credentials for ${hosts(n)}${who}; their current keys stop working at once`
      break
    case 'delete':
      sentence = `Delete ${hosts(n)}${who}; their package history is removed`
      break
  }
  return skipped > 0 ? `${sentence}. ${hosts(skipped)} skipped (reasons listed per host)` : sentence
}

/** Warnings for the whole batch: what applying it costs beyond the hosts themselves. */
export function planWarnings(plan: Plan): string[] {
  if (plan.action !== 'rotate_credentials') return []
  const cut = plan.items.filter((i) => i.warning !== null).length
  if (cut === 0) return []
  return [
    `${cut === 1 ? '1 host has' : `${cut} hosts have`} a running agent that cannot receive its new key: ` +
      `each stops reporting until you install the new key on it (patchmon-agent config set-api <api_id> <api_key>). ` +
      `The new keys are shown once, after the rotation.`
  ]
}

/** The preview reply: the plan with its sentence, warnings and counts. */
export function previewBatch(plan: Plan) {
  const count = (outcome: string) => plan.items.filter((i) => i.outcome === outcome).length
  return {
    action: plan.action,
    summary: describePlan(plan),
    warnings: planWarnings(plan),
    host_ids: plan.items.map((i) => i.host_id),
    total: plan.items.length,
    will_apply: count('apply'),
    will_skip: count('skip'),
    hosts: plan.items
  }
}
