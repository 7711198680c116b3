// The idle memory release: when it fires (policy, with a fake clock and heap gauge) and what it
// does to a real server's heap after a burst of agent reports.
import t from 'tap'
import { getHeapSpaceStatistics } from 'node:v8'
import { GROWTH_BYTES, IDLE_AFTER_MS, IDLE_MEMORY_TIMER, IdleMemoryRelease } from '../../src/jobs/idle-memory-release.js'
import { buildTestApp } from '../helpers/test-app.js'
import { agentReport, debianPackages } from '../helpers/agent-fixtures.js'
import { createHost } from '../../src/hosts/host-service.js'
import { executablePageRanges } from '../../src/native/malloc-trim.js'

t.test('releases only after a quiet period, and only when the heap grew since the last release', async (t) => {
  let now = 1_000_000
  let heap = 50 * 1048576
  let releases = 0
  const idle = new IdleMemoryRelease(
    () => {
      releases++
      heap = 30 * 1048576
      return true
    },
    () => now,
    () => heap
  )
  t.equal(idle.maybeRelease(), undefined, 'not right after start')
  now += IDLE_AFTER_MS
  t.match(idle.maybeRelease(), { heapBeforeBytes: 50 * 1048576, heapAfterBytes: 30 * 1048576 }, 'start-up growth is released once idle')
  now += IDLE_AFTER_MS
  t.equal(idle.maybeRelease(), undefined, 'nothing grew since: no second collection')
  heap += GROWTH_BYTES
  idle.noteActivity()
  now += IDLE_AFTER_MS - 1
  t.equal(idle.maybeRelease(), undefined, 'a request less than the idle period ago postpones it')
  now += 1
  t.ok(idle.maybeRelease(), 'released after the burst once idle')
  t.equal(releases, 2)
})

const newSpaceBytes = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.physical_space_size

t.test('after a burst of agent reports, the release shrinks the young generation and the server keeps working', async (t) => {
  const ctx = await buildTestApp(t)
  const body = agentReport(debianPackages(2000))
  for (let i = 0; i < 20; i++) {
    const { host, apiKey } = await createHost(ctx.store.db, { friendlyName: `burst-${i}`, hostGroupIds: [] })
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/hosts/update',
      headers: { 'x-api-id': host.api_id, 'x-api-key': apiKey },
      payload: body
    })
    t.equal(res.statusCode, 200, `report ${i} accepted`)
  }
  const before = newSpaceBytes()
  const released = ctx.app.idleMemory.releaseNow()
  const after = newSpaceBytes()
  t.ok(after < before, `young generation ${(before / 1048576).toFixed(1)} MB -> ${(after / 1048576).toFixed(1)} MB`)
  t.ok(released.heapAfterBytes < released.heapBeforeBytes, 'the heap is smaller after the release')
  t.ok(ctx.app.timers.names().includes(IDLE_MEMORY_TIMER), 'the check runs from the timer table')
  await ctx.app.timers.runNow(IDLE_MEMORY_TIMER) // within the idle period of the last request: a no-op
  const hosts = await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts', headers: { authorization: `Bearer ${ctx.adminToken}` } })
  t.equal(hosts.statusCode, 200)
  t.equal(hosts.json<{ total: number }>().total, 20, 'every reported host is still there')
})

t.test('only private read-only mappings of the executable that hold nothing but file content are dropped', async (t) => {
  const exe = '/opt/patchmon/patchmon'
  const mapping = (range: string, perms: string, path: string, rssKb: number, anonymousKb: number) =>
    `${range} ${perms} 00000000 fe:00 123    ${path}\nSize: 4 kB\nRss: ${rssKb} kB\nPss: ${rssKb} kB\nAnonymous: ${anonymousKb} kB\nVmFlags: rd mr mw me\n`
  const smaps = [
    mapping('00400000-0082e000', 'r--p', exe, 3128, 0), // headers: dropped
    mapping('0082e000-03489000', 'r-xp', exe, 26540, 0), // code: dropped
    mapping('072dc000-0735a000', 'rw-p', exe, 440, 440), // writable data: kept
    mapping('072a7000-072dc000', 'r--p', exe, 56, 56), // relocated (copied on write): kept
    mapping('0ef5b000-0f8a5000', 'r--p', exe, 0, 0), // nothing resident: skipped
    mapping('7f0000000000-7f0000001000', 'r--s', exe, 4, 0), // shared: kept
    mapping('7f0000100000-7f0000200000', 'r-xp', '/usr/lib/x86_64-linux-gnu/libc.so.6', 1500, 0), // another file: kept
    mapping('7f0000300000-7f0000400000', 'rw-p', '', 30000, 30000) // the heap: kept
  ].join('')
  t.same(executablePageRanges(smaps, exe), [
    { start: 0x400000, length: 0x82e000 - 0x400000, residentBytes: 3128 * 1024 },
    { start: 0x82e000, length: 0x3489000 - 0x82e000, residentBytes: 26540 * 1024 }
  ])
})
