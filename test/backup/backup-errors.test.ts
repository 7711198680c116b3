// A backup or restore that cannot open a file says which file and why (the errno), instead of
// SQLite's "unable to open database file".
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildTestApp } from '../helpers/test-app.js'
import { backupDatabase } from '../../src/backup/backup-database.js'

const TSX = join(__dirname, '../../node_modules/.bin/tsx')
const MAIN = join(__dirname, '../../src/main.ts')

t.test('backup into a path whose folder is a file names the path and ENOTDIR', async (t) => {
  const ctx = await buildTestApp(t)
  const dir = mkdtempSync(join(tmpdir(), 'patchmon-backup-err-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'plain-file'), 'not a folder')
  const target = join(dir, 'plain-file', 'backup.db')
  await t.rejects(
    backupDatabase(ctx.dataDir, target, () => {}),
    { name: 'BackupFileError', message: new RegExp(`^cannot write ${target}\\.partial: not a directory \\(ENOTDIR\\)`) }
  )
})

// Root opens everything: the permission case needs another user, as a real `sudo -u` would be.
const asNobody = process.getuid?.() === 0 && spawnSync('id', ['-u', 'nobody']).status === 0
t.test(
  'the CLI run by a user who cannot write the folder names the path and EACCES',
  { skip: asNobody ? false : 'needs root to run the CLI as nobody' },
  async (t) => {
    const ctx = await buildTestApp(t)
    const out = mkdtempSync(join(tmpdir(), 'patchmon-backup-eacces-'))
    t.teardown(() => rmSync(out, { recursive: true, force: true }))
    chmodSync(out, 0o755) // root's folder: nobody can look in but not write
    const target = join(out, 'patchmon.db')
    const run = (dataDir: string) =>
      spawnSync('runuser', ['-u', 'nobody', '--', TSX, MAIN, 'backup', target], {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/tmp', PATCHMON_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
        encoding: 'utf8',
        timeout: 60_000,
        cwd: '/'
      })
    // The data folder stays root's, readable (its keys too) but the database is not nobody's to open.
    chmodSync(ctx.dataDir, 0o755)
    for (const key of ['jwt-secret', 'secret-encryption-key']) chmodSync(join(ctx.dataDir, key), 0o644)
    const denied = run(ctx.dataDir)
    t.equal(denied.status, 1)
    // (Only the first line: under tap, its process-info hook adds its own complaint about nobody.)
    // The data-folder check at start-up (config) refuses first, naming the folder, the user and EACCES.
    t.equal(
      denied.stderr.split('\n')[0],
      `patchmon: Invalid PATCHMON_DATA_DIR: cannot write in ${ctx.dataDir}: user nobody (uid 65534) may not write in ${ctx.dataDir} (EACCES); give the folder to that user or choose another`
    )
    t.notMatch(denied.stderr, /unable to open database file/, 'no SQLite riddle')

    // A data folder nobody may use, and a target folder it may not write.
    const nobodyData = mkdtempSync(join(tmpdir(), 'patchmon-nobody-data-'))
    t.teardown(() => rmSync(nobodyData, { recursive: true, force: true }))
    writeFileSync(join(nobodyData, 'patchmon.db'), '')
    spawnSync('chown', ['-R', 'nobody', nobodyData])
    const unwritable = run(nobodyData)
    t.equal(unwritable.status, 1)
    t.equal(
      unwritable.stderr.split('\n')[0],
      `patchmon: cannot write ${target}.partial: permission denied (EACCES); choose a folder this user can write (for the package: /var/lib/patchmon/backups)`
    )
    t.notOk(existsSync(`${target}.partial`))
  }
)
