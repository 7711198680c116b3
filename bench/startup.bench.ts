// Single-executable benchmark: size of dist/patchmon next to the stripped Node binary it is built
// on; start to first 200 on /health (median of 10: first start in an empty folder, and restart
// on existing data); RSS when idle after start and after 1,000 hosts have each sent a report.
// "Idle" means no request for IDLE_MS: long enough for the server's idle memory release
// (src/jobs/idle-memory-release.ts) to have run, as it would on any quiet appliance.
// The same figures for `node dist/app.cjs` (the plain bundle) are measured in the same run.
// Targets: executable <= stripped node + 10 MB, first start <= 150 ms (issue 22, quiet machine),
// RSS < 100 MB. The load average is printed beside the figures: on a busy machine they are not comparable.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { buildAll } from '../packaging/build.js'
import { loadConfig } from '../src/config.js'
import { createHost } from '../src/hosts/host-service.js'
import { databaseFile, openStore } from '../src/store/open-database.js'
import { migrateToLatest } from '../src/store/migrate.js'
import { ensureFirstAdmin } from '../src/users/first-admin.js'
import { ensureBuiltinRoles } from '../src/users/role-queries.js'
import { agentReport, debianPackages } from '../test/helpers/agent-fixtures.js'
import { freePort, cleanEnv } from '../test/packaging/run-binary.js'
import { IDLE_AFTER_MS } from '../src/jobs/idle-memory-release.js'

const ROOT = join(__dirname, '..')
const TRIALS = 10
const HOSTS = 1000
const PACKAGES_PER_REPORT = 100
const IN_FLIGHT = 8
const PASSWORD = 'bench-admin-password'
const IDLE_MS = IDLE_AFTER_MS + 2_000

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

interface Runtime {
  name: string
  command: string
  args: string[]
}

interface Started {
  child: ChildProcess
  port: number
  ms: number
}

async function start(rt: Runtime, cwd: string): Promise<Started> {
  const port = await freePort()
  const t0 = performance.now()
  const child = spawn(rt.command, [...rt.args, 'serve'], {
    cwd,
    env: cleanEnv({
      PORT: String(port),
      HOST: '127.0.0.1',
      PATCHMON_ADMIN_PASSWORD: PASSWORD,
      AGENT_RATE_LIMIT_MAX: '10000000',
      RATE_LIMIT_MAX: '10000000'
    }),
    stdio: 'ignore'
  })
  for (let i = 0; i < 2000; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200) return { child, port, ms: performance.now() - t0 }
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`${rt.name} exited with ${child.exitCode}`)
    await new Promise((r) => setTimeout(r, 5))
  }
  child.kill('SIGKILL')
  throw new Error(`${rt.name} did not answer /health`)
}

async function stop(s: Started): Promise<void> {
  const exited = new Promise((r) => s.child.once('exit', r))
  s.child.kill('SIGTERM')
  await exited
}

function rss(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
  return Number(kb) * 1024
}

/** A data folder with the first admin and 1,000 hosts (keys known), made once and copied per run. */
async function seededDataDir(work: string): Promise<{ dir: string; hosts: { apiId: string; apiKey: string }[] }> {
  const dir = join(work, 'seed/data')
  mkdirSync(dir, { recursive: true })
  const config = loadConfig({ PATCHMON_DATA_DIR: dir, PATCHMON_ADMIN_PASSWORD: PASSWORD })
  const store = openStore(databaseFile(dir))
  await migrateToLatest(store)
  await ensureBuiltinRoles(store.db)
  await ensureFirstAdmin(store.db, config.adminPassword)
  const hosts: { apiId: string; apiKey: string }[] = []
  for (let i = 0; i < HOSTS; i += IN_FLIGHT) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(IN_FLIGHT, HOSTS - i) }, (_, j) =>
        createHost(store.db, { friendlyName: `bench-${i + j}`, hostGroupIds: [] })
      )
    )
    for (const { host, apiKey } of batch) hosts.push({ apiId: host.api_id, apiKey })
  }
  await store.close()
  return { dir, hosts }
}

