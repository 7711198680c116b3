// npm run image: an OCI container image around the single executable, written by this script as an
// OCI archive (`podman load -i`, `docker load -i`, `skopeo copy oci-archive:...`), no daemon and no
// base image pulled. Two layers:
// - base: the C and C++ runtime the executable and its addons load (found from their ELF files and
//   taken from the Debian packages installed on the build machine, with their copyright files),
//   /etc/passwd and /etc/group with the unprivileged user patchmon (10001), /tmp, and /data, the
//   one volume, owned by that user. No shell, no package manager: a distroless-like base.
// - app: /usr/bin/patchmon.
// `--arch arm64` packs the executable cross-built into dist/linux-arm64 with Debian's arm64 libraries
// (multiarch). `--dist DIR` reads and writes another folder.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  createWriteStream,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { join, resolve } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import { tarStream, type TarEntry } from './oci-tar.js'
import { elfNeeds } from './shared-libraries.js'
import { assertElfFor, distDirFor, targetFromArgv, TARGETS, type Target } from './target.js'

const ROOT = join(__dirname, '..')
export const IMAGE_UID = 10001
export const DATA_VOLUME = '/data'
export const IMAGE_PORT = 3000

export interface ImageResult {
  /** The OCI archive (a tar of an OCI image layout). */
  archive: string
  /** Reference it loads as. */
  reference: string
  manifestDigest: string
  /** Compressed layer bytes: what a registry stores and a pull downloads. */
  compressedSize: number
  /** Uncompressed layer bytes: what the image takes unpacked. */
  unpackedSize: number
}

interface Blob {
  digest: string
  size: number
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
}

/** Seconds since the epoch for every timestamp: SOURCE_DATE_EPOCH, else the last commit, so rebuilds are identical. */
function buildEpoch(): number {
  const fromEnv = Number(process.env.SOURCE_DATE_EPOCH)
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv
  try {
    return Number(
      execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    )
  } catch {
    return 0
  }
}

