// A stand-in upstream 2.x agent for patching tests: it holds a REAL WebSocket to /api/v1/agents/ws
// with an enrolled host's X-API-ID/X-API-KEY, records the frames the server pushes, and POSTs its
// stages to /api/v1/patching/runs/{id}/output exactly as facts/patching.md §5 describes.
import WebSocket from 'ws'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'
import { buildTestApp, bearer, type TestApp, type TestAppOptions } from '../helpers/test-app.js'
import { createHostViaApi, type TestHost } from '../helpers/agent-fixtures.js'

export interface Frame {
  type: string
  patch_run_id?: string
  [key: string]: unknown
}

export async function until(check: () => boolean | Promise<boolean>, what: string, tries = 500): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`timed out waiting for ${what}`)
}

export async function listen(ctx: TestApp): Promise<number> {
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  return (ctx.app.server.address() as AddressInfo).port
}

export class StandInAgent {
  readonly frames: Frame[] = []
  socket: WebSocket | undefined

  constructor(
    readonly ctx: TestApp,
    readonly host: TestHost,
    readonly port: number
  ) {}

  async connect(): Promise<void> {
    const socket = new WebSocket(`ws://127.0.0.1:${this.port}/api/v1/agents/ws`, {
      headers: { 'X-API-ID': this.host.apiId, 'X-API-KEY': this.host.apiKey }
    })
    socket.on('message', (data) => this.frames.push(JSON.parse(data.toString()) as Frame))
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    })
    this.socket = socket
    await until(() => this.ctx.app.agentConnections.isConnected(this.host.id), 'the agent link to register')
  }

  async disconnect(): Promise<void> {
    const socket = this.socket
    if (!socket) return
    this.socket = undefined
    if (socket.readyState === WebSocket.CLOSED) return
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve())
      socket.terminate()
    })
    await until(() => !this.ctx.app.agentConnections.state(this.host.id).transports.includes('websocket'), 'the agent link to drop')
  }

  framesOf(type: string, runId?: string): Frame[] {
    return this.frames.filter((f) => f.type === type && (runId === undefined || f.patch_run_id === runId))
  }

  async waitFrame(type: string, runId?: string): Promise<Frame> {
    await until(() => this.framesOf(type, runId).length > 0, `a ${type} frame`)
    return this.framesOf(type, runId)[0] as Frame
  }

  /** POST /api/v1/patching/runs/{id}/output over the real listening server. */
  async post(runId: string, body: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`http://127.0.0.1:${this.port}/api/v1/patching/runs/${runId}/output`, {
      method: 'POST',
      headers: { 'X-API-ID': this.host.apiId, 'X-API-KEY': this.host.apiKey, 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    })
    return { status: res.status, body: await res.json() }
  }
}

export interface PatchingSetup {
  ctx: TestApp
  port: number
  host: TestHost
  agent: StandInAgent
}

/** Sets the version the host's last report gave (a report fixture would do the same). */
export async function setAgentVersion(ctx: TestApp, hostId: string, version: string | null): Promise<void> {
  await ctx.store.db.updateTable('hosts').set({ agent_version: version }).where('id', '=', hostId).execute()
}

export async function patchingSetup(
  t: Test,
  options: TestAppOptions & { agentVersion?: string | null; hostName?: string } = {}
): Promise<PatchingSetup> {
  const ctx = await buildTestApp(t, options)
  const port = await listen(ctx)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, options.hostName ?? 'web1')
  await setAgentVersion(ctx, host.id, options.agentVersion === undefined ? '2.1.3' : options.agentVersion)
  const agent = new StandInAgent(ctx, host, port)
  await agent.connect()
  t.teardown(() => agent.disconnect())
  return { ctx, port, host, agent }
}

export async function trigger(ctx: TestApp, payload: Record<string, unknown>, token = ctx.adminToken) {
  return ctx.app.inject({ method: 'POST', url: '/api/v1/patching/trigger', headers: bearer(token), payload })
}

export async function runOf(ctx: TestApp, id: string): Promise<Record<string, unknown>> {
  const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/patching/runs/${id}`, headers: bearer(ctx.adminToken) })
  if (res.statusCode !== 200) throw new Error(`run ${id}: ${res.statusCode} ${res.body}`)
  return res.json() as Record<string, unknown>
}

export async function statusOf(ctx: TestApp, id: string): Promise<string> {
  return (await runOf(ctx, id)).status as string
}

/** Drives the patching clock: the dispatcher and sweeps see `ms` later than real time. */
export function advanceClock(ctx: TestApp, ms: number): void {
  const previous = ctx.app.patchRuns.clock
  ctx.app.patchRuns.clock = () => previous() + ms
}
