// Child process of the interrupted-restore test: `patchmon restore` as src/main.ts runs it, which
// SIGKILLs itself right after printing its Nth progress line (N from KILL_AFTER_LINE; 0 = never).
import { restoreDatabase } from '../../src/backup/restore-database.js'

const killAfter = Number(process.env.KILL_AFTER_LINE ?? 0)
let lines = 0

restoreDatabase(process.argv[2] as string, process.argv[3] as string, (line) => {
  process.stdout.write(line + '\n')
  if (++lines === killAfter) process.kill(process.pid, 'SIGKILL')
}).catch((err: unknown) => {
  console.error((err as Error).message)
  process.exit(1)
})
