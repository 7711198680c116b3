// Creating hosts for an enrollment token: quota, default group, notes, the host_enrolled event.
import { ERROR_MESSAGES } from '../http/error-messages.js'
import type { FastifyInstance } from 'fastify'
import { hostGroupSummary } from '../hosts/host-queries.js'
import { createHost, type CreatedHost } from '../hosts/host-service.js'
import type { HostGroupRow, TokenRow } from '../store/database-types.js'
import { emitCommitted, writeOutbox, type OutboxEntry } from '../events/event-outbox.js'
import { releaseEnrollments, reserveEnrollments, type Reservation } from '../integration-tokens/enrollment-quota.js'

export interface EnrollInput {
  friendlyName: string
  machineId?: string | undefined
}

export type GroupSummary = Pick<HostGroupRow, 'id' | 'name' | 'color'>

export async function defaultGroupOf(app: FastifyInstance, token: TokenRow): Promise<GroupSummary | null> {
  if (!token.default_host_group_id) return null
  return hostGroupSummary(app.store.db, token.default_host_group_id)
}

/** Creates one host for the token (its quota slot must already be reserved). */
export async function createEnrolledHost(
  app: FastifyInstance,
  token: TokenRow,
  group: GroupSummary | null,
  input: EnrollInput,
  now: Date
): Promise<CreatedHost> {
  const enrolled: Array<OutboxEntry<'host_enrolled'>> = []
  const created = await createHost(
    app.store.db,
    {
      friendlyName: input.friendlyName,
      machineId: input.machineId ?? null,
      hostGroupIds: group ? [group.id] : [],
      notes: `Auto-enrolled via ${token.token_name} on ${now.toISOString()}`,
      osType: 'unknown',
      osVersion: 'unknown'
    },
    async (trx, host) => {
      enrolled.push(
        await writeOutbox(trx, 'host_enrolled', { hostId: host.id, hostName: host.friendly_name, tokenName: token.token_name }, now)
      )
    }
  )
  app.log.info({ hostId: created.host.id, tokenId: token.id }, 'host auto-enrolled')
  for (const entry of enrolled) emitCommitted(app.events, entry)
  return created
}

export interface BatchOutcome {
  reservation: Reservation
  group: GroupSummary | null
  created: Array<{ input: EnrollInput; result: CreatedHost }>
  failed: Array<{ input: EnrollInput; error: string }>
}

/**
 * Reserves quota for every input at once (all or nothing), then creates the hosts one by one;
 * slots of hosts that could not be created are given back.
 */
export async function enrollBatch(app: FastifyInstance, token: TokenRow, inputs: EnrollInput[], now: Date): Promise<BatchOutcome> {
  const reservation = await reserveEnrollments(app.store.db, token.id, inputs.length, now)
  const group = reservation.ok ? await defaultGroupOf(app, token) : null
  const outcome: BatchOutcome = { reservation, group, created: [], failed: [] }
  if (!reservation.ok) return outcome
  for (const input of inputs) {
    try {
      outcome.created.push({ input, result: await createEnrolledHost(app, token, group, input, now) })
    } catch (err) {
      app.log.error({ err, tokenId: token.id }, 'auto-enrollment host creation failed')
      outcome.failed.push({ input, error: ERROR_MESSAGES.enrollment.hostCreateFailed.message })
    }
  }
  await releaseEnrollments(app.store.db, token.id, outcome.failed.length, now)
  return outcome
}
