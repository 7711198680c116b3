// One browser watching one run over GET /api/v1/patching/runs/{id}/stream: a `snapshot` frame, then
// the hub's `started` / `chunk` / `done` frames as they happen; closed after `done`.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { WebSocket } from 'ws'
import { ApiError, forbidden } from '../../http/errors.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import { runById } from './run-queries.js'
import { requireRunId } from './run-reads.js'
import type { StreamFrame } from './run-stream-hub.js'
import type { SnapshotFrame } from './run-schemas.js'

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

/** Checked before the upgrade: same origin (for cookies), and the run exists. */
export async function checkStreamRequest(app: FastifyInstance, request: FastifyRequest): Promise<void> {
  if (foreignOrigin(request)) throw forbidden()
  const id = requireRunId((request.params as { id: string }).id)
  if (!(await runById(app.store.db, id))) throw new ApiError(E.runNotFound.status, { error: E.runNotFound.message })
}

export async function serveRunStream(app: FastifyInstance, socket: WebSocket, runId: string): Promise<void> {
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
  const snapshot: SnapshotFrame = {
    type: 'snapshot',
    patch_run_id: run.id,
    stage: run.status,
    shell_output: run.shell_output,
    error_message: run.error_message ?? ''
  }
  send(snapshot)
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
