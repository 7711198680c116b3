// The data-folder lock survives the deletion of its file (issue 15, item 24): with a server
// running and patchmon.lock removed by hand, a second server, `migrate` and `restore` on the same
// folder are refused with a message that says why, and `patchmon backup` still works beside it.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { rmSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import { tempDataDir } from '../helpers/test-app.js'
import { freePort, startServerProcess, REPO_ROOT } from '../reliability/server-process.js'
import { LOCK_FILE } from '../../src/backup/data-dir-lock.js'

function cli(args: string[], dataDir: string, env: Record<string, string> = {}) {
  return spawnSync(join(REPO_ROOT, 'node_modules/.bin/tsx'), [join(REPO_ROOT, 'src/main.ts'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, PATCHMON_DATA_DIR: dataDir, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 90_000
  })
}

t.test('with the lock file deleted, a second server on the same database is refused', async (t) => {
  const dir = tempDataDir('patchmon-second-server-')
  const first = await startServerProcess(dir)
  t.teardown(async () => {
    await first.kill()
    rmSync(dir, { recursive: true, force: true })
  })
  unlinkSync(join(dir, LOCK_FILE))

  const second = cli(['serve'], dir, { PORT: String(await freePort()) })
  t.equal(second.status, 1, 'the second server does not start')
  t.match(
    second.stderr,
    `patchmon: ${join(dir, 'patchmon.db')} is open in another process (a PatchMon server still running although ${join(dir, LOCK_FILE)} was removed`
  )
  t.notMatch(second.stdout, /listening/)

  const migrate = cli(['migrate'], dir)
  t.equal(migrate.status, 1)
  t.match(migrate.stderr, /is open in another process[^]*"patchmon migrate" does not run beside it/)

  const backupFile = join(dir, 'taken-while-running.db')
  const backup = cli(['backup', backupFile], dir)
  t.equal(backup.status, 0, `backup still works beside the running server: ${backup.stderr}`)

  const restore = cli(['restore', backupFile], dir)
  t.equal(restore.status, 1)
  t.match(restore.stderr, /is open in another process[^]*"patchmon restore" does not run beside it/)

  const health = await fetch(`${first.baseUrl}/health`)
  t.equal(health.status, 200, 'the first server kept serving')
})
