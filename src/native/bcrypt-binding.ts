// Replaces `node-gyp-build` for bcrypt in the bundle (see packaging/bundle.ts). bcrypt calls it
// at import time; the returned stand-in loads the addon on the first hash or compare.
import { lazyAddon } from './load-addon.js'

export = function nodeGypBuild(): object {
  return lazyAddon('bcrypt')
}
