// glibc's malloc_trim(0) through our addon (src/native/malloc-trim.c), for the idle memory
// release. The single executable and the plain bundle carry the addon; running from source
// (`npm start`, tests) has none unless `npm run build` placed one, and then trimming is skipped.
import { loadOptionalAddon } from './load-addon.js'

interface MallocTrimAddon {
  trim: () => boolean
}

let addon: MallocTrimAddon | null | undefined

/** Returns whether memory was handed back, or undefined when the addon is not available. */
export function mallocTrim(): boolean | undefined {
  if (addon === undefined) {
    try {
      addon = (loadOptionalAddon('malloc_trim') as MallocTrimAddon | undefined) ?? null
    } catch {
      addon = null // a libc without malloc_trim (musl) cannot load it; trimming is an optimisation
    }
  }
  return addon ? addon.trim() : undefined
}
