// Bulk patching: one batch record per request, one item per host, at most `concurrency` items
// dispatched at once. A batch advances when one of its runs settles (patch_run_* events) and on a
// timer (statuses that raise no event, restarts): settled runs close their items, then pending items
// are launched in order until the limit is reached. A host the launcher refuses (everything held,
// outside its window, agent cannot patch) is skipped with the reason and frees its place at once;
// so is a host whose agent is not connected (its run would wait for the agent and hold a place).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Static } from '@fastify/type-provider-typebox'
import { userOf } from '../../http/session-auth.js'
import { recordPatchingChange } from '../patching-audit.js'
import type { BulkBody } from './bulk-schemas.js'
import type { Kysely } from 'kysely'
import type { DB } from '../../store/database-types.js'
import { ApiError, COMMON, notFound } from '../../http/errors.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import { hostGroupSummary } from '../../hosts/host-queries.js'
import { newId } from '../../security/random-tokens.js'
import { friendlyNames, hostIdsInGroup } from '../../hosts/host-read-queries.js'
import { launchPatchRun, type PatchRunOptions } from '../runs/patch-run-service.js'
import { runById } from '../runs/run-queries.js'
import { isHostScoped } from '../../hosts/host-scope.js'
import {
  batchIdsOfRun,
  batchItems,
  findBatch,
  visibleBatchItems,
  finishBatch,
  insertBatch,
  runningBatchIds,
  updateItem,
  type BatchRow,
  type ItemRow
} from './bulk-queries.js'

export const DEFAULT_CONCURRENCY = 5
export const AGENT_OFFLINE = 'Agent not connected: not patched by this batch'

export interface BulkRequest {
  hostIds: string[]
  patchType: 'patch_all' | 'patch_package'
  packageNames: string[]
  dryRun: boolean
  reboot: NonNullable<PatchRunOptions['reboot']>
  concurrency: number
  userId: string
}

const M = ERROR_MESSAGES.patchBulk

/** The hosts of a selection: `host_ids` or a `host_group_id`, exactly one of them, not empty. */
export async function selectedHosts(
  db: Kysely<DB>,
  selection: { host_ids?: string[] | undefined; host_group_id?: string | undefined }
): Promise<string[]> {
  if ((selection.host_ids === undefined) === (selection.host_group_id === undefined))
    throw new ApiError(M.selectionRequired.status, { error: M.selectionRequired.message })
  let hostIds = selection.host_ids ?? []
  if (selection.host_group_id !== undefined) {
    if (!(await hostGroupSummary(db, selection.host_group_id))) throw notFound(COMMON.hostGroupNotFound)
    hostIds = await hostIdsInGroup(db, selection.host_group_id)
  }
  // A limited user's list keeps their hosts only: another host is as unknown to them as a missing one,
  // and leaves no batch item behind.
  if (isHostScoped()) {
    const visible = await friendlyNames(db, hostIds)
    hostIds = hostIds.filter((id) => visible.has(id))
  }
  if (hostIds.length === 0) throw new ApiError(M.noHosts.status, { error: M.noHosts.message })
  return hostIds
}

/** POST /bulk: the selection, the batch (its first runs launched) and the audit entry. */
export async function launchBulk(app: FastifyInstance, request: FastifyRequest, body: Static<typeof BulkBody>): Promise<BatchRow> {
  const hostIds = await selectedHosts(app.store.db, body)
  const batch = await app.bulkBatches.create({
    hostIds,
    patchType: body.patch_type,
    packageNames: body.package_names ?? [],
    dryRun: body.dry_run ?? false,
    reboot: body.reboot ?? 'never',
    concurrency: body.concurrency ?? DEFAULT_CONCURRENCY,
    userId: userOf(request).id
  })
  const audit = { bulk_id: batch.id, hosts: hostIds.length, host_group_id: body.host_group_id ?? null, patch_type: body.patch_type }
  await recordPatchingChange(app, request, 'bulk_launch', { ...audit, concurrency: batch.concurrency })
  return batch
}

const SUCCESS = new Set(['completed', 'validated'])
const FAILURE = new Set(['failed', 'cancelled', 'timed_out', 'agent_disconnected'])

export class BulkBatches {
  /** Advances of one batch never overlap (an event and the timer may arrive together). */
  private readonly chains = new Map<string, Promise<void>>()

  constructor(private readonly app: FastifyInstance) {}

  async create(req: BulkRequest): Promise<BatchRow> {
    const now = this.app.patchRuns.now().toISOString()
    const known = await friendlyNames(this.app.store.db, req.hostIds)
    const batch: BatchRow = {
      id: newId(),
      patch_type: req.patchType,
      package_names: JSON.stringify(req.packageNames),
      dry_run: req.dryRun ? 1 : 0,
      reboot: req.reboot,
      concurrency: req.concurrency,
      status: 'running',
      created_by_user_id: req.userId,
      created_at: now,
      finished_at: null
    }
    const items: ItemRow[] = [...new Set(req.hostIds)].map((hostId, position) => ({
      batch_id: batch.id,
      host_id: hostId,
      position,
      status: known.has(hostId) ? 'pending' : 'skipped',
      patch_run_id: null,
      reason: known.has(hostId) ? null : COMMON.hostNotFound,
      updated_at: now
    }))
    await insertBatch(this.app.store.db, batch, items)
    await this.advance(batch.id)
    return batch
  }

