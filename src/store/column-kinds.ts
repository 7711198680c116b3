// How a column behaves between SQLite and the types, derived from its Kysely type (database-columns.ts
// and patching-columns.ts describe every table with these).
import type { InsertType, SelectType } from 'kysely'

/**
 * How a column behaves on the wire between SQLite and the types:
 * - nullable: may hold NULL (`T | null`; no NOT NULL in the schema)
 * - defaulted: NOT NULL with a DEFAULT, so inserts may leave it out (`Generated<T>`)
 * - required: NOT NULL without a default, so every insert names it. A single-column TEXT PRIMARY
 *   KEY counts as required: SQLite would accept NULL there unless NOT NULL is written, but the
 *   application always sets ids, and the types say so.
 */
export type ColumnKind = 'nullable' | 'defaulted' | 'required'

export type KindOf<C> = null extends SelectType<C> ? 'nullable' : undefined extends InsertType<C> ? 'defaulted' : 'required'

/** For each table of DB, each of its columns with the kind its type implies: nothing more, nothing less. */
export type ColumnsOf<T> = { [K in keyof T]-?: KindOf<T[K]> }
