// /api/v1/patching/policies (facts §3): list, detail, create (201), replace, delete (204),
// assignments (201 / 204) and exclusions (201 / 204). Reading needs can_view_hosts, changing
// can_manage_patching. Repeating an assignment or exclusion answers 200 with the existing one.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { userOf } from '../../http/session-auth.js'
import { SECURITY } from '../../http/openapi.js'
import { ErrorMessageReply, ErrorReply } from '../../http/schema-fragments.js'
import * as policies from './policy-service.js'

const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()])
const stamps = { created_at: Type.String(), updated_at: Type.String() }
const Policy = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  patch_delay_type: Type.String(),
  delay_minutes: Nullable(Type.Integer()),
  fixed_time_utc: Nullable(Type.String()),
  timezone: Nullable(Type.String()),
  ...stamps
})
const Assignment = Type.Object({
  id: Type.String(),
  patch_policy_id: Type.String(),
  target_type: Type.String(),
  target_id: Type.String(),
  ...stamps
})
const Exclusion = Type.Object({ id: Type.String(), patch_policy_id: Type.String(), host_id: Type.String(), ...stamps })
const PolicyBody = Type.Object(
  {
    name: Type.Optional(Type.Unknown()),
    description: Type.Optional(Type.Unknown()),
    patch_delay_type: Type.Optional(Type.Unknown()),
    delay_minutes: Type.Optional(Type.Unknown()),
    fixed_time_utc: Type.Optional(Type.Unknown()),
    timezone: Type.Optional(Type.Unknown())
  },
  { additionalProperties: true }
)
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
const errors = { 400: ErrorMessageReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorMessageReply }

export const policyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const view = app.requirePermission('can_view_hosts')
  const manage = app.requirePermission('can_manage_patching')
  const config = { rateLimit: app.rateLimitBucket('general'), validationShape: 'single' as const }
  const base = { tags: ['patching'], security: SECURITY.bearer }
  const url = '/api/v1/patching/policies'

  app.get(
    url,
    {
      schema: {
        ...base,
        summary: 'Patch policies (timing templates)',
        response: {
          200: Type.Array(
            Type.Object({ ...Policy.properties, _count: Type.Object({ assignments: Type.Integer(), exclusions: Type.Integer() }) })
          ),
          ...errors
        }
      },
      preHandler: view,
      config
    },
    async () => policies.policyList(app)
  )

  app.post(
    url,
    { schema: { ...base, summary: 'Create a policy', body: PolicyBody, response: { 201: Policy, ...errors } }, preHandler: manage, config },
    async (request, reply) => reply.code(201).send(await policies.createPolicy(app, request.body, userOf(request).id))
  )

  app.get(
    `${url}/:id`,
    {
      schema: {
        ...base,
        summary: 'A policy with its assignments and exclusions',
        params: IdParams,
        response: {
          200: Type.Object({
            ...Policy.properties,
            assignments: Type.Array(Assignment),
            exclusions: Type.Array(
              Type.Object({
                ...Exclusion.properties,
                hosts: Type.Object({ id: Type.String(), friendly_name: Type.String(), hostname: Nullable(Type.String()) })
              })
            )
          }),
          ...errors
        }
      },
      preHandler: view,
      config
    },
    async (request) => policies.policyDetail(app, request.params.id)
  )

  app.put(
    `${url}/:id`,
    {
      schema: { ...base, summary: 'Replace a policy', params: IdParams, body: PolicyBody, response: { 200: Policy, ...errors } },
      preHandler: manage,
      config
    },
    async (request) => policies.updatePolicy(app, request.params.id, request.body, userOf(request).id)
  )

  app.delete(
    `${url}/:id`,
    {
      schema: { ...base, summary: 'Delete a policy', params: IdParams, response: { 204: Type.Null(), ...errors } },
      preHandler: manage,
      config
    },
    async (request, reply) => {
      await policies.removePolicy(app, request.params.id, userOf(request).id)
      return reply.code(204).send(null)
    }
  )

  app.get(
    `${url}/:id/assignments`,
    {
      schema: { ...base, summary: "A policy's assignments", params: IdParams, response: { 200: Type.Array(Assignment), ...errors } },
      preHandler: view,
      config
    },
    async (request) => policies.policyAssignments(app, request.params.id)
  )

  app.post(
    `${url}/:id/assignments`,
    {
      schema: {
        ...base,
        summary: 'Assign a host or host group (one policy per target: another policy answers 409)',
        params: IdParams,
        body: Type.Object(
          { target_type: Type.Optional(Type.Unknown()), target_id: Type.Optional(Type.Unknown()) },
          { additionalProperties: true }
        ),
        response: { 200: Assignment, 201: Assignment, ...errors }
      },
      preHandler: manage,
      config
    },
    async (request, reply) => {
      const { created, assignment } = await policies.assign(app, request.params.id, request.body, userOf(request).id)
      return reply.code(created ? 201 : 200).send(assignment)
    }
  )

  app.delete(
    `${url}/:id/assignments/:assignmentId`,
    {
      schema: {
        ...base,
        summary: 'Remove an assignment',
        params: Type.Object({ id: Type.String({ maxLength: 64 }), assignmentId: Type.String({ maxLength: 64 }) }),
        response: { 204: Type.Null(), ...errors }
      },
      preHandler: manage,
      config
    },
    async (request, reply) => {
      await policies.unassign(app, request.params.id, request.params.assignmentId, userOf(request).id)
      return reply.code(204).send(null)
    }
  )

  app.post(
    `${url}/:id/exclusions`,
    {
      schema: {
        ...base,
        summary: "Exclude a host from the policy's group assignments",
        params: IdParams,
        body: Type.Object({ host_id: Type.Optional(Type.Unknown()) }, { additionalProperties: true }),
        response: { 200: Exclusion, 201: Exclusion, ...errors }
      },
      preHandler: manage,
      config
    },
    async (request, reply) => {
      const { created, exclusion } = await policies.exclude(app, request.params.id, request.body, userOf(request).id)
      return reply.code(created ? 201 : 200).send(exclusion)
    }
  )

  app.delete(
    `${url}/:id/exclusions/:hostId`,
    {
      schema: {
        ...base,
        summary: 'Remove an exclusion',
        params: Type.Object({ id: Type.String({ maxLength: 64 }), hostId: Type.String({ maxLength: 64 }) }),
        response: { 204: Type.Null(), ...errors }
      },
      preHandler: manage,
      config
    },
    async (request, reply) => {
      await policies.unexclude(app, request.params.id, request.params.hostId, userOf(request).id)
      return reply.code(204).send(null)
    }
  )
}
