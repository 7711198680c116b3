// The only code that names patch_bulk_batches and patch_bulk_items.
import type { Kysely, Selectable, Updateable } from 'kysely'
import type { DB, PatchBulkBatchesTable, PatchBulkItemsTable } from '../../store/database-types.js'

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

export async function listBatches(db: Kysely<DB>, limit: number): Promise<BatchRow[]> {
  return db.selectFrom('patch_bulk_batches').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(limit).execute()
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
