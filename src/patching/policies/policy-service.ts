// Patch policies (upstream's timing templates, facts §2.1, §3, §8): validation with upstream's
// messages, and assignments without upstream's unique-constraint 500 (§9 item 6): assigning a target
// to the policy it already has answers the existing assignment; to another policy, 409 naming it.
import type { FastifyInstance } from 'fastify'
import { ApiError, errorOf } from '../../http/errors.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import { newId } from '../../security/random-tokens.js'
import { hostById, hostRefs } from '../../hosts/host-read-queries.js'
import { hostGroupSummary } from '../../hosts/host-queries.js'
import { recordPatchAudit } from '../audit/patch-audit.js'
import { FIXED_TIME } from './run-timing.js'
import * as q from './policy-queries.js'

const E = ERROR_MESSAGES.patching
const err = (e: { message: string; status: number }, message?: string) =>
  new ApiError(e.status, message ? { error: e.message, message } : { error: e.message })
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export interface PolicyBody {
  name?: unknown
  description?: unknown
  patch_delay_type?: unknown
  delay_minutes?: unknown
  fixed_time_utc?: unknown
}

export function policyFields(body: PolicyBody): q.PolicyFields {
  const name = typeof body.name === 'string' ? body.name.trim() : ''
  if (name === '' || name.length > 255) throw err(E.policyNameRequired)
  const type = body.patch_delay_type
  if (type !== 'immediate' && type !== 'delayed' && type !== 'fixed_time') throw err(E.policyDelayTypeInvalid)
  let delay: number | null = null
  let fixed: string | null = null
  if (type === 'delayed') {
    if (
      typeof body.delay_minutes !== 'number' ||
      !Number.isInteger(body.delay_minutes) ||
      body.delay_minutes < 0 ||
      body.delay_minutes > 525_600
    ) {
      throw err(E.policyDelayMinutesRequired)
    }
    delay = body.delay_minutes
  }
  if (type === 'fixed_time') {
    if (typeof body.fixed_time_utc !== 'string' || body.fixed_time_utc.trim() === '') throw err(E.policyFixedTimeRequired)
    if (!FIXED_TIME.test(body.fixed_time_utc.trim())) throw err(E.policyFixedTimeInvalid)
    fixed = body.fixed_time_utc.trim()
  }
  const description = typeof body.description === 'string' && body.description !== '' ? body.description.slice(0, 2000) : null
  return { name, description, patch_delay_type: type, delay_minutes: delay, fixed_time_utc: fixed }
}

async function existingPolicy(app: FastifyInstance, id: string) {
  const policy = UUID.test(id) ? await q.policyById(app.store.db, id) : undefined
  if (!policy) throw err(E.policyNotFound)
  return policy
}

export async function policyList(app: FastifyInstance) {
  const rows = await q.listPolicies(app.store.db)
  return rows.map(({ assignments, exclusions, ...p }) => ({
    ...p,
    _count: { assignments: Number(assignments ?? 0), exclusions: Number(exclusions ?? 0) }
  }))
}

export async function policyDetail(app: FastifyInstance, id: string) {
  const policy = await existingPolicy(app, id)
  const db = app.store.db
  const exclusions = await q.exclusionsOf(db, policy.id)
  const hosts = await hostRefs(
    db,
    exclusions.map((x) => x.host_id)
  )
  return {
    ...policy,
    assignments: await q.assignmentsOf(db, policy.id),
    exclusions: exclusions.map((x) => {
      const h = hosts.get(x.host_id)
      return { ...x, hosts: { id: x.host_id, friendly_name: h?.friendly_name ?? '', hostname: h?.hostname ?? null } }
    })
  }
}

export async function createPolicy(app: FastifyInstance, body: PolicyBody, userId: string) {
  const fields = policyFields(body)
  const id = newId()
  const now = app.patchRuns.now()
  await q.insertPolicy(app.store.db, id, fields, now.toISOString())
  await recordPatchAudit(app.store.db, { action: 'policy_create', userId, policyId: id, details: { ...fields } }, now)
  return existingPolicy(app, id)
}

/** A user limited to host groups changes only policies that govern none but their hosts. */
async function changeablePolicy(app: FastifyInstance, id: string) {
  const policy = await existingPolicy(app, id)
  if (await q.policyReachesBeyondScope(app.store.db, policy.id)) throw errorOf(ERROR_MESSAGES.access.policyBeyondScope)
  return policy
}

