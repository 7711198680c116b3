// One read-only connection to upstream's PostgreSQL: a REPEATABLE READ, READ ONLY transaction, so
// every batch sees the same snapshot and nothing can be written upstream. Also tells which upstream
// it is: 2.x keeps golang-migrate's schema_migrations, 1.4.x Prisma's _prisma_migrations.
import pg from 'pg'
import { fillMessage } from '../http/error-messages.js'
import { ImportError, IMPORT_ERRORS as E } from './import-errors.js'

const TIMESTAMP_WITHOUT_TIME_ZONE = 1114
const DATE = 1082
const CONNECT_TIMEOUT_MS = 10_000

export interface UpstreamSchema {
  /** "2.x (schema_migrations 47)" or "1.4.x (Prisma)". */
  label: string
  generation: '2.x' | '1.4.x'
  tables: Set<string>
  columns: Map<string, Set<string>>
}

export interface UpstreamConnection {
  where: string
  schema: UpstreamSchema
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>
  has(table: string, column?: string): boolean
  close(): Promise<void>
}

/** host:port/database, never the user or password. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url)
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname || '/'}`
  } catch {
    return '(unparsable database URL)'
  }
}

/** Columns every importable upstream database has (2.x and 1.4.x alike). */
const REQUIRED: Record<string, string[]> = {
  hosts: ['id', 'friendly_name', 'api_id', 'api_key', 'status', 'last_update'],
  users: ['id', 'username', 'email', 'password_hash', 'role', 'tfa_enabled', 'tfa_secret', 'tfa_backup_codes'],
  host_groups: ['id', 'name'],
  host_group_memberships: ['host_id', 'host_group_id'],
  auto_enrollment_tokens: ['id', 'token_name', 'token_key', 'token_secret', 'allowed_ip_ranges', 'metadata'],
  packages: ['id', 'name'],
  host_packages: ['host_id', 'package_id', 'current_version', 'needs_update', 'is_security_update'],
  settings: ['id']
}

async function readSchema(client: pg.Client, where: string): Promise<UpstreamSchema> {
  const rows = await client.query<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'"
  )
  const columns = new Map<string, Set<string>>()
  for (const r of rows.rows) {
    const set = columns.get(r.table_name) ?? new Set<string>()
    set.add(r.column_name)
    columns.set(r.table_name, set)
  }
  const tables = new Set(columns.keys())
  if (!tables.has('hosts')) throw new ImportError(fillMessage(E.notUpstream, { where, table: 'hosts' }))
  const unsupported = (reason: string) => new ImportError(fillMessage(E.unsupportedVersion, { where, reason }))
  let label: string
  let generation: UpstreamSchema['generation']
  if (tables.has('schema_migrations')) {
    const m = await client.query<{ version: string; dirty: boolean }>('SELECT version, dirty FROM public.schema_migrations LIMIT 1')
    const row = m.rows[0]
    if (!row) throw unsupported('schema_migrations is empty')
    if (row.dirty) throw unsupported(`migration ${row.version} stopped half-way: schema_migrations is dirty`)
    generation = '2.x'
    label = `2.x (schema_migrations ${row.version})`
  } else if (tables.has('_prisma_migrations')) {
    generation = '1.4.x'
    label = '1.4.x (Prisma)'
  } else {
    throw unsupported('neither schema_migrations (2.x) nor _prisma_migrations (1.4.x) is there')
  }
  for (const [table, needed] of Object.entries(REQUIRED)) {
    const have = columns.get(table)
    if (!have) throw unsupported(`no ${table} table`)
    const missing = needed.filter((c) => !have.has(c))
    if (missing.length > 0) throw unsupported(`${table} lacks ${missing.join(', ')}`)
  }
  return { label, generation, tables, columns }
}

export async function openUpstream(databaseUrl: string): Promise<UpstreamConnection> {
  const where = describeDatabaseUrl(databaseUrl)
  const client = new pg.Client({
    connectionString: databaseUrl,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'patchmon import-upstream',
    types: {
      // Upstream's TIMESTAMP(3) columns hold UTC without a zone: read them as UTC, not as local time.
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === TIMESTAMP_WITHOUT_TIME_ZONE) return (v: string) => new Date(`${v.replace(' ', 'T')}Z`).toISOString()
        if (oid === DATE) return (v: string) => v
        return pg.types.getTypeParser(oid, format ?? 'text')
      }) as typeof pg.types.getTypeParser
    }
  })
  // A server that drops the connection later must not crash the process with an unhandled 'error'.
  client.on('error', () => undefined)
  try {
    await client.connect()
    await client.query('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY')
  } catch (err) {
    await client.end().catch(() => undefined)
    const reason = (err as Error).message || (err as NodeJS.ErrnoException).code || 'connection failed'
    throw new ImportError(fillMessage(E.unreachable, { where, reason }))
  }
  let schema: UpstreamSchema
  try {
    schema = await readSchema(client, where)
  } catch (err) {
    await client.end().catch(() => undefined)
    throw err
  }
  return {
    where,
    schema,
    async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]) {
      return (await client.query<R>(text, values)).rows
    },
    has: (table, column) => (column ? (schema.columns.get(table)?.has(column) ?? false) : schema.tables.has(table)),
    async close() {
      await client.query('ROLLBACK').catch(() => undefined)
      await client.end()
    }
  }
}
