// `npm run build:ui`: bundles the dashboard (src/dashboard/ui) with esbuild into build/dashboard/
// with content-hashed names, writes index.html pointing at them, copies the fixed-name icons
// (gethomepage and the favicon link to /assets/favicon.svg etc.) and lists every file in
// build/dashboard/manifest.json. The single executable embeds exactly the files of that manifest
// under `build/dashboard/<file>`, and the server serves only files the manifest lists.
import { build, type Metafile } from 'esbuild'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, join, relative } from 'node:path'
import { gzipSync } from 'node:zlib'
import { FIXED_NAME_FILES, type DashboardManifest } from './dashboard-manifest.js'

const root = join(__dirname, '..', '..')
const finalDir = join(root, 'build', 'dashboard')
// Built beside the final folder and swapped in at the end, so a server (or a test) reading
// build/dashboard never sees a half-written build.
const outDir = join(root, 'build', `dashboard.${process.pid}.tmp`)

async function buildDashboard(): Promise<void> {
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  const result = await build({
    entryPoints: { app: join(__dirname, 'ui', 'main.tsx') },
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    sourcemap: false,
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning'
  })
  const outputs = Object.keys(result.metafile.outputs).map((p) => relative(outDir, join(root, p)))
  const js = outputs.find((f) => f.startsWith('app-') && f.endsWith('.js'))
  const css = outputs.find((f) => f.startsWith('app-') && f.endsWith('.css'))
  if (!js || !css) throw new Error(`esbuild produced no app bundle: ${outputs.join(', ')}`)
  writeFileSync(join(outDir, 'index.html'), indexHtml(js, css))
  for (const file of FIXED_NAME_FILES) copyFileSync(join(__dirname, 'assets', file), join(outDir, file))
  const files = readdirSync(outDir).filter((f) => statSync(join(outDir, f)).isFile())
  const manifest: DashboardManifest = {
    files: [...files, 'manifest.json'].sort(),
    immutable: outputs.sort(),
    entry: { js, css },
    builtAt: new Date().toISOString()
  }
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n')
  printSizes(result.metafile, outputs, manifest.entry)
  const oldDir = `${finalDir}.${process.pid}.old`
  if (existsSync(finalDir)) renameSync(finalDir, oldDir)
  renameSync(outDir, finalDir)
  rmSync(oldDir, { recursive: true, force: true })
}

function indexHtml(js: string, css: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>PatchMon</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/${css}">
<script type="module" src="/assets/${js}"></script>
</head>
<body>
<div id="app"><noscript>The PatchMon dashboard needs JavaScript.</noscript></div>
</body>
</html>
`
}

function sizes(files: string[]): string {
  let raw = 0
  let gz = 0
  for (const file of files) {
    const body = readFileSync(join(outDir, file))
    raw += body.length
    gz += gzipSync(body, { level: 9 }).length
  }
  return `${(raw / 1024).toFixed(1)} KiB, gzip -9 ${(gz / 1024).toFixed(1)} KiB`
}

/** The entry plus what it imports statically: what the first page load fetches. */
function firstLoad(meta: Metafile, entry: DashboardManifest['entry']): string[] {
  const key = (file: string) => relative(root, join(outDir, file))
  const seen = new Set<string>([entry.css])
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    for (const imp of meta.outputs[key(file)]?.imports ?? [])
      if (imp.kind === 'import-statement') visit(relative(outDir, join(root, imp.path)))
  }
  visit(entry.js)
  return [...seen]
}

function printSizes(meta: Metafile, outputs: string[], entry: DashboardManifest['entry']): void {
  console.log(`dashboard built in ${relative(root, finalDir)}: ${outputs.map((f) => basename(f)).join(', ')}`)
  console.log(`  first load (app, css, shared chunks): ${sizes(firstLoad(meta, entry))}`)
  console.log(`  all files (with the lazily loaded chart): ${sizes(outputs)}`)
}

buildDashboard().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