async function ingest(port: number, hosts: { apiId: string; apiKey: string }[]): Promise<void> {
  const body = JSON.stringify(agentReport(debianPackages(PACKAGES_PER_REPORT)))
  let next = 0
  const worker = async () => {
    while (next < hosts.length) {
      const host = hosts[next++]!
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/hosts/update`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-id': host.apiId, 'x-api-key': host.apiKey },
        body
      })
      if (res.status !== 200) throw new Error(`report answered ${res.status}: ${await res.text()}`)
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker))
}

/**
 * Evicts a just-written binary from the page cache (GNU dd's `iflag=nocache` with `count=0` asks
 * the kernel to drop the whole file). A file that was just written sits in the page cache as large
 * folios, and mapping it then counts ~30 MB more of the binary as resident than an installed binary
 * read from disk after a reboot; evicting gives every runtime the same, realistic starting point.
 */
function evictFromPageCache(file: string): void {
  execFileSync('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none'])
}

async function measure(rt: Runtime, work: string, seed: { dir: string; hosts: { apiId: string; apiKey: string }[] }): Promise<void> {
  const slug = rt.name.replace(/[^a-z0-9]+/gi, '-')
  evictFromPageCache(realpathSync(rt.command))
  const first: number[] = []
  for (let i = 0; i < TRIALS; i++) {
    const cwd = mkdtempSync(join(work, `${slug}-first-`))
    const s = await start(rt, cwd)
    first.push(s.ms)
    await stop(s)
  }
  const cwd = mkdtempSync(join(work, `${slug}-seeded-`))
  cpSync(seed.dir, join(cwd, 'data'), { recursive: true })
  const restart: number[] = []
  for (let i = 0; i < TRIALS; i++) {
    const s = await start(rt, cwd)
    restart.push(s.ms)
    await stop(s)
  }
  const s = await start(rt, cwd)
  const busy = rss(s.child.pid!)
  await new Promise((r) => setTimeout(r, IDLE_MS))
  const idle = rss(s.child.pid!)
  const t0 = performance.now()
  await ingest(s.port, seed.hosts)
  const ingestS = (performance.now() - t0) / 1000
  const justIngested = rss(s.child.pid!)
  await new Promise((r) => setTimeout(r, IDLE_MS))
  const loaded = rss(s.child.pid!)
  await stop(s)
  console.log(
    `${rt.name.padEnd(48)} first start ${median(first).toFixed(0)} ms (target <= 150 on a quiet machine; load average ${loadavg()[0]!.toFixed(1)}) · restart ${median(restart).toFixed(0)} ms (median of ${TRIALS}) · ` +
      `RSS at first 200 ${mb(busy)}, idle ${mb(idle)} · ${HOSTS} host reports in ${ingestS.toFixed(1)} s: RSS right after ${mb(justIngested)}, idle ${mb(loaded)}`
  )
}

export async function runStartupBench(): Promise<void> {
  mkdirSync(join(ROOT, 'build'), { recursive: true })
  const work = mkdtempSync(join(ROOT, 'build/startup-bench-'))
  try {
    const built = await buildAll(join(work, 'dist'))
    const strippedNode = readdirSync(join(ROOT, 'build/sea'))
      .filter((f) => /^node-\d+-\d+$/.test(f))
      .map((f) => join(ROOT, 'build/sea', f))[0]!
    const exe = statSync(built.executable).size
    const base = statSync(strippedNode).size
    console.log(
      `executable ${mb(exe)} = stripped node ${mb(base)} + ${mb(exe - base)} (target: + 10 MB at most); bundle ${mb(statSync(built.bundle).size)}`
    )
    const seed = await seededDataDir(work)
    const node = join(ROOT, 'node_modules/node/bin/node')
    await measure({ name: 'dist/patchmon', command: built.executable, args: [] }, work, seed)
    // The executable starts V8 with sea-config.json's execArgv; the bundle is measured both with
    // the same flags (same engine settings) and with Node's defaults (what the flags buy and cost).
    const seaFlags = (JSON.parse(readFileSync(join(ROOT, 'sea-config.json'), 'utf8')) as { execArgv?: string[] }).execArgv ?? []
    if (seaFlags.length > 0)
      await measure({ name: `node ${seaFlags.join(' ')} dist/app.cjs`, command: node, args: [...seaFlags, built.bundle] }, work, seed)
    await measure({ name: 'node dist/app.cjs', command: node, args: [built.bundle] }, work, seed)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

if (require.main === module) {
  runStartupBench().catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}
