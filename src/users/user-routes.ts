// User management for admins: list, create, update (role, active, names), reset password, delete.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { badRequest, conflict, forbidden, notFound, COMMON } from '../http/errors.js'
import { SECURITY } from '../http/openapi.js'
import { emitCommitted, writeOutbox } from '../events/event-outbox.js'
import { userOf, type CurrentUser } from '../http/session-auth.js'
import { hashSecret } from '../security/secret-hashing.js'
import { listRoles, rolePermissions } from './role-queries.js'
import { revokeUserSessions } from './sessions.js'
import { findUserById, insertUser, publicUser } from './user-queries.js'
import { UserView } from './auth-schemas.js'

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
const USERNAME = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' })
const EMAIL = Type.String({ maxLength: 255, format: 'email' })

const CreateUserBody = Type.Object({
  username: USERNAME,
  email: Type.Optional(Type.Union([EMAIL, Type.Null()])),
  password: Type.String({ minLength: 8, maxLength: 1024 }),
  role: Type.String({ minLength: 1, maxLength: 64 }),
  first_name: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
  last_name: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()]))
})

const UpdateUserBody = Type.Object({
  email: Type.Optional(Type.Union([EMAIL, Type.Null()])),
  role: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  is_active: Type.Optional(Type.Boolean()),
  first_name: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
  last_name: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()]))
})

const MESSAGES = {
  username: 'Username is required (letters, digits, . _ @ -; max 64 characters)',
  email: 'Email must be a valid address',
  password: 'Password must be at least 8 characters',
  role: 'Role is required',
  is_active: 'is_active must be a boolean'
}

function requireSuperuserRights(actor: CurrentUser, targetRole: string): void {
  if (targetRole === 'superadmin' && !actor.permissions.has('can_manage_superusers')) {
    throw forbidden('Insufficient permissions', 'Only a superadmin can manage superadmin accounts')
  }
}

