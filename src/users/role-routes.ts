// Custom roles for admins: list (GET /api/v1/roles, also in user-routes' history), create, change,
// delete. The rules live in role-service.ts; these handlers translate HTTP only.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SECURITY } from '../http/openapi.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { validationMessagesOf } from '../http/errors.js'
import { MessageReply } from '../http/schema-fragments.js'
import { userOf } from '../http/session-auth.js'
import { PERMISSIONS } from './permissions.js'
import { changeRole, createRole, removeRole } from './role-service.js'

export const ROLE_NAME = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })
/** null = every host; a list = only hosts in these groups (an empty list: none). */
export const HOST_GROUP_IDS = Type.Union([Type.Array(Type.String({ format: 'uuid' }), { maxItems: 500 }), Type.Null()])
const PERMISSION_LIST = Type.Array(Type.Union(PERMISSIONS.map((p) => Type.Literal(p))), { maxItems: PERMISSIONS.length * 2 })

export const RoleView = Type.Object({
  name: Type.String(),
  description: Type.String(),
  is_builtin: Type.Boolean(),
  permissions: Type.Array(Type.String()),
  host_group_ids: Type.Union([Type.Array(Type.String()), Type.Null()])
})

const RoleFields = {
  description: Type.Optional(Type.String({ maxLength: 500 })),
  permissions: Type.Optional(PERMISSION_LIST),
  host_group_ids: Type.Optional(HOST_GROUP_IDS)
}

const A = ERROR_MESSAGES.access
const FIELD_MESSAGES = validationMessagesOf({ name: A.roleName, permissions: A.permissions, host_group_ids: A.hostGroupIds })
const RoleParams = Type.Object({ name: ROLE_NAME })

export const roleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.store.db
  const config = { rateLimit: app.rateLimitBucket('general'), validationMessages: FIELD_MESSAGES }
  const manage = app.requirePermission('can_manage_users')
  const reply = Type.Object({ message: Type.String(), role: RoleView })

  app.post(
    '/api/v1/roles',
    {
      schema: {
        tags: ['users'],
        security: SECURITY.bearer,
        body: Type.Object({ name: ROLE_NAME, ...RoleFields, permissions: PERMISSION_LIST }),
        response: { 201: reply }
      },
      preHandler: manage,
      config: { ...config, audit: { action: 'role.create', target: 'role' } }
    },
    async (request, res) => {
      const { name, ...input } = request.body
      const role = await createRole(db, userOf(request), name, input)
      return res.code(201).send({ message: 'Role created successfully', role })
    }
  )

  app.put(
    '/api/v1/roles/:name',
    {
      schema: { tags: ['users'], security: SECURITY.bearer, params: RoleParams, body: Type.Object(RoleFields), response: { 200: reply } },
      preHandler: manage,
      config: { ...config, audit: { action: 'role.update', target: 'role', idParam: 'name' } }
    },
    async (request) => ({
      message: 'Role updated successfully',
      role: await changeRole(db, userOf(request), request.params.name, request.body)
    })
  )

  app.delete(
    '/api/v1/roles/:name',
    {
      schema: { tags: ['users'], security: SECURITY.bearer, params: RoleParams, response: { 200: MessageReply } },
      preHandler: manage,
      config: { ...config, audit: { action: 'role.delete', target: 'role', idParam: 'name' } }
    },
    async (request) => {
      await removeRole(db, userOf(request), request.params.name)
      return { message: 'Role deleted successfully' }
    }
  )
}
