// Compile a Kysely query once, run it many times as a better-sqlite3 prepared statement.
//
// Why: the ingest hot path writes thousands of rows per report. Building and compiling a Kysely
// query per row costs more than SQLite's own work (~10 µs per compile vs ~2 µs per insert), and one
// giant multi-row insert hits SQLite's bound-parameter limit and still compiles per report. So the
// statement is written with Kysely (typed, dialect-neutral text), compiled once with named
// placeholders, prepared once by better-sqlite3, and each run binds the values by name.
import type Database from 'better-sqlite3'
import type { Compilable } from 'kysely'

const PLACEHOLDER = '\u0000param:'

/**
 * A named placeholder for a value bound at run time. Typed `never` so it fits any column type in
 * Kysely's builders (a placeholder stands for whatever value the column takes).
 */
export function param(name: string): never {
  return `${PLACEHOLDER}${name}` as never
}

export type BindValue = string | number | bigint | null | Buffer

export class PreparedQuery<Params extends Record<string, BindValue>> {
  private readonly statement: Database.Statement
  /** For each positional parameter: the name to bind, or the literal compiled into the query. */
  private readonly slots: ({ name: string } | { literal: unknown })[]

  constructor(sqlite: Database.Database, query: Compilable) {
    const compiled = query.compile()
    this.statement = sqlite.prepare(compiled.sql)
    this.slots = compiled.parameters.map((value) =>
      typeof value === 'string' && value.startsWith(PLACEHOLDER) ? { name: value.slice(PLACEHOLDER.length) } : { literal: value }
    )
  }

  private bind(params: Params): unknown[] {
    return this.slots.map((slot) => ('name' in slot ? params[slot.name] : slot.literal))
  }

  run(params: Params): Database.RunResult {
    return this.statement.run(...this.bind(params))
  }

  get<Row>(params: Params): Row | undefined {
    return this.statement.get(...this.bind(params)) as Row | undefined
  }

  all<Row>(params: Params): Row[] {
    return this.statement.all(...this.bind(params)) as Row[]
  }
}
