// Access control (issue 18 parts 2-3): custom roles remember who made them, and users and roles can
// be limited to host groups. No row for a user or role means "every host"; the limits of a user and
// of its role add up (union). Deleting a host group removes it from every limit (cascade), which can
// leave a limit with no group at all: such a user then sees no host (see hosts/host-scope.ts).
import type { Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations do not need table types
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('roles').addColumn('created_by_user_id', 'text').execute()
  // Whether the role (or user) is limited at all: a limit whose groups were all deleted stays a limit.
  await db.schema
    .alterTable('roles')
    .addColumn('host_scoped', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema
    .alterTable('users')
    .addColumn('host_scoped', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()

  await db.schema
    .createTable('user_host_groups')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('host_group_id', 'text', (c) => c.notNull().references('host_groups.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('user_host_groups_pk', ['user_id', 'host_group_id'])
    .execute()

  await db.schema
    .createTable('role_host_groups')
    .addColumn('role_name', 'text', (c) => c.notNull().references('roles.name').onDelete('cascade').onUpdate('cascade'))
    .addColumn('host_group_id', 'text', (c) => c.notNull().references('host_groups.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('role_host_groups_pk', ['role_name', 'host_group_id'])
    .execute()
}
