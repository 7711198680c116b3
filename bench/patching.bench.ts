// Patching figures (issue 17), against the real server in its own process (`tsx src/main.ts serve`):
//  1. trigger → run_patch frame on the agent's WebSocket, p50/p99 (target p99 ≤ 100 ms), next to the
//     WebSocket ping→pong round trip of the same socket (baseline);
//  2. agent progress chunk → browser stream frame, p50/p99 (target p99 ≤ 300 ms), next to the same
//     agent POST answered without fan-out (an unknown stage: auth + run lookup, baseline);
//  3. 200 concurrent runs streaming output to 200 browser streams: server RSS growth (target ≤ 20 MB).
// BENCH_PATCH_HOSTS (default 200), BENCH_PATCH_SAMPLES (default 200), BENCH_PATCH_CHUNKS (per run, default 40).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import WebSocket from 'ws'
import { Pool } from 'undici'
import { adminToken, createHostOverHttp, rssMiB, startServerProcess, type HostCredentials } from '../test/reliability/server-process.js'
import { agentReport, debianPackages } from '../test/helpers/agent-fixtures.js'
import { fmt } from './bench-kit.js'

const HOSTS = Number(process.env['BENCH_PATCH_HOSTS'] ?? 200)
const SAMPLES = Number(process.env['BENCH_PATCH_SAMPLES'] ?? 200)
const CHUNKS = Number(process.env['BENCH_PATCH_CHUNKS'] ?? 40)

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number
}

const line = (what: string, values: number[]) =>
  `${what}: p50 ${fmt(percentile(values, 50), 2)} ms, p99 ${fmt(percentile(values, 99), 2)} ms`

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setImmediate(r))
  }
}

interface Agent {
  host: HostCredentials
  socket: WebSocket
  /** run id → performance.now() when its run_patch frame arrived */
  arrivals: Map<string, number>
}

async function openSocket(url: string, headers: Record<string, string>): Promise<WebSocket> {
  const socket = new WebSocket(url, { headers })
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  return socket
}