  advance(batchId: string): Promise<void> {
    const previous = this.chains.get(batchId) ?? Promise.resolve()
    const next = previous
      .then(() => this.advanceNow(batchId))
      .catch((err: unknown) => this.app.log.error({ err, batchId }, 'bulk patch batch advance failed'))
    this.chains.set(batchId, next)
    void next.then(() => {
      if (this.chains.get(batchId) === next) this.chains.delete(batchId)
    })
    return next
  }

  /** A run settled: advance the batches it belongs to. */
  async runSettled(runId: string): Promise<void> {
    for (const batchId of await batchIdsOfRun(this.app.store.db, runId)) await this.advance(batchId)
  }

  async advanceAll(): Promise<void> {
    for (const batchId of await runningBatchIds(this.app.store.db)) await this.advance(batchId)
  }

  private async advanceNow(batchId: string): Promise<void> {
    const db = this.app.store.db
    const batch = await findBatch(db, batchId)
    if (!batch || batch.status !== 'running') return
    const items = await batchItems(db, batchId)
    const stamp = () => this.app.patchRuns.now().toISOString()
    let inFlight = 0
    for (const item of items.filter((i) => i.status === 'dispatched')) {
      const run = item.patch_run_id ? await runById(db, item.patch_run_id) : undefined
      if (!run) {
        await updateItem(db, batchId, item.host_id, { status: 'failed', reason: 'patch run was deleted', updated_at: stamp() })
      } else if (SUCCESS.has(run.status)) {
        await updateItem(db, batchId, item.host_id, { status: 'completed', updated_at: stamp() })
      } else if (FAILURE.has(run.status)) {
        const reason = run.error_message ? `${run.status}: ${run.error_message}` : run.status
        await updateItem(db, batchId, item.host_id, { status: 'failed', reason: reason.slice(0, 500), updated_at: stamp() })
      } else inFlight++
    }
    for (const item of items.filter((i) => i.status === 'pending')) {
      if (inFlight >= batch.concurrency) break
      if (!this.app.agentConnections.isConnected(item.host_id)) {
        await updateItem(db, batchId, item.host_id, { status: 'skipped', reason: AGENT_OFFLINE, updated_at: stamp() })
        continue
      }
      try {
        const names = JSON.parse(batch.package_names) as string[]
        const run = await launchPatchRun(this.app, {
          hostId: item.host_id,
          patchType: batch.patch_type as BulkRequest['patchType'],
          ...(batch.patch_type === 'patch_package' ? { packageNames: names } : {}),
          dryRun: batch.dry_run === 1,
          options: { reboot: batch.reboot as BulkRequest['reboot'] },
          triggeredBy: { userId: batch.created_by_user_id, source: 'bulk' },
          bulkId: batch.id
        })
        await updateItem(db, batchId, item.host_id, { status: 'dispatched', patch_run_id: run.id, updated_at: stamp() })
        inFlight++
      } catch (err) {
        if (!(err instanceof ApiError)) throw err
        const reason = 'error' in err.body ? err.body.error + (err.body.message ? ` (${err.body.message})` : '') : err.message
        await updateItem(db, batchId, item.host_id, { status: 'skipped', reason: reason.slice(0, 500), updated_at: stamp() })
      }
    }
    const after = await batchItems(db, batchId)
    if (after.every((i) => i.status !== 'pending' && i.status !== 'dispatched')) await finishBatch(db, batchId, stamp())
  }
}

export async function batchView(app: FastifyInstance, batch: BatchRow) {
  const items = await visibleBatchItems(app.store.db, batch.id)
  const names = await friendlyNames(
    app.store.db,
    items.map((i) => i.host_id)
  )
  const count = (status: string) => items.filter((i) => i.status === status).length
  return {
    id: batch.id,
    status: batch.status,
    patch_type: batch.patch_type,
    package_names: JSON.parse(batch.package_names) as string[],
    dry_run: batch.dry_run === 1,
    reboot: batch.reboot,
    concurrency: batch.concurrency,
    created_by_user_id: batch.created_by_user_id,
    created_at: batch.created_at,
    finished_at: batch.finished_at,
    summary: {
      total: items.length,
      pending: count('pending'),
      dispatched: count('dispatched'),
      completed: count('completed'),
      failed: count('failed'),
      skipped: count('skipped')
    },
    items: items.map((i) => ({
      host_id: i.host_id,
      host_name: names.get(i.host_id) ?? null,
      status: i.status,
      patch_run_id: i.patch_run_id,
      reason: i.reason,
      updated_at: i.updated_at
    }))
  }
}
