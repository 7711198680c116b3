// host_groups and their host counts. A clash on the unique name becomes DuplicateGroupNameError,
// which the routes answer with 409.
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { newId } from '../security/random-tokens.js'
import { groupInScope, inHostScope } from './host-scope.js'

export class DuplicateGroupNameError extends Error {
  constructor() {
    super('host group name already exists')
  }
}

function rethrowUnique(err: unknown): never {
  if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new DuplicateGroupNameError()
  throw err
}

/** One group with its host count, or undefined. */
export async function groupView(db: Kysely<DB>, id: string) {
  const row = await db
    .selectFrom('host_groups as g')
    .selectAll('g')
    .select((eb) =>
      eb
        .selectFrom('host_group_memberships as m')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('m.host_group_id', '=', 'g.id')
        .where(inHostScope('m.host_id'))
        .as('host_count')
    )
    .where('g.id', '=', id)
    .where(groupInScope('g.id'))
    .executeTakeFirst()
  return row && { ...row, host_count: Number(row.host_count) }
}

/** Every group with its host count, by name. */
export async function listGroupViews(db: Kysely<DB>) {
  const rows = await db
    .selectFrom('host_groups as g')
    .leftJoin('host_group_memberships as m', 'm.host_group_id', 'g.id')
    .selectAll('g')
    .select((eb) => eb.fn.count<number>('m.host_id').as('host_count'))
    .where(groupInScope('g.id'))
    .groupBy('g.id')
    .orderBy('g.name')
    .execute()
  return rows.map((r) => ({ ...r, host_count: Number(r.host_count) }))
}

/** Creates a group and returns its id (DuplicateGroupNameError on a name clash). */
export async function insertGroup(
  db: Kysely<DB>,
  input: { name: string; description: string | null; color?: string | undefined }
): Promise<string> {
  const now = new Date().toISOString()
  const id = newId()
  try {
    await db
      .insertInto('host_groups')
      .values({
        id,
        name: input.name,
        description: input.description,
        ...(input.color ? { color: input.color } : {}),
        created_at: now,
        updated_at: now
      })
      .execute()
  } catch (err) {
    rethrowUnique(err)
  }
  return id
}

/** Changes a group; false when there is none (DuplicateGroupNameError on a name clash). */
export async function updateGroup(
  db: Kysely<DB>,
  id: string,
  changes: { name?: string; description?: string | null; color?: string }
): Promise<boolean> {
  try {
    const result = await db
      .updateTable('host_groups')
      .set({ ...changes, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .where(groupInScope('host_groups.id'))
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  } catch (err) {
    return rethrowUnique(err)
  }
}

/** Deletes a group (memberships cascade, hosts stay); false when there is none. */
export async function deleteGroup(db: Kysely<DB>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('host_groups').where('id', '=', id).where(groupInScope('host_groups.id')).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
