// The linux-arm64 build, cross-built on this x86-64 machine once (executable, .deb, .rpm), checked
// with the tools distributions use, and run for real under Debian's qemu-user the way a user on a
// Raspberry Pi would: from an empty folder, nothing on PATH, log in, take an agent report, back up.
import t from 'tap'
import Database from 'better-sqlite3'
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { buildAll, type BuildResult } from '../../packaging/build.js'
import { buildContainerImage } from '../../packaging/container-image.js'
import { buildPackages, type PackageResult } from '../../packaging/package.js'
import { assertElfFor, TARGETS, targetUnavailable } from '../../packaging/target.js'
import { agentReport, debianPackages } from '../helpers/agent-fixtures.js'
import { cleanEnv, login, startServer } from './run-binary.js'

const ARM64 = TARGETS.arm64
const unavailable = targetUnavailable(ARM64)
if (unavailable) t.plan(0, unavailable)
else run()

function run(): void {
  // Emulation is 10-50x slower than the real CPU, and CI machines are loaded: generous bounds.
  const EMULATED_MS = 4 * 60_000
  t.setTimeout(20 * 60_000)
  const PASSWORD = 'first-admin-password'
  mkdirSync(join(__dirname, '../../build'), { recursive: true })
  const work = mkdtempSync(join(__dirname, '../../build/arm64-test-'))
  t.teardown(() => rmSync(work, { recursive: true, force: true }))
  const dist = join(work, 'dist')
  const qemu = execFileSync('sh', ['-c', `command -v ${ARM64.runner[0] ?? 'qemu-aarch64'}`], { encoding: 'utf8' }).trim()
  let built: BuildResult
  let packages: PackageResult

  const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')
  const emulated = (args: string[], cwd: string, env: Record<string, string>) =>
    spawnSync(qemu, [built.executable, ...args], { cwd, env, encoding: 'utf8', timeout: EMULATED_MS })

  t.before(async () => {
    built = await buildAll(dist, ARM64)
    packages = buildPackages(dist, true, { target: ARM64 })
  })

  t.test('the executable, its addons and both packages are arm64', async (t) => {
    t.doesNotThrow(() => assertElfFor(ARM64, built.executable), 'the executable is an aarch64 ELF file')
    const addons = readdirSync(join(dist, 'native')).filter((f) => f.endsWith('.node'))
    t.same(addons.sort(), ['bcrypt.node', 'better_sqlite3.node', 'malloc_trim.node'])
    for (const addon of addons) t.doesNotThrow(() => assertElfFor(ARM64, join(dist, 'native', addon)), `${addon} is aarch64`)
    t.throws(() => assertElfFor(TARGETS.x64, built.executable), 'and the check can tell x86-64 from aarch64')

    t.equal(packages.deb, join(dist, 'patchmon_0.1.0_arm64.deb'))
    const info = execFileSync('dpkg-deb', ['-I', packages.deb], { encoding: 'utf8' })
    t.match(info, /\n Architecture: arm64\n/)
    // Read by dpkg-shlibdeps from Debian's arm64 libraries' symbols files (multiarch), as for amd64.
    t.match(
      info,
      /\n Depends: adduser, libatomic1 \(>= [\d.]+\), libc6 \(>= 2\.\d+\), libgcc-s1 \(>= [\d.]+\), libstdc\+\+6 \(>= [\d.]+\)\n/
    )
    const glibc = Number(/libc6 \(>= 2\.(\d+)\)/.exec(info)?.[1])
    t.ok(glibc <= 36, `needs glibc 2.${glibc}: installable on Debian 12 / Raspberry Pi OS bookworm (2.36)`)
    const unpacked = join(work, 'deb-tree')
    execFileSync('dpkg-deb', ['-x', packages.deb, unpacked])
    t.equal(sha256(join(unpacked, 'usr/bin/patchmon')), sha256(built.executable), 'the .deb holds the executable unchanged')

    t.equal(packages.rpm, join(dist, 'patchmon-0.1.0.aarch64.rpm'))
    t.equal(
      execFileSync('rpm', ['-qp', '--qf', '%{ARCH}', packages.rpm], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
      'aarch64'
    )
    const requires = execFileSync('rpm', ['-qp', '--requires', packages.rpm], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    t.match(requires, /^ld-linux-aarch64\.so\.1\(\)\(64bit\)$/m, 'rpm requires the aarch64 loader')
    t.match(requires, /^libatomic\.so\.1\(\)\(64bit\)$/m)
    t.notMatch(requires, /x86-64/)
  })

  t.test('the arm64 container image holds everything the executable loads (run in a chroot of its layers)', async (t) => {
    const image = await buildContainerImage(dist, ARM64)
    t.equal(image.archive, join(dist, 'patchmon-0.1.0-oci-arm64.tar'))
    const index = JSON.parse(execFileSync('tar', ['-xOf', image.archive, 'index.json'], { encoding: 'utf8' })) as {
      manifests: { platform: unknown }[]
    }
    t.same(index.manifests[0]?.platform, { architecture: 'arm64', os: 'linux' })
    const staticQemu = spawnSync('sh', ['-c', 'command -v qemu-aarch64-static'], { encoding: 'utf8' }).stdout.trim()
    if (process.getuid?.() !== 0 || !staticQemu) return t.comment('chroot run skipped: needs root and qemu-user-static')
    // Unpacked as a runtime would, then run with nothing from the host but a static qemu: the
    // loader and every library must come from the image's own layers.
    const rootfs = join(work, 'image-rootfs')
    mkdirSync(rootfs)
    const layout = join(dist, 'oci-arm64')
    const manifest = JSON.parse(readFileSync(join(layout, 'blobs/sha256', image.manifestDigest.slice(7)), 'utf8')) as {
      layers: { digest: string }[]
    }
    for (const layer of manifest.layers) execFileSync('tar', ['-xzf', join(layout, 'blobs/sha256', layer.digest.slice(7)), '-C', rootfs])
    copyFileSync(staticQemu, join(rootfs, 'qemu-aarch64-static'))
    chmodSync(join(rootfs, 'qemu-aarch64-static'), 0o755)
    const chroot = execFileSync('sh', ['-c', 'command -v chroot'], { encoding: 'utf8' }).trim()
    const run = spawnSync(chroot, [rootfs, '/qemu-aarch64-static', '/usr/bin/patchmon', '--version'], {
      env: { PATH: '/usr/bin' },
      encoding: 'utf8',
      timeout: EMULATED_MS
    })
    t.equal(run.status, 0, run.stderr || (run.error?.message ?? ''))
    t.match(run.stdout, /^patchmon \d+\.\d+\.\d+/)
  })

  t.test('under qemu-user, from an empty folder: first start, log in, an agent report, an online backup', async (t) => {
    const cwd = mkdtempSync(join(work, 'serve-'))
    const env = cleanEnv({ PATCHMON_ADMIN_PASSWORD: PASSWORD })
    const version = emulated(['--version'], cwd, { ...env, PATCHMON_DEBUG_CODE_CACHE: '1' })
    t.equal(version.status, 0, version.stderr)
    t.match(version.stdout, /^patchmon \d+\.\d+\.\d+/)
    // The build's warm start ran under qemu too (packaging/code-cache.ts): V8 must take its cache.
    t.match(version.stderr, /^code cache: accepted$/m, 'V8 accepts the warm code cache made under qemu')

    const started = Date.now()
    const server = await startServer(qemu, [built.executable], cwd, env, { timeoutMs: EMULATED_MS })
    t.teardown(() => server.child.kill('SIGKILL'))
    t.comment(`first start under qemu-aarch64 answered /health after ${((Date.now() - started) / 1000).toFixed(1)} s`)
    const base = `http://127.0.0.1:${server.port}`
    const token = await login(server.port, 'admin', PASSWORD)
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
    const created = await fetch(`${base}/api/v1/hosts`, { method: 'POST', headers: auth, body: JSON.stringify({ friendly_name: 'pi-01' }) })
    t.equal(created.status, 201)
    const host = (await created.json()) as { id: string; api_id: string; api_key: string }
    const report = await fetch(`${base}/api/v1/hosts/update`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-id': host.api_id, 'x-api-key': host.api_key },
      body: JSON.stringify(agentReport(debianPackages(120, { updates: 7 }), { architecture: 'aarch64' }))
    })
    t.equal(report.status, 200)
    t.match(await report.json(), { packagesProcessed: 120, updatesAvailable: 7 })

    // malloc_trim is loaded later, when the server goes idle: the two the first request needs.
    const addons = readdirSync(join(cwd, 'data/native')).filter((f) => !f.startsWith('malloc_trim-'))
    t.match(
      addons.sort(),
      [/^bcrypt-[0-9a-f]{16}\.node$/, /^better_sqlite3-[0-9a-f]{16}\.node$/],
      'the arm64 addons were extracted and loaded'
    )

    const backupFile = join(work, 'arm64-backup.db')
    const backup = emulated(['backup', backupFile], cwd, env)
    t.equal(backup.status, 0, backup.stderr)
    t.match(backup.stdout, /backup written to/)
    server.child.kill('SIGTERM')
    t.equal(await server.exited, 0, 'SIGTERM exits 0 under emulation too')

    // The backup written by the arm64 build is an ordinary SQLite file any machine reads.
    const db = new Database(backupFile, { readonly: true })
    try {
      t.equal(db.pragma('integrity_check', { simple: true }), 'ok')
      t.match(db.prepare('SELECT friendly_name FROM hosts').all(), [{ friendly_name: 'pi-01' }])
    } finally {
      db.close()
    }
    t.ok(statSync(backupFile).size > 0)
  })
}
