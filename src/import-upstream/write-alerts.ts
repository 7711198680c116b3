// Writes notification destinations and routing rules (notifications/), server settings
// (settings/), Discord sign-in (discord-login/) and patch policies (patching/) through their owners.
import { ApiError } from '../http/errors.js'
import { insertDestination } from '../notifications/destination-store.js'
import { createRule } from '../notifications/route-rule-store.js'
import { SettingsStore } from '../settings/settings-store.js'
import { importDiscordSettings } from '../discord-login/discord-settings.js'
import { policyFields } from '../patching/policies/policy-service.js'
import { assignmentOfTarget, insertAssignment, insertExclusion, insertPolicy } from '../patching/policies/policy-queries.js'
import { newId } from '../security/random-tokens.js'
import type { ImportContext } from './import-context.js'
import { mapDestination, mapDiscord, mapRoute, mapSettings } from './map-alerts.js'
import type { UpstreamDestination, UpstreamPolicy, UpstreamRoute } from './read-alerts.js'
import type { UpstreamSettings } from './read-accounts.js'

export async function writeDestinations(ctx: ImportContext, destinations: UpstreamDestination[]): Promise<void> {
  for (const d of destinations) {
    const mapped = mapDestination(d, ctx.keys)
    if ('skipped' in mapped) {
      ctx.summary.note(mapped.skipped)
      continue
    }
    if (mapped.note) ctx.summary.note(mapped.note)
    ctx.summary.count('notification destinations')
    if (ctx.dryRun) {
      ctx.destinationIds.set(d.id, d.id)
      continue
    }
    const { upstreamId, note: _note, ...input } = mapped
    const created = await insertDestination(ctx.store.db, ctx.box, input)
    ctx.destinationIds.set(upstreamId, created.id)
  }
}

export async function writeRoutes(ctx: ImportContext, routes: UpstreamRoute[], destinationNames: Map<string, string>): Promise<void> {
  for (const r of routes) {
    const describe = `notification rule to "${destinationNames.get(r.destination_id) ?? r.destination_id}"`
    const destinationId = ctx.destinationIds.get(r.destination_id)
    if (!destinationId) {
      ctx.summary.note(`${describe}: skipped with its destination`)
      continue
    }
    const mapped = mapRoute(r, describe)
    if ('skipped' in mapped) {
      ctx.summary.note(mapped.skipped)
      continue
    }
    for (const note of mapped.notes) ctx.summary.note(note)
    const groups = mapped.hostGroupUpstreamIds.map((id) => ctx.groupIds.get(id)).filter((id): id is string => id !== undefined)
    ctx.summary.count('notification rules')
    if (ctx.dryRun) continue
    await createRule(ctx.store.db, {
      destination_id: destinationId,
      event_types: mapped.eventTypes,
      min_severity: mapped.minSeverity,
      host_group_ids: groups,
      enabled: mapped.enabled
    })
  }
}

export async function writeSettings(ctx: ImportContext, settings: UpstreamSettings | undefined): Promise<void> {
  if (!settings) return
  const mapped = mapSettings(settings)
  for (const note of mapped.notes) ctx.summary.note(note)
  ctx.summary.count('server settings (URL, intervals, sign-up)', Object.keys(mapped.values).length)
  const discord = mapDiscord(settings, ctx.keys)
  if (discord?.note) ctx.summary.note(discord.note)
  if (discord) ctx.summary.count('Discord sign-in settings')
  if (ctx.dryRun) return
  await new SettingsStore(ctx.store.db).setMany(mapped.values)
  if (discord) await importDiscordSettings(ctx.store.db, ctx.box, discord)
}

export async function writePolicies(ctx: ImportContext, policies: UpstreamPolicy[]): Promise<void> {
  const now = new Date().toISOString()
  for (const p of policies) {
    let fields
    try {
      fields = policyFields({ ...p, delay_minutes: p.delay_minutes === null ? null : Number(p.delay_minutes) })
    } catch (err) {
      if (!(err instanceof ApiError)) throw err
      ctx.summary.note(`patch policy "${p.name}": not accepted here (${err.message})`)
      continue
    }
    if (p.timezone && p.timezone !== 'UTC')
      ctx.summary.note(`patch policy "${p.name}": its time zone ${p.timezone} is not kept; fixed times are UTC here`)
    ctx.summary.count('patch policies')
    const id = newId()
    if (!ctx.dryRun) await insertPolicy(ctx.store.db, id, fields, now)
    for (const a of p.assignments) {
      const target = a.target_type === 'host' ? (ctx.hostIds.has(a.target_id) ? a.target_id : undefined) : ctx.groupIds.get(a.target_id)
      if (!target || (a.target_type !== 'host' && a.target_type !== 'host_group')) {
        ctx.summary.note(`patch policy "${p.name}": an assignment to a ${a.target_type} that was not imported is dropped`)
        continue
      }
      if (await assignmentOfTarget(ctx.store.db, a.target_type, target)) {
        ctx.summary.note(`patch policy "${p.name}": its ${a.target_type} already follows a policy here; kept that`)
        continue
      }
      ctx.summary.count('patch policy assignments')
      if (!ctx.dryRun)
        await insertAssignment(ctx.store.db, { id: newId(), patch_policy_id: id, target_type: a.target_type, target_id: target }, now)
    }
    for (const hostId of p.exclusions.filter((h) => ctx.hostIds.has(h))) {
      ctx.summary.count('patch policy exclusions')
      if (!ctx.dryRun) await insertExclusion(ctx.store.db, { id: newId(), patch_policy_id: id, host_id: hostId }, now)
    }
  }
}
