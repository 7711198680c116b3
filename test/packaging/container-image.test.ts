// The container image: built once (executable, then the OCI archive), checked as an OCI image
// layout (every digest, the config a runtime reads), and run for real with podman: a named volume
// for /data, loopback only (host network, HOST=127.0.0.1), log in, an agent report, the health
// command, a backup into the volume, a clean stop, and a second container on the same volume.
import t from 'tap'
import Database from 'better-sqlite3'
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { buildAll } from '../../packaging/build.js'
import { buildContainerImage, DATA_VOLUME, IMAGE_UID, type ImageResult } from '../../packaging/container-image.js'
import { agentReport, debianPackages } from '../helpers/agent-fixtures.js'
import { freePort, login } from './run-binary.js'

t.setTimeout(15 * 60_000)
const PASSWORD = 'first-admin-password'
mkdirSync(join(__dirname, '../../build'), { recursive: true })
const work = mkdtempSync(join(__dirname, '../../build/image-test-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))
const dist = join(work, 'dist')
let image: ImageResult

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
const fromArchive = (path: string) => execFileSync('tar', ['-xOf', image.archive, path], { maxBuffer: 256 * 1024 * 1024 })
const json = <T>(path: string) => JSON.parse(fromArchive(path).toString('utf8')) as T
const blobPath = (digest: string) => `blobs/sha256/${digest.replace(/^sha256:/, '')}`

interface Descriptor {
  digest: string
  size: number
  mediaType: string
}

t.before(async () => {
  await buildAll(dist)
  image = await buildContainerImage(dist)
})

t.test('the archive is an OCI image layout whose every blob matches its digest', async (t) => {
  t.same(json('oci-layout'), { imageLayoutVersion: '1.0.0' })
  const index = json<{ manifests: (Descriptor & { platform: unknown; annotations: Record<string, string> })[] }>('index.json')
  t.equal(index.manifests.length, 1)
  const entry = index.manifests[0]!
  t.same(entry.platform, { architecture: 'amd64', os: 'linux' })
  t.equal(entry.annotations['org.opencontainers.image.ref.name'], 'localhost/patchmon:0.1.0')
  const manifestBytes = fromArchive(blobPath(entry.digest))
  t.equal(`sha256:${sha256(manifestBytes)}`, entry.digest)
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as { config: Descriptor; layers: Descriptor[] }
  for (const blob of [manifest.config, ...manifest.layers]) {
    const bytes = fromArchive(blobPath(blob.digest))
    t.equal(`sha256:${sha256(bytes)}`, blob.digest, `${blob.mediaType} matches its digest`)
    t.equal(bytes.length, blob.size)
  }
  const config = json<{ architecture: string; config: Record<string, unknown>; rootfs: { diff_ids: string[] } }>(
    blobPath(manifest.config.digest)
  )
  t.equal(config.architecture, 'amd64')
  t.match(config.config, {
    User: `${IMAGE_UID}:${IMAGE_UID}`,
    Entrypoint: ['/usr/bin/patchmon'],
    Cmd: ['serve'],
    Volumes: { [DATA_VOLUME]: {} },
    ExposedPorts: { '3000/tcp': {} },
    Healthcheck: { Test: ['CMD', '/usr/bin/patchmon', 'health'] }
  })
  t.match(config.config.Env, ['PATH=/usr/bin', `PATCHMON_DATA_DIR=${DATA_VOLUME}`, 'HOST=0.0.0.0', 'PORT=3000'])
  // diff_ids are the digests of the uncompressed layers: what runtimes verify after unpacking.
  for (const [i, layer] of manifest.layers.entries()) {
    const unpacked = execFileSync('sh', ['-c', `tar -xOf "${image.archive}" ${blobPath(layer.digest)} | gzip -dc | sha256sum`], {
      encoding: 'utf8'
    })
    t.equal(`sha256:${unpacked.split(' ')[0]}`, config.rootfs.diff_ids[i], `layer ${i} diff_id`)
  }

  const base = execFileSync('sh', ['-c', `tar -xOf "${image.archive}" ${blobPath(manifest.layers[0]!.digest)} | tar -tzv`], {
    encoding: 'utf8'
  })
  t.match(base, new RegExp(`drwxr-x--- ${IMAGE_UID}/${IMAGE_UID} .* data/\\n`), 'the volume folder belongs to the service user')
  t.match(base, new RegExp(`drwxr-x--- ${IMAGE_UID}/${IMAGE_UID} .* data/backups/\\n`), 'and so does its backups folder')
  t.match(base, /usr\/lib\/x86_64-linux-gnu\/libstdc\+\+\.so\.6/, 'the C++ runtime the executable loads is there')
  t.match(base, /usr\/share\/doc\/libc6\/copyright/, 'with its licence')
  t.notMatch(base, /usr\/bin\/(sh|bash|dash)\n/, 'no shell')
  t.ok(image.compressedSize < statSync(join(dist, 'patchmon')).size * 0.6, 'compressed image is smaller than the executable')
  t.comment(`image: ${(image.compressedSize / 1e6).toFixed(1)} MB compressed, ${(image.unpackedSize / 1e6).toFixed(1)} MB unpacked`)

  const again = await buildContainerImage(dist)
  t.equal(again.manifestDigest, image.manifestDigest, 'the same inputs give the same image digest')
})

t.test('packaging/compose.yaml runs this image with the volume, the port and the same health check', async (t) => {
  const compose = parse(readFileSync(join(__dirname, '../../packaging/compose.yaml'), 'utf8')) as {
    services: Record<string, { image: string; volumes: string[]; ports: string[]; healthcheck: { test: string[] } }>
    volumes: Record<string, unknown>
  }
  const service = compose.services.patchmon!
  t.equal(service.image, image.reference)
  t.same(service.volumes, [`patchmon-data:${DATA_VOLUME}`])
  t.ok('patchmon-data' in compose.volumes)
  t.same(service.ports, ['3000:3000'])
  t.same(service.healthcheck.test, ['CMD', '/usr/bin/patchmon', 'health'])
})

/** The runtime flags this machine needs, or why podman cannot run containers here. */
function podmanSetup(): { flags: string[] } | { unavailable: string } {
  if (process.getuid?.() !== 0) return { unavailable: 'podman runs as root in these tests (CI runs as root)' }
  if (spawnSync('podman', ['--version']).status !== 0) return { unavailable: 'podman is not installed (apt-get install podman runc)' }
  // Containers inside CI containers lack CAP_SYS_RESOURCE: podman's default rlimits (raised above the
  // current hard limits) are refused, so ask for what the process already has.
  const limits = readFileSync('/proc/self/limits', 'utf8')
  const open = /^Max open files\s+(\d+)\s+(\d+)/m.exec(limits)
  const flags = ['--ulimit', `nofile=${open?.[1] ?? 1024}:${open?.[2] ?? 1024}`, '--ulimit', 'nproc=4096:4096']
  // crun refuses hybrid cgroup hierarchies; runc does not.
  const errors: string[] = []
  for (const runtime of [[], ['--runtime', 'runc']]) {
    const probe = spawnSync('podman', [...runtime, 'run', '--rm', '--network=host', ...flags, image.reference, '--version'], {
      encoding: 'utf8',
      timeout: 120_000
    })
    if (probe.status === 0 && /^patchmon /.test(probe.stdout)) return { flags: [...runtime, ...flags] }
    errors.push(probe.stderr.trim())
  }
  return { unavailable: `podman cannot run the image here: ${errors.join(' / ')}` }
}

t.test('podman runs the image as a non-root user with its data in one volume', async (t) => {
  const load = spawnSync('podman', ['load', '-i', image.archive], { encoding: 'utf8', timeout: 5 * 60_000 })
  if (load.status !== 0 && spawnSync('podman', ['--version']).status !== 0) return t.plan(0, 'podman is not installed')
  t.equal(load.status, 0, load.stderr)
  t.match(load.stdout, `Loaded image: ${image.reference}`)
  const setup = podmanSetup()
  if ('unavailable' in setup) return t.plan(0, setup.unavailable)
  const [global, runFlags] = setup.flags[0] === '--runtime' ? [setup.flags.slice(0, 2), setup.flags.slice(2)] : [[], setup.flags]
  const podman = (args: string[], timeout = 120_000) => spawnSync('podman', [...global, ...args], { encoding: 'utf8', timeout })
  const suffix = randomBytes(4).toString('hex')
  const volume = `patchmon-test-${suffix}`
  t.teardown(() => {
    for (const name of ['a', 'b']) podman(['rm', '-f', `${volume}-${name}`])
    podman(['volume', 'rm', '-f', volume])
    podman(['rmi', '-f', image.reference])
  })
  t.equal(podman(['volume', 'create', volume]).status, 0)

  const start = async (name: string) => {
    const port = await freePort()
    const env = ['-e', `PORT=${port}`, '-e', 'HOST=127.0.0.1', '-e', `PATCHMON_ADMIN_PASSWORD=${PASSWORD}`, '-e', 'LOG_LEVEL=warn']
    const run = podman([
      'run',
      '-d',
      '--name',
      `${volume}-${name}`,
      '--network=host',
      ...runFlags,
      ...env,
      '-v',
      `${volume}:${DATA_VOLUME}`,
      image.reference
    ])
    t.equal(run.status, 0, run.stderr)
    for (let i = 0; i < 600; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined)
      if (res?.status === 200) return port
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`the container did not answer /health: ${podman(['logs', `${volume}-${name}`]).stderr}`)
  }

  const port = await start('a')
  const base = `http://127.0.0.1:${port}`
  const token = await login(port, 'admin', PASSWORD)
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const created = await fetch(`${base}/api/v1/hosts`, { method: 'POST', headers: auth, body: JSON.stringify({ friendly_name: 'ct-01' }) })
  t.equal(created.status, 201)
  const host = (await created.json()) as { api_id: string; api_key: string }
  const report = await fetch(`${base}/api/v1/hosts/update`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-id': host.api_id, 'x-api-key': host.api_key },
    body: JSON.stringify(agentReport(debianPackages(50, { updates: 5 })))
  })
  t.equal(report.status, 200)

  const pid = podman(['inspect', '-f', '{{.State.Pid}}', `${volume}-a`]).stdout.trim()
  t.match(
    readFileSync(`/proc/${pid}/status`, 'utf8'),
    new RegExp(`\\nUid:\\t${IMAGE_UID}\\t${IMAGE_UID}\\t`),
    'the server runs as uid 10001'
  )
  const health = podman(['exec', `${volume}-a`, '/usr/bin/patchmon', 'health'])
  t.equal(health.status, 0, health.stderr)
  t.match(health.stdout, /\/health: 200 \{"status":"ok"/)
  const backup = podman(['exec', `${volume}-a`, '/usr/bin/patchmon', 'backup', `${DATA_VOLUME}/backups/manual.db`])
  t.equal(backup.status, 0, backup.stderr)

  const stop = podman(['stop', '-t', '30', `${volume}-a`])
  t.equal(stop.status, 0, stop.stderr)
  t.equal(podman(['inspect', '-f', '{{.State.ExitCode}}', `${volume}-a`]).stdout.trim(), '0', 'SIGTERM exits 0')

  // The volume on the host: the database and the backup, owned by the service user.
  const mountpoint = podman(['volume', 'inspect', '-f', '{{.Mountpoint}}', volume]).stdout.trim()
  t.equal(statSync(join(mountpoint, 'patchmon.db')).uid, IMAGE_UID)
  const db = new Database(join(mountpoint, 'backups/manual.db'), { readonly: true })
  try {
    t.equal(db.pragma('integrity_check', { simple: true }), 'ok')
    t.match(db.prepare('SELECT friendly_name FROM hosts').all(), [{ friendly_name: 'ct-01' }])
  } finally {
    db.close()
  }

  // A new container (an upgrade, say) on the same volume has the same accounts.
  const port2 = await start('b')
  t.ok(await login(port2, 'admin', PASSWORD), 'the second container signs in with the first one’s data')
  t.equal(podman(['stop', '-t', '30', `${volume}-b`]).status, 0)
})
