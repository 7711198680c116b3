// `npm run bench -- reach`: the arm64 executable's size and start time under qemu-user, and the
// container image's size. Uses dist/linux-arm64/patchmon when it is there (npm run build:arm64),
// else cross-builds it; builds the image from dist/patchmon (npm run build) likewise.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildAll } from '../packaging/build.js'
import { buildContainerImage } from '../packaging/container-image.js'
import { distDirFor, TARGETS, targetUnavailable } from '../packaging/target.js'
import { cleanEnv, startServer } from '../test/packaging/run-binary.js'

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

async function arm64(): Promise<void> {
  const target = TARGETS.arm64
  const why = targetUnavailable(target)
  if (why) return console.log(`arm64: skipped: ${why}`)
  const dist = distDirFor(target)
  if (!existsSync(join(dist, 'patchmon'))) await buildAll(dist, target)
  const exe = join(dist, 'patchmon')
  const qemu = spawnSync('sh', ['-c', 'command -v qemu-aarch64'], { encoding: 'utf8' }).stdout.trim()
  console.log(`arm64 executable ${mb(statSync(exe).size)} (${exe})`)
  const work = mkdtempSync(join(tmpdir(), 'patchmon-reach-bench-'))
  try {
    const started = Date.now()
    const version = spawnSync(qemu, [exe, '--version'], { cwd: work, env: cleanEnv(), encoding: 'utf8', timeout: 300_000 })
    if (version.status !== 0) throw new Error(`--version under qemu failed: ${version.stderr}`)
    console.log(`  --version under qemu-aarch64: ${seconds(Date.now() - started)}`)
    for (const run of ['first start (empty folder: migrations, admin, addons extracted)', 'second start (same folder)']) {
      const t0 = Date.now()
      const server = await startServer(qemu, [exe], work, cleanEnv({ PATCHMON_ADMIN_PASSWORD: 'bench-password' }), { timeoutMs: 300_000 })
      console.log(`  ${run} under qemu-aarch64, to /health 200: ${seconds(Date.now() - t0)}`)
      server.child.kill('SIGTERM')
      await server.exited
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

async function image(): Promise<void> {
  const dist = distDirFor(TARGETS.x64)
  if (!existsSync(join(dist, 'patchmon'))) await buildAll(dist)
  const started = Date.now()
  const r = await buildContainerImage(dist)
  console.log(
    `container image ${r.reference}: ${mb(r.compressedSize)} compressed (layers), ${mb(r.unpackedSize)} unpacked, ` +
      `archive ${mb(statSync(r.archive).size)}, built in ${seconds(Date.now() - started)}`
  )
}

export async function runReachBench(): Promise<void> {
  await arm64()
  await image()
}

if (require.main === module) {
  runReachBench().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  })
}
