// `patchmon import-upstream` at fleet scale: a throwaway PostgreSQL (test/import-upstream's helper)
// holding upstream's schema with 1,000 hosts × 1,000 installed packages (1,500-name catalogue, one
// repository each), imported into an empty data folder by a child process that reports its own wall
// time and peak RSS. Baseline, measured in the same run: a dry run, which reads and maps everything
// and writes nothing. Sizes: BENCH_IMPORT_HOSTS, BENCH_IMPORT_PACKAGES (bounded to 5,000 × 5,000).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import bcrypt from 'bcrypt'
import { startUpstreamPostgres, postgresUnavailable } from '../test/import-upstream/upstream-postgres.js'
import { upstreamDdl } from '../test/import-upstream/upstream-schema.js'
import { importUpstream } from '../src/import-upstream/import-service.js'
import { loadConfig } from '../src/config.js'

const bounded = (name: string, fallback: number) => Math.min(5000, Math.max(1, Number(process.env[name] ?? fallback)))

interface ChildFigures {
  ms: number
  /** CPU time (user + system) of the import process: steadier than wall time on a shared machine. */
  cpuMs: number
  maxRssMb: number
  hosts: number
  packages: number
}

/** In the child: one import, then its own figures as one JSON line. */
async function child(url: string, dataDir: string, dryRun: boolean): Promise<void> {
  const started = performance.now()
  const secretKey = dryRun ? undefined : loadConfig({ PATCHMON_DATA_DIR: dataDir }).secretEncryptionKey
  const summary = await importUpstream({ dataDir, databaseUrl: url, dryRun, merge: false, secretKey })
  const figures: ChildFigures = {
    ms: Math.round(performance.now() - started),
    cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    hosts: summary.counts.get('hosts') ?? 0,
    packages: summary.counts.get('installed packages') ?? 0
  }
  console.log(JSON.stringify(figures))
}

function runChild(url: string, dataDir: string, dryRun: boolean): ChildFigures {
  const tsx = join(__dirname, '../node_modules/.bin/tsx')
  const res = spawnSync(tsx, [__filename, '--child', url, dataDir, dryRun ? 'dry' : 'real'], { encoding: 'utf8', timeout: 900_000 })
  if (res.status !== 0) throw new Error(`import child failed: ${res.stderr}`)
  return JSON.parse(res.stdout.trim().split('\n').pop() as string) as ChildFigures
}

export async function runImportUpstreamBench(): Promise<void> {
  const unavailable = postgresUnavailable()
  if (unavailable) {
    console.log(`skipped: ${unavailable}`)
    return
  }
  const hosts = bounded('BENCH_IMPORT_HOSTS', 1000)
  const perHost = bounded('BENCH_IMPORT_PACKAGES', 1000)
  const cleanups: (() => void)[] = []
  try {
    const pg = await startUpstreamPostgres({ teardown: (fn) => cleanups.push(fn) })
    const url = await pg.createDatabase('bench')
    const seedStarted = performance.now()
    await pg.exec('bench', upstreamDdl('2.x'))
    const catalogue = Math.ceil(perHost * 1.5)
    await pg.exec(
      'bench',
      `INSERT INTO packages (id, name, description) SELECT 'p' || i, 'package-' || i, 'bench package' FROM generate_series(1, ${catalogue}) i`
    )
    await pg.exec(
      'bench',
      `INSERT INTO repositories (id, name, url, distribution, components, repo_type)
       VALUES ('r1', 'deb-debian-bookworm', 'http://deb.debian.org/debian', 'bookworm', 'main', 'deb')`
    )
    // One real cost-10 hash whose last characters are made unique per host (api_key is UNIQUE): a
    // well-formed bcrypt hash each, copied as is, without paying 1,000 hashings to seed.
    const keyHash = '$2a$' + bcrypt.hashSync('0'.repeat(64), 10).slice(4)
    await pg.exec(
      'bench',
      `INSERT INTO hosts (id, friendly_name, hostname, api_id, api_key, status, last_update, os_type, os_version)
       SELECT md5('h' || h)::uuid::text, 'host-' || h, 'host-' || h || '.lan', 'patchmon_' || substr(md5('id' || h), 1, 16),
              substr($1, 1, 54) || lpad(h::text, 6, '0'), 'active', now(), 'Debian GNU/Linux', '12 (bookworm)' FROM generate_series(1, ${hosts}) h`,
      [keyHash]
    )
    await pg.exec(
      'bench',
      `INSERT INTO host_packages (id, host_id, package_id, current_version, available_version, needs_update, is_security_update)
       SELECT h || '-' || p, md5('h' || h)::uuid::text, 'p' || ((h + p) % ${catalogue} + 1), '1.' || p || '-1',
              CASE WHEN p % 10 = 0 THEN '1.' || p || '-2' END, p % 10 = 0, p % 50 = 0
         FROM generate_series(1, ${hosts}) h, generate_series(1, ${perHost}) p`
    )
    await pg.exec(
      'bench',
      `INSERT INTO host_repositories (id, host_id, repository_id) SELECT 'hr' || h, md5('h' || h)::uuid::text, 'r1' FROM generate_series(1, ${hosts}) h`
    )
    await pg.exec('bench', 'ANALYZE')
    console.log(`upstream database: ${hosts} hosts × ${perHost} packages generated in ${Math.round(performance.now() - seedStarted)} ms`)

    const dataDir = mkdtempSync(join(tmpdir(), 'patchmon-import-bench-'))
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
    const dry = runChild(url, dataDir, true)
    const real = runChild(url, dataDir, false)
    const rows = dry.packages
    console.log(
      `dry run (read + map, baseline): ${dry.ms} ms wall, ${dry.cpuMs} ms CPU, peak RSS ${dry.maxRssMb} MB, ${rows} installed packages`
    )
    console.log(
      `import: ${real.ms} ms wall, ${real.cpuMs} ms CPU, peak RSS ${real.maxRssMb} MB, ${real.hosts} hosts, ${real.packages} installed packages`
    )
    console.log(
      `import / dry run: ${(real.ms / Math.max(1, dry.ms)).toFixed(2)}× wall, ${(real.cpuMs / Math.max(1, dry.cpuMs)).toFixed(2)}× CPU; ` +
        `${Math.round((real.packages / real.ms) * 1000)} packages/s wall (load average ${loadavg()[0]?.toFixed(1)})`
    )
  } finally {
    for (const fn of cleanups.reverse()) fn()
  }
}

if (require.main === module) {
  const [flag, url, dataDir, mode] = process.argv.slice(2)
  const run = flag === '--child' ? child(url as string, dataDir as string, mode === 'dry') : runImportUpstreamBench()
  run.catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}
