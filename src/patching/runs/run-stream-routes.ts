// The agent's side of a run and the browser's live view (facts/patching.md §5):
// - POST /api/v1/patching/runs/{id}/output (X-API-ID/X-API-KEY): stages started/progress/terminal,
//   answered 200 {"ok":true} (the agent treats anything else as an error);
// - GET /api/v1/patching/runs/{id}/stream (WebSocket, the dashboard's session: cookie or bearer):
//   a `snapshot` frame, then `started` / `chunk` / `done` as they happen; closed after `done`.
//   Unlike upstream, `started` really fires (on the agent's `started` stage).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { WebSocket } from 'ws'
import { agentAuth, agentHostIdOf } from '../../agent/agent-auth.js'
import { SECURITY } from '../../http/openapi.js'
import { ErrorReply } from '../../http/schema-fragments.js'
import { agentOutputOf, recordAgentOutput } from './agent-output.js'
import { requireRunId } from './run-reads.js'
import { AgentOutputBody, RunIdParams } from './run-schemas.js'
import { checkStreamRequest, serveRunStream } from './run-stream-session.js'

export const runStreamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const requireAgent = agentAuth(app)
  const view = app.requirePermission('can_view_hosts')

  app.post(
    '/api/v1/patching/runs/:id/output',
    {
      schema: {
        tags: ['Agent'],
        summary: "The agent's run stages and output",
        security: SECURITY.agent,
        params: RunIdParams,
        body: AgentOutputBody,
        response: { 200: Type.Object({ ok: Type.Boolean() }), 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply }
      },
      config: {
        audit: { notAudited: 'agent traffic (reports, pings, run output): kept in report history and patch runs' },
        rateLimit: app.rateLimitBucket('agent'),
        validationShape: 'single' as const
      },
      preValidation: requireAgent
    },
    async (request) => {
      await recordAgentOutput(app, agentHostIdOf(request), requireRunId(request.params.id), agentOutputOf(request.body))
      return { ok: true }
    }
  )

  app.get(
    '/api/v1/patching/runs/:id/stream',
    {
      websocket: true,
      schema: { tags: ['patching'], summary: 'Live output of a run (WebSocket upgrade)', params: RunIdParams, hide: true },
      config: { rateLimit: app.rateLimitBucket('general') },
      preHandler: [view, async (request) => checkStreamRequest(app, request)]
    },
    async (socket: WebSocket, request) => serveRunStream(app, socket, requireRunId(request.params.id))
  )
}
