// The agent's side of a run and the browser's live view (facts/patching.md §5):
// - POST /api/v1/patching/runs/{id}/output (X-API-ID/X-API-KEY): stages started/progress/terminal,
//   answered 200 {"ok":true} (the agent treats anything else as an error);
// - GET /api/v1/patching/runs/{id}/stream (WebSocket, the dashboard's session: cookie or bearer):
//   a `snapshot` frame, then `started` / `chunk` / `done` as they happen; closed after `done`.
//   Unlike upstream, `started` really fires (on the agent's `started` stage).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { WebSocket } from 'ws'
import { agentAuth, agentHostIdOf } from '../../agent/agent-auth.js'
import { ApiError, forbidden } from '../../http/errors.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import { SECURITY } from '../../http/openapi.js'
import { ErrorReply } from '../../http/schema-fragments.js'
import { recordAgentOutput } from './agent-output.js'
import { runById } from './run-queries.js'
import { requireRunId } from './run-reads.js'
import { AgentOutputBody, RunIdParams } from './run-schemas.js'
import type { StreamFrame } from './run-stream-hub.js'

const STREAM_PING_MS = 30_000
/** Browsers only ever send pings; a bigger message closes the stream (upstream's 1 KiB read limit). */
const MAX_BROWSER_MESSAGE = 1024
/** A browser that cannot keep up is closed; on reconnect its snapshot holds what it missed. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024
const STREAM_DONE_STATUSES = new Set(['completed', 'failed', 'cancelled', 'timed_out', 'agent_disconnected', 'validated', 'approved'])
const E = ERROR_MESSAGES.patching

/** Cross-site WebSocket hijacking guard: a cookie-authenticated upgrade must come from our own origin. */
function foreignOrigin(request: FastifyRequest): boolean {
  const authorization = request.headers.authorization
  if (typeof authorization === 'string' && /^Bearer\s/i.test(authorization)) return false
  const origin = request.headers.origin
  if (typeof origin !== 'string' || origin === '') return false
  try {
    return new URL(origin).host.toLowerCase() !== request.host.toLowerCase()
  } catch {
    return true
  }
}

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
      config: { rateLimit: app.rateLimitBucket('agent'), validationShape: 'single' as const },
      preValidation: requireAgent
    },
    async (request) => {
      const body = request.body
      await recordAgentOutput(app, agentHostIdOf(request), requireRunId(request.params.id), {
        stage: body.stage,
        ...(typeof body.output === 'string' ? { output: body.output } : {}),
        ...(typeof body.error_message === 'string' ? { error_message: body.error_message } : {}),
        ...(body.pre_patch_hook ? { pre_patch_hook: body.pre_patch_hook } : {}),
        ...(typeof body.reboot_required === 'boolean' ? { reboot_required: body.reboot_required } : {})
      })
      return { ok: true }
    }
  )

  app.get(
    '/api/v1/patching/runs/:id/stream',
    {
      websocket: true,
      schema: { tags: ['Patching'], summary: 'Live output of a run (WebSocket upgrade)', params: RunIdParams, hide: true },
      config: { rateLimit: app.rateLimitBucket('general') },
      preHandler: [
        view,
        async (request) => {
          if (foreignOrigin(request)) throw forbidden()
          const id = requireRunId((request.params as { id: string }).id)
          if (!(await runById(app.store.db, id))) throw new ApiError(E.runNotFound.status, { error: E.runNotFound.message })
        }
      ]
    },
    async (socket: WebSocket, request) => {
      const runId = requireRunId(request.params.id)
      const send = (frame: object): void => {
        if (socket.readyState !== socket.OPEN) return
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) return void socket.close(1013, 'too slow')
        socket.send(JSON.stringify(frame))
      }
      // Subscribe before reading the snapshot, so nothing falls between the two (a chunk may then
      // appear in both, which a terminal's re-render tolerates; none is lost).
      const pending: StreamFrame[] = []
      let live = false
      const unsubscribe = app.patchRunStreams.subscribe(runId, (frame) => {
        if (!live) return void pending.push(frame)
        send(frame)
        if (frame.type === 'done') socket.close(1000, 'done')
      })
      const ping = setInterval(() => socket.ping(), STREAM_PING_MS)
      socket.on('close', () => {
        clearInterval(ping)
        unsubscribe()
      })
      socket.on('message', (data: Buffer) => {
        if (data.length > MAX_BROWSER_MESSAGE) socket.close(1009, 'message too big')
      })
      socket.on('error', () => socket.terminate())
      const run = await runById(app.store.db, runId)
      if (!run) return void socket.close(1000, 'gone')
      send({
        type: 'snapshot',
        patch_run_id: run.id,
        stage: run.status,
        shell_output: run.shell_output,
        error_message: run.error_message ?? ''
      })
      if (STREAM_DONE_STATUSES.has(run.status)) {
        send({ type: 'done', patch_run_id: run.id, stage: run.status, ...(run.error_message ? { error_message: run.error_message } : {}) })
        return void socket.close(1000, 'done')
      }
      live = true
      for (const frame of pending.splice(0)) {
        send(frame)
        if (frame.type === 'done') return void socket.close(1000, 'done')
      }
    }
  )
}