/** The Debian package (name:arch) that installed a library file, or undefined. */
function owningPackage(file: string): string | undefined {
  try {
    const out = execFileSync('dpkg', ['-S', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    // `libc6:amd64: /lib/x86_64-linux-gnu/libc.so.6` (several owners are comma-separated)
    return out.split(': ')[0]?.split(', ')[0]
  } catch {
    return undefined
  }
}

/** Finds a soname in the target's library folders and the package that ships it. */
function librarySource(target: Target, soname: string): { file: string; pkg: string } {
  for (const dir of [`/lib/${target.multiarch}`, `/usr/lib/${target.multiarch}`, '/lib', '/lib64', '/usr/lib']) {
    const file = join(dir, soname)
    if (!existsSync(file)) continue
    const pkg = owningPackage(file)
    if (pkg) return { file, pkg }
  }
  throw new Error(
    `no installed Debian package ships ${soname} for ${target.debArch} (apt-get install the library${target.arch === 'x64' ? '' : `:${target.debArch}`})`
  )
}

/** The Debian packages holding every library the ELF files load, directly or through each other. */
export function runtimePackages(target: Target, elfFiles: string[]): string[] {
  const packages = new Set<string>()
  const seen = new Set<string>()
  let pending = elfNeeds(elfFiles).sonames
  while (pending.length > 0) {
    const files: string[] = []
    for (const soname of pending) {
      seen.add(soname)
      const { file, pkg } = librarySource(target, soname)
      packages.add(pkg)
      files.push(file)
    }
    pending = elfNeeds(files).sonames.filter((s) => !seen.has(s))
  }
  return [...packages].sort()
}

/** Image path of a package file: merged /usr (lib -> usr/lib), no leading slash. */
function imagePath(file: string): string {
  return file.replace(/^\/(lib|lib64|bin|sbin)\//, '/usr/$1/').slice(1)
}

/** The files of the runtime packages the image needs: libraries, the loader, copyright notices. */
function packageEntries(packages: string[]): TarEntry[] {
  const entries: TarEntry[] = []
  for (const pkg of packages) {
    const listed = execFileSync('dpkg', ['-L', pkg], { encoding: 'utf8' }).split('\n')
    const name = pkg.split(':')[0] ?? pkg
    for (const file of listed) {
      if (!/^\/(usr\/)?lib(64)?\//.test(file) || /\/gconv\/|\/audit\/|\.a$/.test(file)) continue
      const stat = lstatSync(file, { throwIfNoEntry: false })
      if (!stat) continue
      if (stat.isSymbolicLink()) entries.push({ path: imagePath(file), type: 'symlink', mode: 0o777, linkname: readlinkSync(file) })
      else if (stat.isFile())
        entries.push({ path: imagePath(file), type: 'file', mode: stat.mode & 0o755, source: { file, size: stat.size } })
    }
    // The licence travels with the binaries (gcc's libraries link their doc folder to gcc-N-base's).
    const copyright = `/usr/share/doc/${name}/copyright`
    if (existsSync(copyright))
      entries.push({ path: copyright.slice(1), type: 'file', mode: 0o644, source: { file: copyright, size: statSync(copyright).size } })
  }
  return entries
}

/** Adds the parent folders of every entry (root-owned, 0755) and sorts parents before children. */
function withParents(entries: TarEntry[]): TarEntry[] {
  const byPath = new Map(entries.map((e) => [e.path, e]))
  for (const entry of entries) {
    const parts = entry.path.split('/')
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/')
      if (!byPath.has(dir)) byPath.set(dir, { path: dir, type: 'dir', mode: 0o755 })
    }
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

function baseEntries(target: Target, elfFiles: string[]): TarEntry[] {
  const text = (path: string, content: string, mode = 0o644): TarEntry => ({ path, type: 'file', mode, source: Buffer.from(content) })
  const libs = packageEntries(runtimePackages(target, elfFiles))
  const entries: TarEntry[] = [
    ...libs,
    { path: 'bin', type: 'symlink', mode: 0o777, linkname: 'usr/bin' },
    { path: 'lib', type: 'symlink', mode: 0o777, linkname: 'usr/lib' },
    text(
      'etc/passwd',
      `root:x:0:0:root:/root:/usr/sbin/nologin\npatchmon:x:${IMAGE_UID}:${IMAGE_UID}:PatchMon appliance:${DATA_VOLUME}:/usr/sbin/nologin\n`
    ),
    text('etc/group', `root:x:0:\npatchmon:x:${IMAGE_UID}:\n`),
    text('etc/nsswitch.conf', 'passwd: files\ngroup: files\nhosts: files dns\n'),
    { path: 'root', type: 'dir', mode: 0o700 },
    { path: 'tmp', type: 'dir', mode: 0o1777 },
    { path: DATA_VOLUME.slice(1), type: 'dir', mode: 0o750, uid: IMAGE_UID, gid: IMAGE_UID },
    // Where `patchmon backup` and the pre-upgrade snapshots go, as the systemd unit's StateDirectory.
    { path: `${DATA_VOLUME.slice(1)}/backups`, type: 'dir', mode: 0o750, uid: IMAGE_UID, gid: IMAGE_UID }
  ]
  if (libs.some((e) => e.path.startsWith('usr/lib64/')))
    entries.push({ path: 'lib64', type: 'symlink', mode: 0o777, linkname: 'usr/lib64' })
  return withParents(entries)
}

/** Writes a blob into the layout by content digest. */
function writeBlob(layout: string, content: Buffer): Blob {
  const digest = createHash('sha256').update(content).digest('hex')
  writeFileSync(join(layout, 'blobs/sha256', digest), content)
  return { digest: `sha256:${digest}`, size: content.length }
}

/** Streams a tar layer through gzip into the layout; returns the blob and the uncompressed diff id. */
async function writeLayer(layout: string, entries: TarEntry[], mtime: number): Promise<Blob & { diffId: string; unpacked: number }> {
  const tarHash = createHash('sha256')
  const gzHash = createHash('sha256')
  let unpacked = 0
  let size = 0
  const tmp = join(layout, `layer.${process.pid}.tmp`)
  const count = (hash: ReturnType<typeof createHash>, add: (n: number) => void) =>
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk)
        add(chunk.length)
        done(null, chunk)
      }
    })
  await pipeline(
    Readable.from(tarStream(entries, mtime)),
    count(tarHash, (n) => (unpacked += n)),
    createGzip({ level: 6 }),
    count(gzHash, (n) => (size += n)),
    createWriteStream(tmp)
  )
  const digest = gzHash.digest('hex')
  renameSync(tmp, join(layout, 'blobs/sha256', digest))
  return { digest: `sha256:${digest}`, size, diffId: `sha256:${tarHash.digest('hex')}`, unpacked }
}

export async function buildContainerImage(distDir: string, target: Target = TARGETS.x64, version = packageVersion()): Promise<ImageResult> {
  const executable = join(distDir, 'patchmon')
  if (!existsSync(executable)) throw new Error(`${executable} is missing: run npm run build first`)
  assertElfFor(target, executable)
  const elfFiles = [
    executable,
    ...readdirSync(join(distDir, 'native'))
      .filter((f) => f.endsWith('.node'))
      .sort()
      .map((f) => join(distDir, 'native', f))
  ]
  const epoch = buildEpoch()
  const created = new Date(epoch * 1000).toISOString()
  const layout = join(distDir, `oci-${target.debArch}`)
  execFileSync('rm', ['-rf', layout])
  mkdirSync(join(layout, 'blobs/sha256'), { recursive: true })

  const base = await writeLayer(layout, baseEntries(target, elfFiles), epoch)
  const app = await writeLayer(
    layout,
    withParents([{ path: 'usr/bin/patchmon', type: 'file', mode: 0o755, source: { file: executable, size: statSync(executable).size } }]),
    epoch
  )
  const seconds = (s: number) => s * 1e9 // the image config counts durations in nanoseconds
  const config = {
    created,
    architecture: target.debArch, // OCI uses Go's names: amd64, arm64 (Debian's too)
    os: 'linux',
    config: {
      User: `${IMAGE_UID}:${IMAGE_UID}`,
      ExposedPorts: { [`${IMAGE_PORT}/tcp`]: {} },
      Env: ['PATH=/usr/bin', `PATCHMON_DATA_DIR=${DATA_VOLUME}`, 'HOST=0.0.0.0', `PORT=${IMAGE_PORT}`, `HOME=${DATA_VOLUME}`],
      Entrypoint: ['/usr/bin/patchmon'],
      Cmd: ['serve'],
      Volumes: { [DATA_VOLUME]: {} },
      WorkingDir: DATA_VOLUME,
      StopSignal: 'SIGTERM',
      // Docker and podman (docker format) read this; compose.yaml repeats it for the others.
      Healthcheck: {
        Test: ['CMD', '/usr/bin/patchmon', 'health'],
        Interval: seconds(30),
        Timeout: seconds(10),
        StartPeriod: seconds(60),
        Retries: 3
      },
      Labels: {
        'org.opencontainers.image.title': 'PatchMon appliance',
        'org.opencontainers.image.version': version,
        'org.opencontainers.image.licenses': 'MIT'
      }
    },
    rootfs: { type: 'layers', diff_ids: [base.diffId, app.diffId] },
    history: [
      { created, created_by: 'packaging/container-image.ts: C/C++ runtime from Debian packages, user patchmon, /data' },
      { created, created_by: 'packaging/container-image.ts: /usr/bin/patchmon' }
    ]
  }
  const configBlob = writeBlob(layout, Buffer.from(JSON.stringify(config)))
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...configBlob },
    layers: [base, app].map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: l.digest, size: l.size })),
    annotations: { 'org.opencontainers.image.created': created, 'org.opencontainers.image.version': version }
  }
  const manifestBlob = writeBlob(layout, Buffer.from(JSON.stringify(manifest)))
  const reference = `localhost/patchmon:${version}`
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        ...manifestBlob,
        platform: { architecture: target.debArch, os: 'linux' },
        // podman names the loaded image after ref.name, Docker after io.containerd.image.name.
        annotations: { 'org.opencontainers.image.ref.name': reference, 'io.containerd.image.name': reference }
      }
    ]
  }
  writeFileSync(join(layout, 'index.json'), JSON.stringify(index))
  writeFileSync(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }))

  const archive = join(distDir, `patchmon-${version}-oci-${target.debArch}.tar`)
  const files = [
    'oci-layout',
    'index.json',
    ...readdirSync(join(layout, 'blobs/sha256'))
      .sort()
      .map((f) => `blobs/sha256/${f}`)
  ]
  const entries = withParents(
    files.map((path) => ({
      path,
      type: 'file' as const,
      mode: 0o644,
      source: { file: join(layout, path), size: statSync(join(layout, path)).size }
    }))
  )
  await pipeline(Readable.from(tarStream(entries, epoch)), createWriteStream(`${archive}.tmp`))
  renameSync(`${archive}.tmp`, archive)
  return {
    archive,
    reference,
    manifestDigest: manifestBlob.digest,
    compressedSize: base.size + app.size,
    unpackedSize: base.unpacked + app.unpacked
  }
}

if (require.main === module) {
  const at = process.argv.indexOf('--dist')
  const target = targetFromArgv(process.argv)
  const distDir = resolve((at > 0 ? process.argv[at + 1] : undefined) ?? distDirFor(target))
  const started = Date.now()
  buildContainerImage(distDir, target).then(
    (r) => {
      const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`
      console.log(
        `built ${r.archive} (${r.reference}, ${mb(r.compressedSize)} compressed, ${mb(r.unpackedSize)} unpacked) in ${((Date.now() - started) / 1000).toFixed(1)} s`
      )
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err)
      process.exit(1)
    }
  )
}
