// The transactional outbox: a notifiable event caused by a database change is written to
// event_outbox in the SAME transaction as that change, then emitted on the bus after the commit
// with its outbox id. A SIGKILL between the commit and the notifications listener leaves the row
// behind, and the next start routes it (notifications-plugin.ts), so no alert is lost to a crash.
import type Database from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { DB, EventOutboxRow } from '../store/database-types.js'
import { newId } from '../security/random-tokens.js'
import { param, PreparedQuery } from '../store/prepared-query.js'
import type { AppEventMap, AppEventName, AppEvents } from './app-events.js'

/** An event written to the outbox, to be emitted once its transaction has committed. */
export interface OutboxEntry<K extends AppEventName = AppEventName> {
  id: string
  name: K
  payload: AppEventMap[K]
  createdAt: string
}

function entryOf<K extends AppEventName>(name: K, payload: AppEventMap[K], now: Date): OutboxEntry<K> {
  return { id: newId(), name, payload, createdAt: now.toISOString() }
}

function rowOf(entry: OutboxEntry): EventOutboxRow {
  return { id: entry.id, event_name: entry.name, payload: JSON.stringify(entry.payload), created_at: entry.createdAt }
}

/** Inside an async Kysely transaction: `trx` must be the transaction, not the pool. */
export async function writeOutbox<K extends AppEventName>(
  trx: Kysely<DB>,
  name: K,
  payload: AppEventMap[K],
  now: Date
): Promise<OutboxEntry<K>> {
  const entry = entryOf(name, payload, now)
  await trx.insertInto('event_outbox').values(rowOf(entry)).execute()
  return entry
}

/** For synchronous better-sqlite3 transactions (report ingest): one prepared insert. */
export class OutboxWriter {
  private readonly insert: PreparedQuery<EventOutboxRow>

  constructor(db: Kysely<DB>, sqlite: Database.Database) {
    this.insert = new PreparedQuery(
      sqlite,
      db
        .insertInto('event_outbox')
        .values({ id: param('id'), event_name: param('event_name'), payload: param('payload'), created_at: param('created_at') })
    )
  }

  /** Call only inside the running transaction. */
  write<K extends AppEventName>(name: K, payload: AppEventMap[K], now: Date): OutboxEntry<K> {
    const entry = entryOf(name, payload, now)
    this.insert.run(rowOf(entry))
    return entry
  }
}

/** After the commit: the event goes on the bus as before, carrying its outbox id. */
export function emitCommitted<K extends AppEventName>(events: AppEvents, entry: OutboxEntry<K>): void {
  events.emit(entry.name, entry.payload, { outboxId: entry.id, occurredAt: new Date(entry.createdAt) })
}

/** Rows still waiting to be routed (left by a crash or a failed listener), oldest first. */
export async function pendingOutboxRows(db: Kysely<DB>, olderThan?: Date): Promise<EventOutboxRow[]> {
  let query = db.selectFrom('event_outbox').selectAll()
  if (olderThan) query = query.where('created_at', '<', olderThan.toISOString())
  return query.orderBy('created_at').orderBy('id').execute()
}

/**
 * Consumes an outbox row; inside the transaction that records what the event caused. False when
 * it was already gone (already consumed), so the caller writes nothing twice.
 */
export async function consumeOutboxRow(db: Kysely<DB>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('event_outbox').where('id', '=', id).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
