// Builds the dashboard (npm run build:ui) when build/dashboard is missing or older than its
// sources, so dashboard tests always serve the current UI even when run with plain `npx tap`.
// Several test files run at once and the build empties its output folder first, so the check and
// the build happen under a lock folder (mkdir is atomic): one file builds, the others wait for it.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = join(__dirname, '..', '..')
const SOURCES = ['src/dashboard/ui', 'src/dashboard/assets', 'src/dashboard/build-ui.ts', 'src/dashboard/dashboard-manifest.ts']

function newestMtime(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))))
}

const LOCK = join(root, 'build', '.dashboard-build.lock')
/** A lock older than this was left by a killed test run (a build takes a few seconds). */
const STALE_LOCK_MS = 120_000

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

function acquireBuildLock(): void {
  mkdirSync(join(root, 'build'), { recursive: true })
  const deadline = Date.now() + 2 * STALE_LOCK_MS
  for (;;) {
    try {
      mkdirSync(LOCK)
      return
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      if (Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > STALE_LOCK_MS)
        rmSync(LOCK, { recursive: true, force: true })
      if (Date.now() > deadline) throw new Error(`dashboard build lock ${LOCK} still held after ${2 * STALE_LOCK_MS} ms`, { cause: err })
      sleepMs(200)
    }
  }
}

export function ensureDashboardBuilt(): void {
  const manifest = join(root, 'build', 'dashboard', 'manifest.json')
  const isCurrent = () => existsSync(manifest) && statSync(manifest).mtimeMs >= Math.max(...SOURCES.map((s) => newestMtime(join(root, s))))
  if (isCurrent()) return
  acquireBuildLock()
  try {
    if (!isCurrent())
      execFileSync(process.execPath, ['--import', 'tsx', 'src/dashboard/build-ui.ts'], { cwd: root, stdio: 'pipe', timeout: 60_000 })
  } finally {
    rmSync(LOCK, { recursive: true, force: true })
  }
}
