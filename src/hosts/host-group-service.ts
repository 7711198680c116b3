// The rules of host-group changes: names are trimmed, colours kept upper-case, a name clash is 409
// and a missing group 404. The routes only parse and reply; SQL stays in host-group-queries.ts.
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { COMMON, conflict, errorOf, notFound } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { DuplicateGroupNameError, groupView, insertGroup, updateGroup } from './host-group-queries.js'
import { isHostScoped } from './host-scope.js'

export interface GroupInput {
  name?: string | undefined
  description?: string | null | undefined
  color?: string | undefined
}

async function unlessDuplicate<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    if (err instanceof DuplicateGroupNameError) throw conflict(ERROR_MESSAGES.hostGroups.duplicateName.message)
    throw err
  }
}

/** Creates a group and returns its view (no hosts yet). */
export async function createGroup(db: Kysely<DB>, input: GroupInput & { name: string }) {
  // A new group is outside every existing limit, so a limited user would create what they cannot see.
  if (isHostScoped()) throw errorOf(ERROR_MESSAGES.access.scopedCannotCreateGroups)
  const { name, description, color } = input
  const id = await unlessDuplicate(() =>
    insertGroup(db, { name: name.trim(), description: description ?? null, color: color?.toUpperCase() })
  )
  return { ...(await groupView(db, id))!, host_count: 0 }
}

/** Applies the fields sent and returns the group's view. */
export async function changeGroup(db: Kysely<DB>, id: string, input: GroupInput) {
  const { name, description, color } = input
  const changes = {
    ...(name !== undefined ? { name: name.trim() } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(color !== undefined ? { color: color.toUpperCase() } : {})
  }
  if (!(await unlessDuplicate(() => updateGroup(db, id, changes)))) throw notFound(COMMON.hostGroupNotFound)
  const view = await groupView(db, id)
  if (!view) throw notFound(COMMON.hostGroupNotFound)
  return view
}
