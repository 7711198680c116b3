// Runs `patchmon import-upstream` as a user does: the real entry point in a child process.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

const TSX = join(__dirname, '../../node_modules/.bin/tsx')
const MAIN = join(__dirname, '../../src/main.ts')

export function runImportCli(args: string[]) {
  return spawnSync(TSX, [MAIN, 'import-upstream', ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 180_000
  })
}
