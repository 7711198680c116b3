// Files the server serves or writes out (enrollment scripts, the shell agent, dashboard files,
// Swagger UI files). In the single executable they are SEA assets; from source or a plain bundle
// they are read from the project tree. Keys are paths relative to the project root, e.g.
// `src/enrollment/scripts/proxmox-lxc.sh` — the packaging build embeds them under the same keys.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import * as nodeSea from 'node:sea'

const sea = nodeSea.isSea() ? nodeSea : undefined

/** The project root: the nearest folder above this file (or the bundle) holding package.json. */
function findProjectRoot(): string {
  let dir = __dirname
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir
    dir = dirname(dir)
  }
  return process.cwd()
}

const root = sea ? '' : findProjectRoot()

export class AssetNotFoundError extends Error {}

export function readAsset(key: string): Buffer {
  if (sea) {
    try {
      return Buffer.from(sea.getAsset(key))
    } catch {
      throw new AssetNotFoundError(`asset ${key} is not embedded`)
    }
  }
  const file = join(root, key)
  if (!existsSync(file)) throw new AssetNotFoundError(`asset ${key} not found at ${file}`)
  return readFileSync(file)
}

export function readTextAsset(key: string): string {
  return readAsset(key).toString('utf8')
}

export function assetExists(key: string): boolean {
  try {
    readAsset(key)
    return true
  } catch {
    return false
  }
}
