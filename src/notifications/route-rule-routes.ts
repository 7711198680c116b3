// /api/v1/notifications/routes: routing rules (destination + events + minimum severity + optional
// host groups). Upstream's event names are accepted and stored under the spec's names.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { SECURITY } from '../http/openapi.js'
import { CreateRouteBody, ROUTE_MESSAGES, RouteView, UpdateRouteBody } from './notification-schemas.js'
import { IdParams, MessageReply as Message } from '../http/schema-fragments.js'
import { createRule, deleteRule, listRules, updateRule } from './route-rule-store.js'

export const routeRuleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.store.db
  const manage = { preHandler: app.requirePermission('can_manage_notifications') }
  const config = { rateLimit: app.rateLimitBucket('general'), validationShape: 'single' as const, validationMessages: ROUTE_MESSAGES }
  const TAGS = ['notifications']

  app.get(
    '/api/v1/notifications/routes',
    {
      schema: { tags: TAGS, summary: 'List routing rules', security: SECURITY.bearer, response: { 200: Type.Array(RouteView) } },
      ...manage,
      config
    },
    async () => listRules(db)
  )

  app.post(
    '/api/v1/notifications/routes',
    {
      schema: {
        tags: TAGS,
        summary: 'Add a routing rule: no rule, no delivery',
        security: SECURITY.bearer,
        body: CreateRouteBody,
        response: { 201: RouteView }
      },
      ...manage,
      config: { ...config, audit: { action: 'notification_route.create', target: 'notification_route' } }
    },
    async (request, reply) => reply.code(201).send(await createRule(db, request.body))
  )

  app.put(
    '/api/v1/notifications/routes/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Update a routing rule',
        security: SECURITY.bearer,
        params: IdParams,
        body: UpdateRouteBody,
        response: { 200: RouteView }
      },
      ...manage,
      config: { ...config, audit: { action: 'notification_route.update', target: 'notification_route' } }
    },
    async (request) => updateRule(db, request.params.id, request.body)
  )

  app.delete(
    '/api/v1/notifications/routes/:id',
    {
      schema: { tags: TAGS, summary: 'Delete a routing rule', security: SECURITY.bearer, params: IdParams, response: { 200: Message } },
      ...manage,
      config: { ...config, audit: { action: 'notification_route.delete', target: 'notification_route' } }
    },
    async (request) => {
      await deleteRule(db, request.params.id)
      return { message: 'Routing rule deleted successfully' }
    }
  )
}
