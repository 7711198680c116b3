// The load generator of the ingest bench, run in a worker thread so the server keeps the main
// thread to itself: bounded duration, a fixed number of requests in flight, each host cycling
// through its report bodies.
import { parentPort, workerData } from 'node:worker_threads'

export interface LoadJob {
  url: string
  hosts: { apiId: string; apiKey: string }[]
  bodies: string[]
  durationMs: number
  inFlight: number
}

export interface LoadResult {
  ok: number
  failed: number
  firstFailure: string | null
  elapsedMs: number
  latenciesMs: number[]
}

async function run(job: LoadJob): Promise<LoadResult> {
  const started = performance.now()
  const deadline = started + job.durationMs
  const result: LoadResult = { ok: 0, failed: 0, firstFailure: null, elapsedMs: 0, latenciesMs: [] }
  let next = 0
  async function lane(): Promise<void> {
    while (performance.now() < deadline) {
      const n = next++
      const host = job.hosts[n % job.hosts.length]!
      const body = job.bodies[Math.floor(n / job.hosts.length) % job.bodies.length]!
      const t0 = performance.now()
      const res = await fetch(job.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-id': host.apiId, 'x-api-key': host.apiKey },
        body
      })
      const text = await res.text()
      result.latenciesMs.push(performance.now() - t0)
      if (res.status === 200) result.ok++
      else {
        result.failed++
        result.firstFailure ??= `${res.status} ${text.slice(0, 200)}`
      }
    }
  }
  await Promise.all(Array.from({ length: job.inFlight }, () => lane()))
  result.elapsedMs = performance.now() - started
  return result
}

if (parentPort) {
  const port = parentPort
  void run(workerData as LoadJob).then((r) => port.postMessage(r))
}
