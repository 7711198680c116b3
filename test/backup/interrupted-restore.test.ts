// `patchmon restore` killed between any two of its steps must leave a data folder that serves the
// old database or the new one, or that refuses to start with what to do, and never one that
// starts a new, empty installation (issue 15, item 17).
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { buildTestApp, tempDataDir } from '../helpers/test-app.js'
import { backupDatabase } from '../../src/backup/backup-database.js'
import { databaseFile } from '../../src/store/open-database.js'
import { checkDatabaseIntegrity, refuseLostDatabase } from '../../src/store/start-checks.js'

const ROOT = join(__dirname, '../..')
const CHILD = join(__dirname, '../fixtures/crash-children/restore-child.ts')
const MAX_LINES = 40

function restoreInChild(dataDir: string, file: string, killAfter: number) {
  return spawnSync(join(ROOT, 'node_modules/.bin/node'), ['--import', 'tsx', CHILD, dataDir, file], {
    cwd: ROOT,
    env: { ...process.env, KILL_AFTER_LINE: String(killAfter) },
    encoding: 'utf8',
    timeout: 60_000
  })
}

function usernames(file: string): string[] {
  const db = new Database(file, { readonly: true })
  try {
    return (db.prepare('SELECT username FROM users ORDER BY username').all() as { username: string }[]).map((r) => r.username)
  } finally {
    db.close()
  }
}

t.test('a restore killed after any step leaves the old or the new installation, or a refusal that says how to finish', async (t) => {
  const source = await buildTestApp(t)
  const created = await source.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: { authorization: `Bearer ${source.adminToken}` },
    payload: { username: 'from-backup', email: 'from-backup@example.test', password: 'Passw0rd-long-enough', role: 'user' }
  })
  t.equal(created.statusCode, 201)
  const out = tempDataDir('patchmon-backup-out-')
  const backup = join(out, 'backup.db')
  await backupDatabase(source.dataDir, backup, () => {})

  const installed = await buildTestApp(t, { keepDataDir: true })
  await installed.app.close()
  await installed.store.close()
  const oldUsers = usernames(databaseFile(installed.dataDir))
  const oldKey = readFileSync(join(installed.dataDir, 'secret-encryption-key'), 'utf8')
  const newUsers = usernames(databaseFile(source.dataDir))
  t.not(oldUsers.join(), newUsers.join(), 'the two installations differ')
  t.teardown(() => rmSync(out, { recursive: true, force: true }))

  let kills = 0
  let completed = false
  for (let line = 1; line <= MAX_LINES && !completed; line++) {
    const dir = tempDataDir('patchmon-interrupted-restore-')
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    cpSync(installed.dataDir, dir, { recursive: true })
    const run = restoreInChild(dir, backup, line)
    if (run.status === 0) {
      completed = true
      break
    }
    t.equal(run.signal, 'SIGKILL', `killed after line ${line}, not failed: ${run.stderr.slice(0, 300)}`)
    kills++
    const file = databaseFile(dir)
    const step = `after "${run.stdout.trim().split('\n').at(-1) ?? ''}"`
    t.ok(existsSync(file), `${step}: a database is in place`)
    let refusal: string | undefined
    try {
      refuseLostDatabase(dir)
      checkDatabaseIntegrity(file)
    } catch (err) {
      refusal = (err as Error).message
    }
    if (refusal !== undefined) {
      t.match(refusal, /restore .*interrupted[^]*patchmon restore FILE/, `${step}: the next start refuses and says how to finish`)
    } else {
      const users = usernames(file).join()
      t.ok(users === oldUsers.join() || users === newUsers.join(), `${step}: the next start serves the old or the new accounts (${users})`)
      if (users === oldUsers.join()) t.equal(readFileSync(join(dir, 'secret-encryption-key'), 'utf8'), oldKey, `${step}: with the old key`)
    }
    // Running the same restore again always finishes the job.
    const again = restoreInChild(dir, backup, 0)
    t.equal(again.status, 0, `${step}: restoring again completes: ${again.stderr.slice(0, 300)}`)
    t.same(usernames(file), newUsers, `${step}: and serves the backup's accounts`)
  }
  t.ok(completed, 'a run that was not killed completes')
  t.ok(kills >= 5, `killed after each of ${kills} progress lines`)
})
