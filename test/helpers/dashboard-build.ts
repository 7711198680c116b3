// Builds the dashboard (npm run build:ui) when build/dashboard is missing or older than its
// sources, so dashboard tests always serve the current UI even when run with plain `npx tap`.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = join(__dirname, '..', '..')
const SOURCES = ['src/dashboard/ui', 'src/dashboard/assets', 'src/dashboard/build-ui.ts', 'src/dashboard/dashboard-manifest.ts']

function newestMtime(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))))
}

export function ensureDashboardBuilt(): void {
  const manifest = join(root, 'build', 'dashboard', 'manifest.json')
  const newest = Math.max(...SOURCES.map((s) => newestMtime(join(root, s))))
  if (existsSync(manifest) && statSync(manifest).mtimeMs >= newest) return
  execFileSync(process.execPath, ['--import', 'tsx', 'src/dashboard/build-ui.ts'], { cwd: root, stdio: 'pipe', timeout: 60_000 })
}
