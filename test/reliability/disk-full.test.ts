// The data folder's disk fills up while the server runs (issue 15, item 18): writes answer 507
// with a sentence that says so (never a 500), /health reports the database unwritable, and once
// space is freed writes and /health recover without a restart. The data folder is a 16 MiB tmpfs
// mounted for this test (the test runs as root) and filled with a file.
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildTestApp } from '../helpers/test-app.js'
import { agentReport, createHostViaApi, debianPackages, postReport } from '../helpers/agent-fixtures.js'

const MAX_REPORTS = 60

function fillDisk(file: string): void {
  const fd = openSync(file, 'w')
  const chunk = Buffer.alloc(64 * 1024, 1)
  try {
    // Bounded: a 16 MiB file system holds at most 256 such chunks.
    for (let i = 0; i < 1024; i++) writeSync(fd, chunk)
    throw new Error('the file system never filled up')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
  } finally {
    closeSync(fd)
  }
}

t.test(
  'a full disk answers 507 and /health says so; freeing space recovers without a restart',
  { skip: process.getuid?.() === 0 ? false : 'needs root to mount a tmpfs' },
  async (t) => {
    const mountPoint = mkdtempSync(join(tmpdir(), 'patchmon-full-disk-'))
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m,mode=0700', 'tmpfs', mountPoint])
    t.teardown(() => {
      execFileSync('umount', ['-l', mountPoint])
      rmSync(mountPoint, { recursive: true, force: true })
    })
    const dataDir = join(mountPoint, 'data')
    mkdirSync(dataDir)
    const ctx = await buildTestApp(t, { dataDir })
    const host = await createHostViaApi(ctx.app, ctx.adminToken, 'disk-full-host')
    t.equal((await ctx.app.inject({ method: 'GET', url: '/health' })).statusCode, 200, 'healthy before')

    const filler = join(mountPoint, 'filler')
    fillDisk(filler)
    const statuses: number[] = []
    let refused: { statusCode: number; body: string } | undefined
    for (let i = 0; i < MAX_REPORTS && !refused; i++) {
      const res = await postReport(ctx, host, agentReport(debianPackages(1500, { versionSalt: `~${i}` })))
      statuses.push(res.statusCode)
      if (res.statusCode !== 200) refused = res
    }
    t.ok(refused, `a report was refused once the disk was full (statuses ${statuses.join(',')})`)
    t.equal(refused?.statusCode, 507, 'Insufficient Storage, not 500')
    t.same(JSON.parse(refused?.body ?? '{}'), {
      error: 'Insufficient storage',
      message: 'The server cannot save this change: the disk holding its database is full. Try again once the operator has freed space.'
    })
    t.ok(
      ctx.logs.some((l) => l.includes('disk full: a write was refused')),
      'the log names the cause'
    )

    const health = await ctx.app.inject({ method: 'GET', url: '/health' })
    t.equal(health.statusCode, 503, '/health is not ok while writes fail')
    t.match(health.json(), { status: 'error', database: 'unwritable', message: /disk holding the database is full/ })

    rmSync(filler)
    const after = await postReport(ctx, host, agentReport(debianPackages(1500, { versionSalt: '~after' })))
    t.equal(after.statusCode, 200, 'writes work again once space is freed, without a restart')
    const healthAfter = await ctx.app.inject({ method: 'GET', url: '/health' })
    t.equal(healthAfter.statusCode, 200)
    t.match(healthAfter.json(), { status: 'ok', database: 'ok' })
    await ctx.app.close()
    await ctx.store.close()
  }
)