export async function updatePolicy(app: FastifyInstance, id: string, body: PolicyBody, userId: string) {
  await changeablePolicy(app, id)
  const fields = policyFields(body)
  const now = app.patchRuns.now()
  await q.updatePolicy(app.store.db, id, fields, now.toISOString())
  await recordPatchAudit(app.store.db, { action: 'policy_update', userId, policyId: id, details: { ...fields } }, now)
  return existingPolicy(app, id)
}

export async function removePolicy(app: FastifyInstance, id: string, userId: string): Promise<void> {
  const policy = await changeablePolicy(app, id)
  await q.deletePolicy(app.store.db, policy.id)
  await recordPatchAudit(
    app.store.db,
    { action: 'policy_delete', userId, policyId: policy.id, details: { name: policy.name } },
    app.patchRuns.now()
  )
}

export async function policyAssignments(app: FastifyInstance, id: string) {
  const policy = await existingPolicy(app, id)
  return q.assignmentsOf(app.store.db, policy.id)
}

export async function assign(app: FastifyInstance, id: string, body: { target_type?: unknown; target_id?: unknown }, userId: string) {
  const policy = await existingPolicy(app, id)
  const db = app.store.db
  const type = body.target_type
  if (type !== 'host' && type !== 'host_group') throw err(E.assignmentTargetTypeInvalid)
  if (typeof body.target_id !== 'string' || !UUID.test(body.target_id)) throw err(E.assignmentTargetRequired)
  const targetId = body.target_id.toLowerCase()
  const exists = type === 'host' ? await hostById(db, targetId) : await hostGroupSummary(db, targetId)
  if (!exists) throw err(E.assignmentTargetNotFound)
  const current = await q.assignmentOfTarget(db, type, targetId)
  if (current && current.patch_policy_id === policy.id) return { created: false, assignment: current }
  if (current) {
    const other = await q.policyById(db, current.patch_policy_id)
    throw err(E.assignedToOtherPolicy, `It is assigned to "${other?.name ?? current.patch_policy_id}"; remove that assignment first`)
  }
  const now = app.patchRuns.now()
  const assignmentId = newId()
  await q.insertAssignment(db, { id: assignmentId, patch_policy_id: policy.id, target_type: type, target_id: targetId }, now.toISOString())
  await recordPatchAudit(
    db,
    { action: 'policy_assign', userId, policyId: policy.id, details: { target_type: type, target_id: targetId } },
    now
  )
  return { created: true, assignment: (await q.assignmentOfTarget(db, type, targetId)) as NonNullable<typeof current> }
}

export async function unassign(app: FastifyInstance, id: string, assignmentId: string, userId: string): Promise<void> {
  const policy = await existingPolicy(app, id)
  if (!(await q.deleteAssignment(app.store.db, policy.id, assignmentId))) throw err(E.assignmentNotFound)
  await recordPatchAudit(
    app.store.db,
    { action: 'policy_unassign', userId, policyId: policy.id, details: { assignment_id: assignmentId } },
    app.patchRuns.now()
  )
}

export async function exclude(app: FastifyInstance, id: string, body: { host_id?: unknown }, userId: string) {
  const policy = await existingPolicy(app, id)
  const db = app.store.db
  if (typeof body.host_id !== 'string' || !UUID.test(body.host_id)) throw err(E.hostIdRequired)
  const host = await hostById(db, body.host_id.toLowerCase())
  if (!host) throw err(E.hostNotFound)
  const existing = await q.exclusionOf(db, policy.id, host.id)
  if (existing) return { created: false, exclusion: existing }
  const now = app.patchRuns.now()
  await q.insertExclusion(db, { id: newId(), patch_policy_id: policy.id, host_id: host.id }, now.toISOString())
  await recordPatchAudit(db, { action: 'policy_exclude', userId, policyId: policy.id, hostId: host.id }, now)
  return { created: true, exclusion: (await q.exclusionOf(db, policy.id, host.id)) as NonNullable<typeof existing> }
}

export async function unexclude(app: FastifyInstance, id: string, hostId: string, userId: string): Promise<void> {
  const policy = await existingPolicy(app, id)
  if (!(await q.deleteExclusion(app.store.db, policy.id, hostId))) throw err(E.exclusionNotFound)
  await recordPatchAudit(app.store.db, { action: 'policy_unexclude', userId, policyId: policy.id, hostId }, app.patchRuns.now())
}
