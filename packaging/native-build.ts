// Compiles our own Node-API addon (src/native/malloc-trim.c) with the system C compiler, or the
// target's cross compiler (packaging/target.ts). The result is cached under build/native/ by
// source hash and architecture; the single executable embeds it and the
// plain bundle loads it from dist/native/, like the two addons that come prebuilt from npm.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { nodePackageDir } from './node-binary.js'
import { assertElfFor, TARGETS, type Target } from './target.js'

const ROOT = join(__dirname, '..')
const SOURCE = join(ROOT, 'src/native/malloc-trim.c')

/** Node-API headers: those of the pinned Node package, else the system's (Debian's nodejs). */
function nodeApiHeaders(target: Target): string {
  const candidates = [join(nodePackageDir(target), 'include/node'), '/usr/include/node']
  const found = candidates.find((dir) => existsSync(join(dir, 'node_api.h')))
  if (!found) throw new Error(`node_api.h not found in ${candidates.join(' or ')}: install the Debian package nodejs (or libnode-dev)`)
  return found
}

/** Path of the compiled malloc_trim addon for the target (built now if the source changed). */
export function mallocTrimAddon(target: Target = TARGETS.x64): string {
  const source = readFileSync(SOURCE)
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16)
  const dir = join(ROOT, 'build/native')
  const suffix = target.arch === 'x64' ? '' : `-${target.arch}`
  const output = join(dir, `malloc_trim-${hash}${suffix}.node`)
  if (existsSync(output)) return output
  mkdirSync(dir, { recursive: true })
  const tmp = `${output}.${process.pid}.tmp`
  execFileSync(target.cc, ['-O2', '-Wall', '-Werror', '-shared', '-fPIC', '-I', nodeApiHeaders(target), SOURCE, '-o', tmp], {
    stdio: ['ignore', 'inherit', 'inherit']
  })
  assertElfFor(target, tmp)
  renameSync(tmp, output) // atomic: parallel builds share the cache safely
  return output
}
