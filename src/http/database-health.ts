// What GET /health reports about the database: that it answers, and that it can take writes. A
// server whose disk is full answers reads but loses every report, which a monitor must see (503,
// database "unwritable") rather than "ok".
import type { FastifyBaseLogger } from 'fastify'
import { sql } from 'kysely'
import type { Store } from '../store/open-database.js'
import { writeHealth } from '../store/disk-full.js'
import { APP_VERSION } from '../version.js'

export type HealthReport =
  | { statusCode: 200; body: { status: 'ok'; version: string; database: 'ok' } }
  | {
      statusCode: 503
      body: { status: 'error'; version: string; database: 'unreachable' | 'unwritable'; message?: string }
    }

export async function databaseHealth(store: Store, log: FastifyBaseLogger): Promise<HealthReport> {
  try {
    await sql`SELECT 1`.execute(store.db)
  } catch (err) {
    log.error({ err }, 'health check: database unreachable')
    return { statusCode: 503, body: { status: 'error', version: APP_VERSION, database: 'unreachable' } }
  }
  const writes = writeHealth(store)
  if (!writes.writable) {
    const since = writes.fullSince ? ` (writes refused since ${writes.fullSince.toISOString()})` : ''
    return {
      statusCode: 503,
      body: { status: 'error', version: APP_VERSION, database: 'unwritable', message: `the disk holding the database is full${since}` }
    }
  }
  return { statusCode: 200, body: { status: 'ok', version: APP_VERSION, database: 'ok' } }
}
