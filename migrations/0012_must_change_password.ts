// users.must_change_password: 1 while the account still has a password the server generated
// (the first admin's, printed once in the journal); the dashboard then asks for a new one. A
// password change clears it. One ALTER statement, so an interrupted start cannot half-apply it.
import type { Kysely } from 'kysely'
import { sql } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- schema builders do not need table types
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(sql`0`))
    .execute()
}
