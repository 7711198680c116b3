// Case-insensitive "contains" for search boxes. instr() instead of LIKE: no wildcard escaping to
// get wrong (SQLite's LIKE has no default escape character), same full scan either way.
import { sql, type Expression, type SqlBool } from 'kysely'

export function containsText(column: Expression<string | null>, needle: string): Expression<SqlBool> {
  return sql<SqlBool>`instr(lower(${column}), ${needle.toLowerCase()}) > 0`
}
