// The only code that names patch_bulk_batches and patch_bulk_items.
import type { Kysely, Selectable, Updateable } from 'kysely'
import type { DB, PatchBulkBatchesTable, PatchBulkItemsTable } from '../../store/database-types.js'
import { inHostScope } from '../../hosts/host-scope.js'

export type BatchRow = Selectable<PatchBulkBatchesTable>
export type ItemRow = Selectable<PatchBulkItemsTable>

export async function insertBatch(db: Kysely<DB>, batch: BatchRow, items: ItemRow[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('patch_bulk_batches').values(batch).execute()
    if (items.length) await trx.insertInto('patch_bulk_items').values(items).execute()
  })
}

export async function findBatch(db: Kysely<DB>, id: string): Promise<BatchRow | undefined> {
  return db.selectFrom('patch_bulk_batches').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Batches the user may see: at least one of their hosts is in them (routes; the runner uses findBatch). */
function visibleBatches(db: Kysely<DB>) {
  return db
    .selectFrom('patch_bulk_batches')
    .selectAll()
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('patch_bulk_items as i')
          .select('i.host_id')
          .whereRef('i.batch_id', '=', 'patch_bulk_batches.id')
          .where(inHostScope('i.host_id'))
      )
    )
}

export async function findVisibleBatch(db: Kysely<DB>, id: string): Promise<BatchRow | undefined> {
  return visibleBatches(db).where('id', '=', id).executeTakeFirst()
}

export async function listVisibleBatches(db: Kysely<DB>, limit: number): Promise<BatchRow[]> {
  return visibleBatches(db).orderBy('created_at', 'desc').orderBy('id').limit(limit).execute()
}

/** A batch's items on the user's hosts (the batch view; the runner reads every item with batchItems). */
export async function visibleBatchItems(db: Kysely<DB>, batchId: string): Promise<ItemRow[]> {
  return db
    .selectFrom('patch_bulk_items')
    .selectAll()
    .where('batch_id', '=', batchId)
    .where(inHostScope('patch_bulk_items.host_id'))
    .orderBy('position')
    .execute()
}

export async function runningBatchIds(db: Kysely<DB>): Promise<string[]> {
  return (await db.selectFrom('patch_bulk_batches').select('id').where('status', '=', 'running').execute()).map((r) => r.id)
}

export async function batchItems(db: Kysely<DB>, batchId: string): Promise<ItemRow[]> {
  return db.selectFrom('patch_bulk_items').selectAll().where('batch_id', '=', batchId).orderBy('position').execute()
}

export async function batchIdsOfRun(db: Kysely<DB>, runId: string): Promise<string[]> {
  return (await db.selectFrom('patch_bulk_items').select('batch_id').where('patch_run_id', '=', runId).execute()).map((r) => r.batch_id)
}

export async function updateItem(db: Kysely<DB>, batchId: string, hostId: string, changes: Updateable<PatchBulkItemsTable>): Promise<void> {
  await db.updateTable('patch_bulk_items').set(changes).where('batch_id', '=', batchId).where('host_id', '=', hostId).execute()
}

export async function finishBatch(db: Kysely<DB>, id: string, at: string): Promise<void> {
  await db.updateTable('patch_bulk_batches').set({ status: 'finished', finished_at: at }).where('id', '=', id).execute()
}
