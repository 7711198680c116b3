// User management for admins: list, create, update (role, active, names), reset password, delete.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, MessageReply } from '../http/schema-fragments.js'
import { Type } from '@fastify/type-provider-typebox'
import { SECURITY } from '../http/openapi.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { validationMessagesOf } from '../http/errors.js'
import { userOf } from '../http/session-auth.js'
import { listRoles } from './role-queries.js'
import { listUsers, publicUser } from './user-queries.js'
import { createUser, deleteUserAsAdmin, resetPasswordAsAdmin, updateUserAsAdmin, userWithScope } from './user-service.js'
import { UserView } from './auth-schemas.js'
import { auditDetail } from '../audit/audit-hooks.js'
import { HOST_GROUP_IDS, RoleView } from './role-routes.js'
import { hostGroupIdsByUser } from './scope-queries.js'

const USERNAME = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' })
const EMAIL = Type.String({ maxLength: 255, format: 'email' })

const CreateUserBody = Type.Object({
  username: USERNAME,
  email: Type.Optional(Type.Union([EMAIL, Type.Null()])),
  password: Type.String({ minLength: 8, maxLength: 1024 }),
  role: Type.String({ minLength: 1, maxLength: 64 }),
  first_name: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
  last_name: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
  host_group_ids: Type.Optional(HOST_GROUP_IDS)
})

const UpdateUserBody = Type.Object({
  email: Type.Optional(Type.Union([EMAIL, Type.Null()])),
  role: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  is_active: Type.Optional(Type.Boolean()),
  first_name: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
  last_name: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
  host_group_ids: Type.Optional(HOST_GROUP_IDS)
})

const U = ERROR_MESSAGES.users
const FIELD_MESSAGES = validationMessagesOf({
  username: U.username,
  email: U.email,
  password: U.password,
  role: U.role,
  is_active: U.is_active,
  host_group_ids: ERROR_MESSAGES.access.hostGroupIds
})

export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.store.db
  const general = { rateLimit: app.rateLimitBucket('general') }

  app.get(
    '/api/v1/roles',
    {
      schema: {
        tags: ['users'],
        security: SECURITY.bearer,
        response: { 200: Type.Array(RoleView) }
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
      const groups = await hostGroupIdsByUser(db)
      return (await listUsers(db)).map((r) => ({ ...publicUser(r), host_group_ids: r.host_scoped === 1 ? (groups.get(r.id) ?? []) : null }))
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
      config: { audit: { action: 'user.create', target: 'user' }, ...general, validationMessages: FIELD_MESSAGES }
    },
    async (request, reply) => {
      const row = await createUser(db, userOf(request), request.body)
      auditDetail(request, { role: row.role })
      return reply.code(201).send({ message: 'User created successfully', user: await userWithScope(db, row) })
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
      config: { audit: { action: 'user.update', target: 'user' }, ...general, validationMessages: FIELD_MESSAGES }
    },
    async (request) => {
      const updated = await updateUserAsAdmin(db, app.events, userOf(request), request.params.id, request.body)
      auditDetail(request, { role: updated.role, is_active: updated.is_active === 1 })
      return { message: 'User updated successfully', user: await userWithScope(db, updated) }
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
        response: { 200: MessageReply }
      },
      preHandler: app.requirePermission('can_manage_users'),
      config: {
        audit: { action: 'user.password_reset', target: 'user' },
        ...general,
        validationMessages: validationMessagesOf({ new_password: U.password })
      }
    },
    async (request) => {
      await resetPasswordAsAdmin(db, userOf(request), request.params.id, request.body.new_password)
      return { message: 'Password reset successfully' }
    }
  )

  app.delete(
    '/api/v1/users/:id',
    {
      schema: { tags: ['users'], security: SECURITY.bearer, params: IdParams, response: { 200: MessageReply } },
      preHandler: app.requirePermission('can_manage_users'),
      config: { ...general, audit: { action: 'user.delete', target: 'user' } }
    },
    async (request) => {
      await deleteUserAsAdmin(db, userOf(request), request.params.id)
      return { message: 'User deleted successfully' }
    }
  )
}
