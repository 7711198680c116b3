// The single executable's entry point: it runs the server bundle (the SEA asset `app.cjs.gz`) with a
// V8 code cache taken from a warm start (the asset `app.code-cache.gz`, packaging/code-cache.ts).
// Why not Node's own `useCodeCache`: that cache is made by compiling the bundle without running
// it, so it holds only top-level code, and every function the start runs (module bodies, route
// registration, the first request) is still parsed and compiled on each start. A cache taken
// after a real start holds those functions too: about a quarter less time to the first answer
// (docs/figures.md).
// Both assets are gzip-compressed: 5.4 MB less in the executable (its size budget), for ~11 ms
// (bundle, measured under load) of inflating at start.
// Without the cache asset, or when V8 refuses it (another Node, other flags), the bundle compiles
// as usual: slower, never wrong.
import { writeFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import * as sea from 'node:sea'
import { Script } from 'node:vm'

const BUNDLE_ASSET = 'app.cjs.gz'
const CACHE_ASSET = 'app.code-cache.gz'
/** Set by the build only (packaging/code-cache.ts): where to write the cache when this process exits. */
const CACHE_OUT_ENV = 'PATCHMON_BUILD_CODE_CACHE_OUT'

type CommonJsWrapper = (exports: unknown, require: NodeJS.Require, module: NodeJS.Module, filename: string, dirname: string) => void

function inflatedAsset(key: string): Buffer | undefined {
  let compressed: ArrayBuffer
  try {
    compressed = sea.getRawAsset(key) // a view of the executable's bytes, not a copy
  } catch {
    return undefined // built without it
  }
  return gunzipSync(Buffer.from(compressed))
}

const source = inflatedAsset(BUNDLE_ASSET)
if (source === undefined) throw new Error(`${BUNDLE_ASSET} is missing from this executable`)
const cachedData = inflatedAsset(CACHE_ASSET)
// The same wrapper Node puts around a CommonJS file, so the bundle sees what it would as main.
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source.toString('latin1')}\n})`, {
  filename: process.execPath,
  ...(cachedData ? { cachedData } : {})
})
if (process.env['PATCHMON_DEBUG_CODE_CACHE'] === '1') {
  console.error(`code cache: ${cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted'}`)
}
const cacheOut = process.env[CACHE_OUT_ENV]
if (cacheOut) {
  delete process.env[CACHE_OUT_ENV]
  process.once('exit', () => writeFileSync(cacheOut, script.createCachedData()))
}

const wrapper = script.runInThisContext() as CommonJsWrapper
wrapper.call(module.exports, module.exports, require, module, process.execPath, process.execPath.replace(/\/[^/]*$/, ''))