export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.store.db
  const general = { rateLimit: app.rateLimitBucket('general') }

  async function assertRoleExists(role: string): Promise<void> {
    if (!(await rolePermissions(db, role))) throw badRequest('Role not found')
  }

  async function activeSuperadmins(): Promise<number> {
    const row = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'superadmin')
      .where('is_active', '=', 1)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  app.get(
    '/api/v1/roles',
    {
      schema: {
        tags: ['users'],
        security: SECURITY.bearer,
        response: {
          200: Type.Array(
            Type.Object({
              name: Type.String(),
              description: Type.String(),
              is_builtin: Type.Boolean(),
              permissions: Type.Array(Type.String())
            })
          )
        }
      },
      preHandler: app.requirePermission('can_view_users'),
      config: general
    },
    async () => listRoles(db)
  )

  app.get(
    '/api/v1/users',
    {
      schema: { tags: ['users'], security: SECURITY.bearer, response: { 200: Type.Array(UserView) } },
      preHandler: app.requirePermission('can_view_users'),
      config: general
    },
    async () => {
      const rows = await db.selectFrom('users').selectAll().orderBy('username').execute()
      return rows.map((r) => publicUser(r))
    }
  )

  app.post(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        security: SECURITY.bearer,
        body: CreateUserBody,
        response: { 201: Type.Object({ message: Type.String(), user: UserView }) }
      },
      preHandler: app.requirePermission('can_manage_users'),
      config: { ...general, validationMessages: MESSAGES }
    },
    async (request, reply) => {
      const actor = userOf(request)
      const body = request.body
      await assertRoleExists(body.role)
      requireSuperuserRights(actor, body.role)
      const email = body.email?.trim() || null
      const clash = await db
        .selectFrom('users')
        .select('id')
        .where((eb) =>
          eb.or([eb('username', '=', body.username), ...(email ? [eb(eb.fn('lower', ['email']), '=', email.toLowerCase())] : [])])
        )
        .executeTakeFirst()
      if (clash) throw conflict('Username or email already exists')
      const row = await insertUser(db, {
        username: body.username,
        email,
        passwordHash: await hashSecret(body.password),
        role: body.role,
        firstName: body.first_name ?? null,
        lastName: body.last_name ?? null
      })
      return reply.code(201).send({ message: 'User created successfully', user: publicUser(row) })
    }
  )

  app.put(
    '/api/v1/users/:id',
    {
      schema: {
        tags: ['users'],
        security: SECURITY.bearer,
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: Type.Object({ message: Type.String(), user: UserView }) }
      },
      preHandler: app.requirePermission('can_manage_users'),
      config: { ...general, validationMessages: MESSAGES }
    },
    async (request) => {
      const actor = userOf(request)
      const target = await findUserById(db, request.params.id)
      if (!target) throw notFound(COMMON.userNotFound)
      const body = request.body
      requireSuperuserRights(actor, target.role)
      if (body.role !== undefined) {
        await assertRoleExists(body.role)
        requireSuperuserRights(actor, body.role)
      }
      const losesSuperadmin =
        target.role === 'superadmin' &&
        target.is_active === 1 &&
        ((body.role !== undefined && body.role !== 'superadmin') || body.is_active === false)
      if (losesSuperadmin && (await activeSuperadmins()) <= 1) throw badRequest('Cannot remove the last active superadmin')
      if (target.id === actor.id && body.is_active === false) throw badRequest('You cannot disable your own account')
      const email = body.email === undefined ? undefined : body.email?.trim() || null
      if (email) {
        const clash = await db
          .selectFrom('users')
          .select('id')
          .where(db.fn('lower', ['email']), '=', email.toLowerCase())
          .where('id', '!=', target.id)
          .executeTakeFirst()
        if (clash) throw conflict('Username or email already exists')
      }
      const now = new Date()
      const roleChange =
        body.role !== undefined && body.role !== target.role
          ? { userId: target.id, username: target.username, oldRole: target.role, newRole: body.role }
          : undefined
      const event = await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({
            ...(email !== undefined ? { email } : {}),
            ...(body.role !== undefined ? { role: body.role } : {}),
            ...(body.is_active !== undefined ? { is_active: body.is_active ? 1 : 0 } : {}),
            ...(body.first_name !== undefined ? { first_name: body.first_name } : {}),
            ...(body.last_name !== undefined ? { last_name: body.last_name } : {}),
            updated_at: now.toISOString()
          })
          .where('id', '=', target.id)
          .execute()
        return roleChange ? writeOutbox(trx, 'user_role_changed', roleChange, now) : undefined
      })
      if (body.is_active === false) await revokeUserSessions(db, target.id)
      if (event) emitCommitted(app.events, event)
      const updated = await findUserById(db, target.id)
      return { message: 'User updated successfully', user: publicUser(updated ?? target) }
    }
  )

  app.post(
    '/api/v1/users/:id/reset-password',
    {
      schema: {
        tags: ['users'],
        security: SECURITY.bearer,
        params: IdParams,
        body: Type.Object({ new_password: Type.String({ minLength: 8, maxLength: 1024 }) }),
        response: { 200: Type.Object({ message: Type.String() }) }
      },
      preHandler: app.requirePermission('can_manage_users'),
      config: { ...general, validationMessages: { new_password: 'Password must be at least 8 characters' } }
    },
    async (request) => {
      const target = await findUserById(db, request.params.id)
      if (!target) throw notFound(COMMON.userNotFound)
      requireSuperuserRights(userOf(request), target.role)
      const now = new Date().toISOString()
      await db
        .updateTable('users')
        .set({
          password_hash: await hashSecret(request.body.new_password),
          password_changed_at: now,
          must_change_password: 0,
          updated_at: now
        })
        .where('id', '=', target.id)
        .execute()
      await revokeUserSessions(db, target.id)
      return { message: 'Password reset successfully' }
    }
  )

  app.delete(
    '/api/v1/users/:id',
    {
      schema: { tags: ['users'], security: SECURITY.bearer, params: IdParams, response: { 200: Type.Object({ message: Type.String() }) } },
      preHandler: app.requirePermission('can_manage_users'),
      config: general
    },
    async (request) => {
      const actor = userOf(request)
      const target = await findUserById(db, request.params.id)
      if (!target) throw notFound(COMMON.userNotFound)
      if (target.id === actor.id) throw badRequest('You cannot delete your own account')
      requireSuperuserRights(actor, target.role)
      if (target.role === 'superadmin' && target.is_active === 1 && (await activeSuperadmins()) <= 1)
        throw badRequest('Cannot remove the last active superadmin')
      await db.deleteFrom('users').where('id', '=', target.id).execute()
      return { message: 'User deleted successfully' }
    }
  )
}
