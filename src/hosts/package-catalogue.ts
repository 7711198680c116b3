// The fleet-wide package catalogue (name -> id) cached in memory: every report names thousands
// of packages, almost all already known, so looking them up in a Map instead of SQLite removes
// most of the reads of an ingest. The cache is loaded lazily, grows with inserts, and is
// transactional: names added inside a transaction that rolls back are forgotten again.
import type Database from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { newId } from '../security/random-tokens.js'
import { param, PreparedQuery } from '../store/prepared-query.js'

interface Entry {
  id: string
  /** The catalogue row already has a description or category (2.x agents send them). */
  described: boolean
}

export interface CatalogueInput {
  name: string
  description?: string | null | undefined
  category?: string | null | undefined
}

export class PackageCatalogue {
  private entries: Map<string, Entry> | undefined
  private pendingAdds: string[] = []
  private pendingDescribed: string[] = []
  private readonly loadAll: PreparedQuery<Record<string, never>>
  private readonly insert: PreparedQuery<{
    id: string
    name: string
    description: string | null
    category: string | null
    created_at: string
  }>
  private readonly byName: PreparedQuery<{ name: string }>
  private readonly describe: PreparedQuery<{ id: string; description: string | null; category: string | null }>

  constructor(
    db: Kysely<DB>,
    private readonly sqlite: Database.Database
  ) {
    this.loadAll = new PreparedQuery(sqlite, db.selectFrom('packages').select(['id', 'name', 'description', 'category']))
    this.insert = new PreparedQuery(
      sqlite,
      db
        .insertInto('packages')
        .values({
          id: param('id'),
          name: param('name'),
          description: param('description'),
          category: param('category'),
          created_at: param('created_at')
        })
        .onConflict((oc) => oc.column('name').doNothing())
    )
    this.byName = new PreparedQuery(
      sqlite,
      db.selectFrom('packages').select(['id', 'description', 'category']).where('name', '=', param('name'))
    )
    this.describe = new PreparedQuery(
      sqlite,
      db
        .updateTable('packages')
        .set({ description: param('description'), category: param('category') })
        .where('id', '=', param('id'))
    )
  }

  private load(): Map<string, Entry> {
    if (this.entries) return this.entries
    const entries = new Map<string, Entry>()
    for (const row of this.loadAll.all<{ id: string; name: string; description: string | null; category: string | null }>({})) {
      entries.set(row.name, { id: row.id, described: row.description !== null || row.category !== null })
    }
    this.entries = entries
    return entries
  }

  /** The catalogue id of a package, inserting it when new. Call inside the ingest transaction. */
  idOf(pkg: CatalogueInput, now: string): string {
    const entries = this.load()
    const description = pkg.description || null
    const category = pkg.category || null
    const known = entries.get(pkg.name)
    if (known) {
      if (!known.described && (description || category)) {
        this.describe.run({ id: known.id, description, category })
        known.described = true
        this.pendingDescribed.push(pkg.name)
      }
      return known.id
    }
    const id = newId()
    const inserted = this.insert.run({ id, name: pkg.name, description, category, created_at: now }).changes > 0
    // Another writer (or a cache reset) may already hold the name: read its id instead.
    const row = inserted ? { id, described: description !== null || category !== null } : this.existing(pkg.name)
    entries.set(pkg.name, row)
    this.pendingAdds.push(pkg.name)
    return row.id
  }

  private existing(name: string): Entry {
    const row = this.byName.get<{ id: string; description: string | null; category: string | null }>({ name })
    if (!row) throw new Error(`package ${name} vanished from the catalogue`)
    return { id: row.id, described: row.description !== null || row.category !== null }
  }

  /** The transaction committed: keep what it added. */
  commit(): void {
    this.pendingAdds = []
    this.pendingDescribed = []
  }

  /** The transaction rolled back: forget the rows it added, they no longer exist. */
  rollback(): void {
    for (const name of this.pendingAdds) this.entries?.delete(name)
    for (const name of this.pendingDescribed) {
      const entry = this.entries?.get(name)
      if (entry) entry.described = false
    }
    this.pendingAdds = []
    this.pendingDescribed = []
  }

  /** Drops the cache (e.g. after packages were deleted behind our back); reloaded on next use. */
  reset(): void {
    this.entries = undefined
    this.pendingAdds = []
    this.pendingDescribed = []
  }
}
