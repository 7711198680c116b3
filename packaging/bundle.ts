// esbuild: the whole server (src/main.ts and everything it imports) as one CommonJS file.
import { build, type Plugin } from 'esbuild'
import { join } from 'node:path'

const ROOT = join(__dirname, '..')

/**
 * Native addons cannot be bundled: their loaders look for `.node` files beside the package
 * sources. Redirect each known loader to our own (src/native/), and fail the build loudly when a
 * new dependency brings another native loader, instead of crashing at run time.
 */
const nativeAddons: Plugin = {
  name: 'native-addons',
  setup(b) {
    b.onResolve({ filter: /^(\.\/binding|node-gyp-build|bindings|node-gyp-build-optional-packages|prebuild-install)$/ }, (args) => {
      if (args.path === './binding' && args.importer.includes('/node_modules/better-sqlite3/lib/')) {
        return { path: join(ROOT, 'src/native/better-sqlite3-binding.ts') }
      }
      if (args.path === 'node-gyp-build' && args.importer.includes('/node_modules/bcrypt/')) {
        return { path: join(ROOT, 'src/native/bcrypt-binding.ts') }
      }
      if (args.path === './binding') return undefined // an ordinary relative module elsewhere
      return { errors: [{ text: `unexpected native loader ${args.path} imported by ${args.importer}: add it to packaging/bundle.ts` }] }
    })
    b.onResolve({ filter: /\.node$/ }, (args) => ({
      errors: [{ text: `native addon ${args.path} imported by ${args.importer}: add it to packaging/bundle.ts and sea-config.json` }]
    }))
  }
}

/** What both bundles share: one minified CommonJS file for the pinned Node. */
const NODE_BUNDLE = {
  bundle: true,
  platform: 'node',
  target: 'node26',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning'
} as const

/** The single executable's entry (src/sea-main.ts): it runs the bundle below from an asset. */
export async function bundleSeaMain(outFile: string): Promise<void> {
  const result = await build({ ...NODE_BUNDLE, entryPoints: [join(ROOT, 'src/sea-main.ts')], outfile: outFile })
  if (result.errors.length > 0) throw new Error('bundle failed')
}

export async function bundleApp(outFile: string): Promise<void> {
  const result = await build({
    ...NODE_BUNDLE,
    entryPoints: [join(ROOT, 'src/main.ts')],
    outfile: outFile,
    // Minified (NODE_BUNDLE): smaller bundle, smaller code cache, faster parse; keepNames keeps
    // function and class names readable in logged errors.
    keepNames: true,
    // Non-ASCII characters escaped: src/sea-main.ts decodes the bundle as latin1, the fastest decode.
    charset: 'ascii',
    sourcemap: false,
    define: { __BUNDLED__: 'true' },
    plugins: [nativeAddons],
    logOverride: {
      // Optional requires inside dependencies (guarded by try/catch) that we never take.
      'require-resolve-not-external': 'silent'
    }
  })
  if (result.errors.length > 0) throw new Error('bundle failed')
}
