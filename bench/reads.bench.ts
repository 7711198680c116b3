// The dashboard's reads at fleet scale (issue 22 part 3): the host list (default, sorted, filtered,
// searched), the fleet overview and the fleet package view at 20,000 hosts, over HTTP with a
// logged-in admin, p50 of sequential requests. Target: host list and overview p50 <= 20 ms.
// Baseline in the same run: the raw better-sqlite3 read of the same first page (no HTTP).
// Sizes: BENCH_READ_HOSTS (20,000), BENCH_READ_PACKAGES (200 per host).
import { cpus, loadavg } from 'node:os'
import { fmt, latency, startBenchServer } from './bench-kit.js'
import { seedFleet } from './fleet-seed.js'
import { ensureFirstAdmin } from '../src/users/first-admin.js'
import { ensureBuiltinRoles } from '../src/users/role-queries.js'

const HOSTS = Number(process.env['BENCH_READ_HOSTS'] ?? 20_000)
const PACKAGES = Number(process.env['BENCH_READ_PACKAGES'] ?? 200)
const TRIALS = 30
const TARGET_MS = 20

function p50Of(count: number, work: () => unknown): number {
  const samples: number[] = []
  for (let i = 0; i < count; i++) {
    const started = performance.now()
    work()
    samples.push(performance.now() - started)
  }
  samples.sort((a, b) => a - b)
  return samples[Math.floor(samples.length / 2)] ?? NaN
}

export async function runReadsBench(): Promise<void> {
  console.log(
    `reads: machine ${cpus().length} CPUs, load average ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}`
  )
  const seedStarted = Date.now()
  const server = await startBenchServer(async (_app, store) => {
    await ensureBuiltinRoles(store.db)
    await ensureFirstAdmin(store.db, 'bench-admin-password')
    seedFleet(store.sqlite, HOSTS, PACKAGES)
  })
  try {
    console.log(`reads: seeded ${HOSTS} hosts x ${PACKAGES} packages in ${fmt((Date.now() - seedStarted) / 1000)} s`)
    const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'bench-admin-password' })
    })
    const { token } = (await login.json()) as { token: string }
    const headers = { authorization: `Bearer ${token}` }
    const page = server.store.sqlite.prepare('SELECT * FROM hosts ORDER BY friendly_name, id LIMIT 50')
    const floor = p50Of(TRIALS, () => JSON.stringify(page.all()))
    console.log(`reads: baseline raw SQL + JSON.stringify of one 50-host page p50 ${fmt(floor, 2)} ms`)
    const targeted = new Set(['/api/v1/hosts?limit=50', '/api/v1/dashboard/stats'])
    for (const path of [
      '/api/v1/hosts?limit=50',
      '/api/v1/hosts?sort=updates&limit=50',
      '/api/v1/hosts?sort=last_update&limit=50',
      '/api/v1/hosts?status=inactive&limit=50',
      '/api/v1/hosts?search=host-01999&limit=50',
      '/api/v1/dashboard/stats',
      '/api/v1/packages?limit=50',
      '/api/v1/packages?limit=50&updates_only=true',
      '/api/v1/packages?limit=50&search=package-01'
    ]) {
      const l = await latency(server.baseUrl, path, headers, TRIALS)
      const verdict = targeted.has(path) ? ` (target p50 <= ${TARGET_MS} ms) ${l.p50 <= TARGET_MS ? 'OK' : 'MISSED'}` : ''
      console.log(`reads: GET ${path.padEnd(48)} at ${HOSTS} hosts p50 ${fmt(l.p50, 2)} ms, p95 ${fmt(l.p95, 2)} ms${verdict}`)
    }
  } finally {
    await server.close()
  }
}

if (require.main === module) {
  runReadsBench().catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}
