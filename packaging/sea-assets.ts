// Which project files the single executable embeds, under their project-relative path (the key
// src/assets/read-asset.ts reads). Globs, not a list, so files other features add later (served
// scripts, agent files, dashboard output) are embedded without editing this file.
import { globSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { SWAGGER_UI_FILES, SWAGGER_UI_STATIC_DIR } from '../src/http/swagger-ui-files.js'

export const ASSET_GLOBS = [
  // Every non-TypeScript file under src/: served scripts (src/enrollment/scripts/*.sh), the shell
  // agent (src/agent/shell-agent/*), templates, icons.
  'src/**/*',
  // The dashboard's build output (npm run build:ui), when the dashboard is part of the tree.
  'build/dashboard/**/*',
  // Swagger UI's static files that its page loads, served by src/http/swagger-ui-files.ts.
  ...Object.keys(SWAGGER_UI_FILES).map((file) => `${SWAGGER_UI_STATIC_DIR}/${file}`)
]

const NOT_ASSETS = /\.(ts|tsx|mts|cts|map|c)$|(^|\/)\.[^/]*$/

/** Asset key (project-relative path) -> absolute file path, sorted by key. */
export function collectAssets(root: string): Record<string, string> {
  const keys = new Set<string>()
  for (const pattern of ASSET_GLOBS) {
    for (const key of globSync(pattern, { cwd: root })) {
      if (NOT_ASSETS.test(key) || !statSync(join(root, key)).isFile()) continue
      keys.add(key)
    }
  }
  return Object.fromEntries([...keys].sort().map((key) => [key, join(root, key)]))
}