export async function runPatchingBench(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'patchmon-bench-patching-'))
  const server = await startServerProcess(dataDir, { LOG_LEVEL: 'warn' })
  const pool = new Pool(server.baseUrl, { connections: 64 })
  const wsBase = server.baseUrl.replace('http://', 'ws://')
  const sockets: WebSocket[] = []
  try {
    const token = await adminToken(server.baseUrl)
    const user = { 'content-type': 'application/json', authorization: `Bearer ${token}` }
    const request = async (method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: unknown) => {
      const res = await pool.request({ method, path, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
      const text = await res.body.text()
      if (res.statusCode !== 200) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`)
      return JSON.parse(text) as Record<string, unknown>
    }
    const agentHeaders = (h: HostCredentials) => ({ 'content-type': 'application/json', 'x-api-id': h.apiId, 'x-api-key': h.apiKey })
    const output = (h: HostCredentials, runId: string, body: unknown) =>
      request('POST', `/api/v1/patching/runs/${runId}/output`, agentHeaders(h), body)
    const triggerAll = async (h: HostCredentials) =>
      (await request('POST', '/api/v1/patching/trigger', user, { host_id: h.id, patch_type: 'patch_all' })).patch_run_id as string

    // Hosts report a 2.x agent (only those may patch), then hold their WebSocket.
    const agents: Agent[] = []
    for (let i = 0; i < HOSTS; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, HOSTS - i) }, async (_, j) => {
          const host = await createHostOverHttp(server.baseUrl, token, `patch-bench-${i + j}`)
          await request(
            'POST',
            '/api/v1/hosts/update',
            agentHeaders(host),
            agentReport(debianPackages(20, { updates: 5 }), { agentVersion: '2.1.3' })
          )
          const socket = await openSocket(`${wsBase}/api/v1/agents/ws`, { 'x-api-id': host.apiId, 'x-api-key': host.apiKey })
          sockets.push(socket)
          const agent: Agent = { host, socket, arrivals: new Map() }
          socket.on('message', (data) => {
            const frame = JSON.parse(data.toString()) as { type: string; patch_run_id?: string }
            if (frame.type === 'run_patch' && frame.patch_run_id) agent.arrivals.set(frame.patch_run_id, performance.now())
          })
          return agent
        })
      )
      agents.push(...batch)
    }
    const first = agents[0] as Agent

    // Baseline 1: ping → pong on the agent's own socket.
    const pings: number[] = []
    for (let i = 0; i < SAMPLES; i++) {
      const t0 = performance.now()
      await new Promise<void>((resolve) => {
        first.socket.once('pong', () => resolve())
        first.socket.ping()
      })
      pings.push(performance.now() - t0)
    }

    // 1. trigger → frame, one run after the other on one host (each settled before the next).
    const dispatch: number[] = []
    for (let i = 0; i < SAMPLES + 10; i++) {
      const t0 = performance.now()
      const runId = await triggerAll(first.host)
      await until(() => first.arrivals.has(runId), 'the run_patch frame')
      if (i >= 10) dispatch.push((first.arrivals.get(runId) as number) - t0)
      await output(first.host, runId, { stage: 'started' })
      await output(first.host, runId, { stage: 'completed', output: 'done\n' })
    }
    console.log(`${line('ws ping round trip (baseline)', pings)}`)
    console.log(
      `${line('trigger → run_patch frame on the agent socket', dispatch)} (ratio p99 ${fmt(percentile(dispatch, 99) / percentile(pings, 99), 1)}x baseline; target p99 ≤ 100 ms)`
    )

    // 2. agent chunk → browser frame.
    const runId = await triggerAll(first.host)
    await until(() => first.arrivals.has(runId), 'the run_patch frame')
    await output(first.host, runId, { stage: 'started' })
    const browser = await openSocket(`${wsBase}/api/v1/patching/runs/${runId}/stream`, { authorization: `Bearer ${token}` })
    sockets.push(browser)
    const seen = new Map<number, number>()
    browser.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; chunk?: string }
      if (frame.type === 'chunk' && frame.chunk) seen.set(Number(frame.chunk.slice(0, frame.chunk.indexOf(' '))), performance.now())
    })
    const padding = 'x'.repeat(1000)
    const plain: number[] = []
    const chunks: number[] = []
    for (let i = 0; i < SAMPLES + 10; i++) {
      let t0 = performance.now()
      await output(first.host, runId, { stage: 'ignored-stage' })
      if (i >= 10) plain.push(performance.now() - t0)
      t0 = performance.now()
      await output(first.host, runId, { stage: 'progress', output: `${i} ${padding}\n` })
      await until(() => seen.has(i), 'the chunk frame')
      if (i >= 10) chunks.push((seen.get(i) as number) - t0)
    }
    await output(first.host, runId, { stage: 'completed', output: 'done\n' })
    console.log(`${line('agent POST without fan-out (baseline)', plain)}`)
    console.log(
      `${line('agent chunk → browser stream frame', chunks)} (ratio p99 ${fmt(percentile(chunks, 99) / percentile(plain, 99), 1)}x baseline; target p99 ≤ 300 ms)`
    )

    // 3. HOSTS runs at once, each streaming CHUNKS × 1 KiB to its own browser stream.
    const runIds = await Promise.all(agents.map((a) => triggerAll(a.host)))
    await until(() => agents.every((a, i) => a.arrivals.has(runIds[i] as string)), 'every run_patch frame', 60_000)
    await Promise.all(agents.map((a, i) => output(a.host, runIds[i] as string, { stage: 'started' })))
    const streams = await Promise.all(
      runIds.map((id) => openSocket(`${wsBase}/api/v1/patching/runs/${id}/stream`, { authorization: `Bearer ${token}` }))
    )
    sockets.push(...streams)
    let received = 0
    for (const s of streams) s.on('message', () => received++)
    await new Promise((r) => setTimeout(r, 500))
    const before = rssMiB(server.pid) ?? 0
    let peak = before
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(server.pid) ?? 0)), 100)
    const t0 = performance.now()
    await Promise.all(
      agents.map(async (a, i) => {
        const id = runIds[i] as string
        let full = ''
        for (let c = 0; c < CHUNKS; c++) {
          const chunk = `run ${i} line ${c} ${padding}\n`
          full += chunk
          await output(a.host, id, { stage: 'progress', output: chunk })
        }
        await output(a.host, id, { stage: 'completed', output: full })
      })
    )
    const seconds = (performance.now() - t0) / 1000
    await new Promise((r) => setTimeout(r, 500))
    clearInterval(sampler)
    const after = rssMiB(server.pid) ?? 0
    const mb = (HOSTS * CHUNKS * 1024 * 2) / 1024 / 1024
    console.log(
      `${HOSTS} concurrent runs × ${CHUNKS} chunks of 1 KiB (${fmt(mb, 1)} MiB in, incl. final outputs) to ${HOSTS} browser streams in ${fmt(seconds, 1)} s: ` +
        `server RSS ${fmt(before)} → ${fmt(after)} MiB (growth ${fmt(after - before)} MiB, peak +${fmt(peak - before)} MiB; target ≤ 20 MB); ${received} stream frames received`
    )
  } finally {
    for (const s of sockets) s.terminate()
    await pool.close()
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

if (require.main === module) {
  runPatchingBench().catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}
