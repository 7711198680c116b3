// /api/v1/patching/policies (facts §3): list, detail, create (201), replace, delete (204),
// assignments (201 / 204) and exclusions (201 / 204). Reading needs can_view_hosts, changing
// can_manage_patching. Repeating an assignment or exclusion answers 200 with the existing one.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { userOf } from '../../http/session-auth.js'
import { SECURITY } from '../../http/openapi.js'
import { ErrorMessageReply, ErrorReply } from '../../http/schema-fragments.js'
import * as policies from './policy-service.js'
import { Assignment, Exclusion, Policy, PolicyBody, PolicyDetailView, PolicyListView } from './policy-schemas.js'

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
          200: PolicyListView,
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
    {
      schema: { ...base, summary: 'Create a policy', body: PolicyBody, response: { 201: Policy, ...errors } },
      preHandler: manage,
      config: { ...config, audit: { action: 'patch_policy.create', target: 'patch_policy' } }
    },
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
          200: PolicyDetailView,
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
      config: { ...config, audit: { action: 'patch_policy.update', target: 'patch_policy' } }
    },
    async (request) => policies.updatePolicy(app, request.params.id, request.body, userOf(request).id)
  )

  app.delete(
    `${url}/:id`,
    {
      schema: { ...base, summary: 'Delete a policy', params: IdParams, response: { 204: Type.Null(), ...errors } },
      preHandler: manage,
      config: { ...config, audit: { action: 'patch_policy.delete', target: 'patch_policy' } }
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
      config: { ...config, audit: { action: 'patch_policy.assign', target: 'patch_policy' } }
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
      config: { ...config, audit: { action: 'patch_policy.unassign', target: 'patch_policy' } }
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
      config: { ...config, audit: { action: 'patch_policy.exclude', target: 'patch_policy' } }
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
      config: { ...config, audit: { action: 'patch_policy.unexclude', target: 'patch_policy' } }
    },
    async (request, reply) => {
      await policies.unexclude(app, request.params.id, request.params.hostId, userOf(request).id)
      return reply.code(204).send(null)
    }
  )
}
