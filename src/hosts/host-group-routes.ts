// Host groups: named, coloured sets of hosts (a host may be in many). Listing needs
// can_view_hosts; changes need can_manage_hosts. Deleting a group keeps its hosts.
import { ERROR_MESSAGES } from '../http/error-messages.js'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { COMMON, notFound } from '../http/errors.js'
import { SECURITY } from '../http/openapi.js'
import { deleteGroup, listGroupViews } from './host-group-queries.js'
import { changeGroup, createGroup } from './host-group-service.js'
import { ErrorReply, IdParams, MessageReply } from '../http/schema-fragments.js'

const COLOR = Type.String({ pattern: '^#[0-9A-Fa-f]{6}$' })
const NAME = Type.String({ minLength: 1, maxLength: 100 })

const HostGroupView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  color: Type.String(),
  host_count: Type.Integer(),
  created_at: Type.String(),
  updated_at: Type.String()
})

const CreateGroupBody = Type.Object(
  {
    name: NAME,
    description: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
    color: Type.Optional(COLOR)
  },
  { additionalProperties: false }
)

const UpdateGroupBody = Type.Object(
  {
    name: Type.Optional(NAME),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
    color: Type.Optional(COLOR)
  },
  { additionalProperties: false }
)

const GROUP_ERRORS = ERROR_MESSAGES.hostGroups
const MESSAGES = {
  name: GROUP_ERRORS.nameInvalid.message,
  description: GROUP_ERRORS.descriptionTooLong.message,
  color: GROUP_ERRORS.colorInvalid.message
}

export const hostGroupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.store.db
  const config = { rateLimit: app.rateLimitBucket('general'), validationMessages: MESSAGES }

  app.get(
    '/api/v1/host-groups',
    {
      schema: {
        tags: ['host groups'],
        summary: 'Host groups with their host counts',
        security: SECURITY.bearer,
        response: { 200: Type.Array(HostGroupView) }
      },
      preHandler: app.requirePermission('can_view_hosts'),
      config
    },
    async () => listGroupViews(db)
  )

  app.post(
    '/api/v1/host-groups',
    {
      schema: {
        tags: ['host groups'],
        summary: 'Create a host group',
        security: SECURITY.bearer,
        body: CreateGroupBody,
        response: { 201: HostGroupView, 409: ErrorReply }
      },
      preHandler: app.requirePermission('can_manage_hosts'),
      config: { ...config, audit: { action: 'host_group.create', target: 'host_group' } }
    },
    async (request, reply) => reply.code(201).send(await createGroup(db, request.body))
  )

  app.put(
    '/api/v1/host-groups/:id',
    {
      schema: {
        tags: ['host groups'],
        summary: 'Rename, describe or recolour a host group',
        security: SECURITY.bearer,
        params: IdParams,
        body: UpdateGroupBody,
        response: { 200: HostGroupView, 404: ErrorReply, 409: ErrorReply }
      },
      preHandler: app.requirePermission('can_manage_hosts'),
      config: { ...config, audit: { action: 'host_group.update', target: 'host_group' } }
    },
    async (request) => changeGroup(db, request.params.id, request.body)
  )

  app.delete(
    '/api/v1/host-groups/:id',
    {
      schema: {
        tags: ['host groups'],
        summary: 'Delete a host group (its hosts stay)',
        security: SECURITY.bearer,
        params: IdParams,
        response: { 200: MessageReply, 404: ErrorReply }
      },
      preHandler: app.requirePermission('can_manage_hosts'),
      config: { ...config, audit: { action: 'host_group.delete', target: 'host_group' } }
    },
    async (request) => {
      if (!(await deleteGroup(db, request.params.id))) throw notFound(COMMON.hostGroupNotFound)
      request.log.info({ hostGroupId: request.params.id }, 'host group deleted')
      return { message: 'Host group deleted successfully' }
    }
  )
}
