// Memory of a burst of large reports (`npm run bench -- report-memory`): REPORT_BURST agents
// (default 100) that the server already knows send a 5,000-package report (~0.6 MB) at the same
// moment, against the real server process; its RSS is sampled every 50 ms. Run twice in the same
// run: with the default report admission (AGENT_REPORT_CONCURRENCY 4: the others wait, unread) and
// with admission effectively off (256 at once, what the server did before) as the baseline.
// PATCHMON_SERVER_BINARY=dist/patchmon measures the single executable.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Pool } from 'undici'
import { agentReport, debianPackages } from '../test/helpers/agent-fixtures.js'
import { rssMiB, startServerProcess } from '../test/reliability/server-process.js'
import { seedHosts } from './agent-fleet.bench.js'
import { fmt } from './bench-kit.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function burst(concurrency: number, agents: number, body: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'patchmon-burst-'))
  let server = await startServerProcess(dataDir)
  try {
    await server.stop()
    const hosts = await seedHosts(dataDir, agents, true)
    server = await startServerProcess(dataDir, { AGENT_REPORT_CONCURRENCY: String(concurrency) }, 'server-2.log')
    await sleep(6000) // the idle memory release after start-up
    const before = rssMiB(server.pid) ?? NaN
    const samples: number[] = []
    const sampler = setInterval(() => samples.push(rssMiB(server.pid) ?? NaN), 50)
    const pool = new Pool(server.baseUrl, { connections: agents })
    const started = performance.now()
    const statuses = await Promise.all(
      hosts.map(async (h) => {
        const res = await pool.request({
          method: 'POST',
          path: '/api/v1/hosts/update',
          headers: { 'content-type': 'application/json', 'x-api-id': h.apiId, 'x-api-key': h.apiKey },
          body
        })
        await res.body.dump()
        return res.statusCode
      })
    )
    const seconds = (performance.now() - started) / 1000
    clearInterval(sampler)
    await pool.close()
    await sleep(8000)
    const after = rssMiB(server.pid) ?? NaN
    return { before, peak: Math.max(...samples.filter(Number.isFinite)), after, seconds, ok: statuses.filter((s) => s === 200).length }
  } finally {
    await server.kill()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

export async function runReportMemoryBench(): Promise<void> {
  const agents = Number(process.env.REPORT_BURST ?? 100)
  const body = JSON.stringify(agentReport(debianPackages(5000, { updates: 50 })))
  console.log(
    `report-memory: ${agents} agents send a ${(body.length / 1048576).toFixed(2)} MB report at once${process.env.PATCHMON_SERVER_BINARY ? ' [single executable]' : ' [from source]'}`
  )
  for (const [label, concurrency] of [
    ['admission on (4 at once)', 4],
    ['baseline, admission off (256 at once)', 256]
  ] as const) {
    const r = await burst(concurrency, agents, body)
    console.log(
      `  ${label.padEnd(38)} RSS before ${fmt(r.before)} MiB, peak ${fmt(r.peak)} MiB (+${fmt(r.peak - r.before)}), 8 s after ${fmt(r.after)} MiB; ${r.ok}/${agents} ok in ${fmt(r.seconds)} s`
    )
  }
}
