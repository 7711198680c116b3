// The dashboard's host management: list (search, group and status filters, sort, paging), create
// (credentials shown once), detail, rename/notes, group membership, credential rotation, delete.
// Reads need can_view_hosts; changes need can_manage_hosts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { COMMON, notFound } from '../http/errors.js'
import { SECURITY } from '../http/openapi.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { addHost, setHostGroups, updateHost, withKnownGroups } from './host-service.js'
import { removeHost, rotateHostCredentials } from './host-actions.js'
import { hostDetail, listHosts, type StatusClock } from './host-queries.js'
import { BadRequestReply, HostDetail, HostListQuery, HostSummary } from './host-schemas.js'
import { ErrorReply, IdParams, MessageReply } from '../http/schema-fragments.js'

const GROUP_IDS = Type.Array(Type.String({ maxLength: 64 }), { maxItems: 500 })

const CreateHostBody = Type.Object(
  {
    friendly_name: Type.String({ minLength: 1, maxLength: 255 }),
    host_group_ids: Type.Optional(GROUP_IDS)
  },
  { additionalProperties: false }
)

const PatchHostBody = Type.Object(
  {
    friendly_name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    notes: Type.Optional(Type.Union([Type.String({ maxLength: 10_000 }), Type.Null()]))
  },
  { additionalProperties: false }
)

const Credentials = {
  api_id: Type.String(),
  api_key: Type.String({ description: 'Shown only in this response; stored as a bcrypt hash' })
}

const HOST_ERRORS = ERROR_MESSAGES.hosts
const MESSAGES = {
  friendly_name: HOST_ERRORS.friendlyNameInvalid.message,
  host_group_ids: HOST_ERRORS.hostGroupIdsInvalid.message,
  notes: HOST_ERRORS.notesTooLong.message
}

export const hostRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.store.db
  const config = { rateLimit: app.rateLimitBucket('general'), validationMessages: MESSAGES }
  const view = app.requirePermission('can_view_hosts')
  const manage = app.requirePermission('can_manage_hosts')
  const clock = async (): Promise<StatusClock> => ({ updateIntervalMinutes: await app.settings.get('update_interval'), nowMs: Date.now() })

  async function detailOr404(id: string) {
    const detail = await hostDetail(db, id, await clock())
    if (!detail) throw notFound(COMMON.hostNotFound)
    return detail
  }

  app.get(
    '/api/v1/hosts',
    {
      schema: {
        tags: ['hosts'],
        summary: 'Hosts, filtered, sorted and paged',
        security: SECURITY.bearer,
        querystring: HostListQuery,
        response: {
          200: Type.Object({ hosts: Type.Array(HostSummary), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() })
        }
      },
      preHandler: view,
      config
    },
    async (request) => {
      const { hosts, total } = await listHosts(db, request.query, await clock())
      return { hosts, total, limit: request.query.limit ?? 50, offset: request.query.offset ?? 0 }
    }
  )

  app.post(
    '/api/v1/hosts',
    {
      schema: {
        tags: ['hosts'],
        summary: 'Add a host; its API key is shown only in this response',
        security: SECURITY.bearer,
        body: CreateHostBody,
        response: {
          201: Type.Object({
            message: Type.String(),
            id: Type.String(),
            friendly_name: Type.String(),
            ...Credentials,
            host_groups: Type.Array(Type.String())
          }),
          400: BadRequestReply
        }
      },
      preHandler: manage,
      config: { ...config, audit: { action: 'host.create', target: 'host' } }
    },
    async (request, reply) => {
      const created = await addHost(db, request.body.friendly_name, request.body.host_group_ids ?? [])
      request.log.info({ hostId: created.id }, 'host created')
      return reply.code(201).send({ message: 'Host created successfully', ...created })
    }
  )

  app.get(
    '/api/v1/hosts/:id',
    {
      schema: {
        tags: ['hosts'],
        summary: 'A host: system facts, groups, counts, status',
        security: SECURITY.bearer,
        params: IdParams,
        response: { 200: HostDetail, 404: ErrorReply }
      },
      preHandler: view,
      config
    },
    async (request) => detailOr404(request.params.id)
  )

  app.patch(
    '/api/v1/hosts/:id',
    {
      schema: {
        tags: ['hosts'],
        summary: 'Rename a host or edit its notes',
        security: SECURITY.bearer,
        params: IdParams,
        body: PatchHostBody,
        response: { 200: HostDetail, 404: ErrorReply }
      },
      preHandler: manage,
      config: { ...config, audit: { action: 'host.update', target: 'host' } }
    },
    async (request) => {
      const { friendly_name: friendlyName, notes } = request.body
      const found = await updateHost(db, request.params.id, {
        ...(friendlyName !== undefined ? { friendlyName } : {}),
        ...(notes !== undefined ? { notes } : {})
      })
      if (!found) throw notFound(COMMON.hostNotFound)
      return detailOr404(request.params.id)
    }
  )

  app.put(
    '/api/v1/hosts/:id/groups',
    {
      schema: {
        tags: ['hosts'],
        summary: 'Set the groups of a host (replaces its memberships)',
        security: SECURITY.bearer,
        params: IdParams,
        body: Type.Object({ host_group_ids: GROUP_IDS }, { additionalProperties: false }),
        response: { 200: HostDetail, 400: BadRequestReply, 404: ErrorReply }
      },
      preHandler: manage,
      config: { ...config, audit: { action: 'host.groups_update', target: 'host' } }
    },
    async (request) => {
      const hostId = request.params.id
      if (!(await withKnownGroups(() => setHostGroups(db, hostId, request.body.host_group_ids)))) throw notFound(COMMON.hostNotFound)
      return detailOr404(hostId)
    }
  )

  app.post(
    '/api/v1/hosts/:id/regenerate-credentials',
    {
      schema: {
        tags: ['hosts'],
        summary: 'New API id and key for a host; the old ones stop working at once',
        security: SECURITY.bearer,
        params: IdParams,
        response: { 200: Type.Object({ message: Type.String(), id: Type.String(), ...Credentials }), 404: ErrorReply }
      },
      preHandler: manage,
      config: { ...config, audit: { action: 'host.credentials_rotate', target: 'host' } }
    },
    async (request) => {
      const hostId = request.params.id
      const creds = await rotateHostCredentials(app, hostId)
      if (!creds) throw notFound(COMMON.hostNotFound)
      request.log.info({ hostId }, 'host credentials regenerated')
      return { message: 'Credentials regenerated successfully', id: hostId, api_id: creds.apiId, api_key: creds.apiKey }
    }
  )

  app.delete(
    '/api/v1/hosts/:id',
    {
      schema: {
        tags: ['hosts'],
        summary: 'Delete a host and everything recorded about it',
        security: SECURITY.bearer,
        params: IdParams,
        response: { 200: MessageReply, 404: ErrorReply }
      },
      preHandler: manage,
      config: { ...config, audit: { action: 'host.delete', target: 'host' } }
    },
    async (request) => {
      const deleted = await removeHost(app, request.params.id)
      if (!deleted) throw notFound(COMMON.hostNotFound)
      request.log.info({ hostId: deleted.id }, 'host deleted')
      return { message: 'Host deleted successfully' }
    }
  )
}
