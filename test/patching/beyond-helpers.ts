// Shared set-up for the schedules/windows/holds/reboots/bulk tests: the real app on a temp SQLite
// file, listening on loopback; hosts that reported packages as a 2.x agent; a stand-in agent on the
// real WebSocket that records the frames it receives and answers with the upstream stages.
import WebSocket from 'ws'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'
import { buildTestApp, bearer, type TestApp, type TestAppOptions } from '../helpers/test-app.js'
import { agentHeaders, agentReport, createHostViaApi, postReport, type AgentPackage, type TestHost } from '../helpers/agent-fixtures.js'

export interface BeyondApp extends TestApp {
  wsUrl: string
  /** The clock every patching service reads (runs, schedules, windows, bulk). */
  setNow(iso: string): void
  restart(): Promise<BeyondApp>
  api(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, token?: string): Promise<{ status: number; body: any }> // eslint-disable-line @typescript-eslint/no-explicit-any -- test bodies are read field by field
}

export async function beyondApp(t: Test, options: TestAppOptions = {}): Promise<BeyondApp> {
  return wrap(await buildTestApp(t, options))
}

async function wrap(ctx: TestApp): Promise<BeyondApp> {
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = ctx.app.server.address() as AddressInfo
  let nowMs: number | null = null
  ctx.app.patchRuns.clock = () => nowMs ?? Date.now()
  return {
    ...ctx,
    wsUrl: `ws://127.0.0.1:${port}/api/v1/agents/ws`,
    setNow(iso) {
      nowMs = Date.parse(iso)
    },
    async api(method, url, payload, token = ctx.adminToken) {
      const res = await ctx.app.inject({
        method,
        url,
        headers: bearer(token),
        ...(payload !== undefined ? { payload: payload as object } : {})
      })
      return { status: res.statusCode, body: res.body ? res.json() : null }
    },
    async restart() {
      return wrap(await ctx.restart())
    }
  } as BeyondApp
}

export const pkg = (name: string, security = false): AgentPackage => ({
  name,
  currentVersion: '1.0-1',
  availableVersion: '1.0-2',
  needsUpdate: true,
  isSecurityUpdate: security
})

/** A host that reported these packages as a 2.1.3 agent (so it may patch over the WebSocket). */
export async function reportedHost(ctx: TestApp, name: string, packages: AgentPackage[], groupIds: string[] = []): Promise<TestHost> {
  const host = await createHostViaApi(ctx.app, ctx.adminToken, name, groupIds)
  const res = await postReport(ctx, host, agentReport(packages, { agentVersion: '2.1.3', hostname: name }))
  if (res.statusCode !== 200) throw new Error(`report failed: ${res.statusCode} ${res.body}`)
  return host
}

export async function hostGroup(ctx: TestApp, name: string): Promise<string> {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/host-groups', headers: bearer(ctx.adminToken), payload: { name } })
  if (res.statusCode !== 201) throw new Error(`group failed: ${res.statusCode} ${res.body}`)
  return (res.json() as { id: string }).id
}

export interface Frame {
  type: string
  patch_run_id: string
  patch_type?: string
  package_names?: string[]
  reboot?: string
  [key: string]: unknown
}

export interface StandInAgent {
  frames: Frame[]
  socket: WebSocket
  /** POSTs a stage to the run's output endpoint as the agent. */
  stage(runId: string, stage: string, extra?: Record<string, unknown>): Promise<number>
  close(): void
}

export async function standInAgent(ctx: BeyondApp, host: TestHost): Promise<StandInAgent> {
  const socket = new WebSocket(ctx.wsUrl, { headers: { 'X-Api-Id': host.apiId, 'X-Api-Key': host.apiKey } })
  const frames: Frame[] = []
  socket.on('message', (data) => frames.push(JSON.parse(data.toString()) as Frame))
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  await until(() => ctx.app.agentConnections.isConnected(host.id), 'agent registered')
  return {
    frames,
    socket,
    async stage(runId, stage, extra = {}) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/patching/runs/${runId}/output`,
        headers: agentHeaders(host),
        payload: JSON.stringify({ stage, output: `${stage}\n`, ...extra })
      })
      return res.statusCode
    },
    close: () => socket.close()
  }
}

export const CAPABILITIES = 'run_patch,patch_run_stop,reboot_host,pre_patch_hook'

/** One held poll as our shell agent makes it, once the server holds it; `commands` resolves with what it received. */
export async function shellAgentPoll(ctx: BeyondApp, host: TestHost) {
  const { port } = ctx.app.server.address() as { port: number }
  const answer = fetch(`http://127.0.0.1:${port}/api/v1/agents/poll?wait=10`, {
    headers: { ...agentHeaders(host), 'X-PatchMon-Capabilities': CAPABILITIES }
  }).then(async (res) => (res.status === 200 ? ((await res.json()) as { commands: Array<Record<string, unknown>> }).commands : []))
  await until(() => ctx.app.agentConnections.capabilities(host.id).has('reboot_host'), 'poll with capabilities held')
  return { commands: answer }
}

export async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`timed out waiting for ${what}`)
}
