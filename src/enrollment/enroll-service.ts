// The rules of POST /auto-enrollment/enroll and /enroll/bulk behind the routes: the bulk body's
// per-item checks, the daily quota (single: the cap; bulk: all or nothing), and the reply bodies
// (facts: enrollment §4-5). The routes only translate HTTP.
import type { Static } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { errorOf, validationFailed, type ValidationIssue } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import type { TokenRow } from '../store/database-types.js'
import { dailyCapReached } from './enrollment-auth.js'
import { enrollBatch, type EnrollInput } from './enroll-hosts.js'
import type { BulkEnrollReply, EnrollBody, EnrollReply } from './enroll-schemas.js'

const E = ERROR_MESSAGES.enrollment

/** Per-item checks of the bulk body, all reported at once like the single route's validation. */
function bulkInputs(hosts: unknown[]): EnrollInput[] {
  const issues: ValidationIssue[] = []
  const inputs = hosts.map((item, i): EnrollInput => {
    const entry = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>
    const name = entry.friendly_name
    const machineId = entry.machine_id
    if (typeof name !== 'string' || name.trim() === '' || name.length > 255) {
      issues.push({ msg: E.eachHostName.message, param: `hosts[${i}].friendly_name`, location: 'body' })
    }
    if (
      machineId !== undefined &&
      machineId !== null &&
      (typeof machineId !== 'string' || machineId.length < 1 || machineId.length > 255)
    ) {
      issues.push({ msg: E.machine_id.message, param: `hosts[${i}].machine_id`, location: 'body' })
    }
    return { friendlyName: String(name), machineId: typeof machineId === 'string' ? machineId : undefined }
  })
  if (issues.length > 0) throw validationFailed(issues)
  return inputs
}

/** One host for the token, within its daily cap; the reply carries the agent credentials once. */
export async function enrollOne(
  app: FastifyInstance,
  token: TokenRow,
  body: Static<typeof EnrollBody>
): Promise<Static<typeof EnrollReply>> {
  const now = app.enrollmentClock.now()
  const outcome = await enrollBatch(app, token, [{ friendlyName: body.friendly_name, machineId: body.machine_id }], now)
  if (!outcome.reservation.ok) throw dailyCapReached(outcome.reservation.max)
  const created = outcome.created[0]
  if (!created) throw errorOf(E.enrollFailed)
  return {
    message: 'Host enrolled successfully',
    host: {
      id: created.result.host.id,
      friendly_name: created.result.host.friendly_name,
      api_id: created.result.host.api_id,
      api_key: created.result.apiKey,
      host_group: outcome.group,
      status: created.result.host.status
    }
  }
}

/** Up to 50 hosts: the quota is reserved for all of them or none; per-host failures are listed. */
export async function enrollMany(app: FastifyInstance, token: TokenRow, hosts: unknown[]): Promise<Static<typeof BulkEnrollReply>> {
  const inputs = bulkInputs(hosts)
  const outcome = await enrollBatch(app, token, inputs, app.enrollmentClock.now())
  if (!outcome.reservation.ok) throw errorOf(E.bulkQuotaShort, { message: E.bulkQuotaShort.detail(outcome.reservation.remaining) })
  const success = outcome.created.map(({ result }) => ({
    id: result.host.id,
    friendly_name: result.host.friendly_name,
    api_id: result.host.api_id,
    api_key: result.apiKey
  }))
  const failed = outcome.failed.map(({ input, error }) => ({ friendly_name: input.friendlyName, error }))
  return {
    message: `Bulk enrollment completed: ${success.length} succeeded, ${failed.length} failed, 0 skipped`,
    results: { success, failed, skipped: [] }
  }
}
