// Replaces better-sqlite3's lib/binding.js in the bundle (see packaging/bundle.ts): its
// `getBinding` looks for the addon beside the package sources. better-sqlite3 calls it on the
// first `new Database()`, so the addon is loaded then.
import { loadAddon } from './load-addon.js'

export function getBinding(): unknown {
  return loadAddon('better_sqlite3')
}
