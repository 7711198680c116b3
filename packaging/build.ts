// npm run build: dist/app.cjs (the plain bundle, with its addons in dist/native/) and
// dist/patchmon (the single executable: the pinned Node binary, stripped, plus a SEA blob holding
// the bundle, the native addons and every runtime asset). `--out DIR` builds elsewhere (tests);
// `--arch arm64` cross-builds the linux-arm64 executable (packaging/target.ts), by default into
// dist/linux-arm64/.
import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { bundleApp, bundleSeaMain } from './bundle.js'
import { warmCodeCache } from './code-cache.js'
import { collectAssets } from './sea-assets.js'
import { mallocTrimAddon } from './native-build.js'
import { pinnedNodeBinary } from './node-binary.js'
import { assertElfFor, distDirFor, targetFromArgv, TARGETS, type Target } from './target.js'
import { addonHash } from '../src/native/load-addon.js'

const ROOT = join(__dirname, '..')
const PINNED_NODE = join(ROOT, 'node_modules/node/bin/node')

interface SeaConfig {
  main: string
  executable: string
  output: string
  assets: Record<string, string>
  [key: string]: unknown
}

export interface BuildResult {
  bundle: string
  executable: string
  assetCount: number
  target: Target
}

/**
 * A stripped copy of the pinned node binary, cached by size and mtime: debug symbols are about
 * 10 MB, and stripping must happen before the blob is added (stripping after breaks the binary).
 */
function strippedNode(target: Target): string {
  const source = realpathSync(target.arch === 'x64' ? PINNED_NODE : pinnedNodeBinary(target))
  const { size, mtimeMs } = statSync(source)
  const dir = join(ROOT, target.arch === 'x64' ? 'build/sea' : `build/sea-${target.arch}`)
  const stripped = join(dir, `node-${size}-${Math.trunc(mtimeMs)}`)
  if (existsSync(stripped)) return stripped
  mkdirSync(dir, { recursive: true })
  const tmp = `${stripped}.${process.pid}.tmp`
  copyFileSync(source, tmp)
  execFileSync(target.strip, [tmp])
  renameSync(tmp, stripped) // atomic: parallel builds share the cache safely
  return stripped
}

/**
 * The prebuilt addons sea-config.json names (linux-x64) for the target: better-sqlite3 and bcrypt
 * ship every platform's prebuild in their npm packages, under the same layout with the platform
 * in the path.
 */
function prebuiltAddon(target: Target, file: string): string {
  const path = join(ROOT, target.arch === 'x64' ? file : file.replace('linux-x64', `linux-${target.nodeArch}`))
  assertElfFor(target, path)
  return path
}

/** `file.gz` beside `file` (src/sea-main.ts inflates the two assets stored this way). */
function gzipped(file: string): string {
  writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: 9 }))
  return `${file}.gz`
}

export async function buildAll(outDir: string, target: Target = TARGETS.x64): Promise<BuildResult> {
  mkdirSync(join(outDir, 'native'), { recursive: true })
  const bundle = join(outDir, 'app.cjs')
  await bundleApp(bundle)

  const base = JSON.parse(readFileSync(join(ROOT, 'sea-config.json'), 'utf8')) as SeaConfig
  // sea-config.json lists the prebuilt addons from npm; ours is compiled here (packaging/native-build.ts).
  const nativeAssets: Record<string, string> = {
    ...Object.fromEntries(Object.entries(base.assets).map(([key, file]) => [key, prebuiltAddon(target, file)])),
    'native/malloc_trim.node': mallocTrimAddon(target)
  }
  // The plain bundle loads its addons from dist/native/<name>.node (src/native/load-addon.ts).
  for (const [key, file] of Object.entries(nativeAssets)) copyFileSync(file, join(outDir, key))

  // The addons' content hashes, so the executable names its extracted copies without reading them.
  const hashes = Object.fromEntries(
    Object.entries(nativeAssets).map(([key, file]) => [key.replace(/^native\/(.*)\.node$/, '$1'), addonHash(readFileSync(file))])
  )
  const hashesFile = join(outDir, 'native/hashes.json')
  writeFileSync(hashesFile, JSON.stringify(hashes) + '\n')

  const seaMain = join(outDir, 'sea-main.cjs')
  await bundleSeaMain(seaMain)
  const executable = join(outDir, 'patchmon')
  // The target's own node writes the blob (under qemu when cross-building): the V8 code cache in it
  // is only accepted by the Node build that made it; the warm start below runs under qemu too.
  const [builder, ...builderArgs] = target.arch === 'x64' ? [PINNED_NODE] : [...target.runner, pinnedNodeBinary(target)]
  const buildExecutable = (assets: Record<string, string>): string => {
    const config: SeaConfig = { ...base, main: seaMain, executable: strippedNode(target), output: `${executable}.tmp`, assets }
    const configFile = join(outDir, 'sea-config.json')
    writeFileSync(configFile, JSON.stringify(config, null, 2) + '\n')
    execFileSync(builder ?? PINNED_NODE, [...builderArgs, '--build-sea', configFile], { stdio: ['ignore', 'ignore', 'inherit'] })
    chmodSync(config.output, 0o755)
    return config.output
  }
  const assets = { ...collectAssets(ROOT), ...nativeAssets, 'native/hashes.json': hashesFile, 'app.cjs.gz': gzipped(bundle) }
  // Twice: the first executable's warm start writes the code cache the second one embeds.
  const cold = buildExecutable(assets)
  const cacheFile = join(outDir, 'app.code-cache')
  const [runner, ...runnerArgs] = [...target.runner, cold]
  writeFileSync(cacheFile, await warmCodeCache(runner ?? cold, runnerArgs))
  const withCache = { ...assets, 'app.code-cache.gz': gzipped(cacheFile) }
  renameSync(buildExecutable(withCache), executable)

  // Smoke test from an empty folder: the binary starts and knows its version.
  const empty = mkdtempSync(join(tmpdir(), 'patchmon-build-'))
  try {
    const [command, ...args] = [...target.runner, executable, '--version']
    execFileSync(command ?? executable, args, { cwd: empty, env: { PATH: '/usr/bin:/bin' }, stdio: ['ignore', 'ignore', 'inherit'] })
  } finally {
    rmSync(empty, { recursive: true, force: true })
  }
  return { bundle, executable, assetCount: Object.keys(withCache).length, target }
}

if (require.main === module) {
  const at = process.argv.indexOf('--out')
  const target = targetFromArgv(process.argv)
  const outDir = resolve((at > 0 ? process.argv[at + 1] : undefined) ?? distDirFor(target))
  const started = Date.now()
  buildAll(outDir, target).then(
    (r) => {
      const mb = (f: string) => `${(statSync(f).size / 1e6).toFixed(1)} MB`
      console.log(
        `built ${r.bundle} (${mb(r.bundle)}) and ${r.executable} (${mb(r.executable)}, ${r.assetCount} assets) in ${((Date.now() - started) / 1000).toFixed(1)} s`
      )
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err)
      process.exit(1)
    }
  )
}
