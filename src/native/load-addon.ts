// Loads the native addons when the app runs as a bundle: better-sqlite3 and bcrypt (the bundler
// redirects both packages' own loaders here, packaging/bundle.ts, because they look for `.node`
// files beside their sources, which a bundle does not have) and our own malloc_trim.
// - single executable: the addon is a SEA asset `native/<name>.node`; it is written once to
//   `<data dir>/native/<name>-<hash>.node` (content-addressed, so an upgrade never loads a stale
//   addon; written to a temp name then renamed, so two processes starting together are safe) and
//   dlopen'ed from there. Not /tmp: it may be mounted noexec, and dlopen needs an exec mount.
// - plain bundle (`node dist/app.cjs`): `dist/native/<name>.node`, copied there by the build.
import { createHash } from 'node:crypto'
import { chownSync, existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import * as nodeSea from 'node:sea'
import { parseFlags, resolveDataDir } from '../config.js'

export type AddonName = 'better_sqlite3' | 'bcrypt' | 'malloc_trim'

const loaded = new Map<AddonName, unknown>()

function dlopen(file: string): unknown {
  const mod = { exports: {} }
  process.dlopen(mod, file)
  return mod.exports
}

/**
 * When root runs a command (`patchmon backup`) on the service's data folder, what it extracts must
 * stay usable by the service user, who will later need to add its own files there.
 */
function ownLikeDataDir(dir: string, file: string): void {
  if (process.getuid?.() !== 0) return
  const { uid, gid } = statSync(dirname(dir))
  if (uid === 0) return
  chownSync(dir, uid, gid)
  chownSync(file, uid, gid)
}

/**
 * Content hashes of the embedded addons, computed by the build (`native/hashes.json`), so a start
 * whose addons are already extracted never reads the addons themselves (~2.3 MB of the executable
 * that would otherwise be paged in, copied and hashed on every start).
 */
let embeddedHashes: Partial<Record<AddonName, string>> | undefined

function embeddedHash(name: AddonName, bytes: () => Uint8Array): string {
  if (embeddedHashes === undefined) {
    try {
      embeddedHashes = JSON.parse(nodeSea.getAsset('native/hashes.json', 'utf8')) as Partial<Record<AddonName, string>>
    } catch {
      embeddedHashes = {} // built without the list: hash the addon itself
    }
  }
  return embeddedHashes[name] ?? addonHash(bytes())
}

export function addonHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16)
}

/** Writes the embedded addon into the data folder (once per content hash) and returns its path. */
function extractEmbeddedAddon(name: AddonName): string {
  const raw = () => new Uint8Array(nodeSea.getRawAsset(`native/${name}.node`))
  const hash = embeddedHash(name, raw)
  // The same resolution as the configuration (flag > PATCHMON_DATA_DIR > STATE_DIRECTORY > ./data):
  // bcrypt is loaded before main.ts has read the configuration.
  const dir = join(resolveDataDir(process.env, parseFlags(process.argv.slice(2))), 'native')
  const file = join(dir, `${name}-${hash}.node`)
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o750 })
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, raw(), { mode: 0o640 })
    renameSync(tmp, file)
    ownLikeDataDir(dir, file)
  }
  return file
}

function addonFile(name: AddonName): string {
  return nodeSea.isSea() ? extractEmbeddedAddon(name) : join(__dirname, 'native', `${name}.node`)
}

export function loadAddon(name: AddonName): unknown {
  const cached = loaded.get(name)
  if (cached) return cached
  const addon = dlopen(addonFile(name))
  loaded.set(name, addon)
  return addon
}

/** An optional addon, or undefined where it is not built (running from source). */
export function loadOptionalAddon(name: AddonName): unknown {
  if (nodeSea.isSea()) {
    if (!nodeSea.getAssetKeys().includes(`native/${name}.node`)) return undefined
  } else if (!existsSync(join(__dirname, 'native', `${name}.node`))) {
    return undefined
  }
  return loadAddon(name)
}

/**
 * An object standing in for an addon that is loaded on first use: bcrypt resolves its addon when
 * it is imported, before the data folder is known (and `patchmon --version` should write nothing).
 */
export function lazyAddon(name: AddonName): object {
  return new Proxy(
    {},
    {
      get: (_target, property) => (loadAddon(name) as Record<string | symbol, unknown>)[property],
      has: (_target, property) => property in (loadAddon(name) as object)
    }
  )
}
