// The idle memory release: when it fires (policy, with a fake clock and heap gauge) and what it
// does to a real server's heap after a burst of agent reports.
import t from 'tap'
import { getHeapSpaceStatistics } from 'node:v8'
import { GROWTH_BYTES, IDLE_AFTER_MS, IDLE_MEMORY_TIMER, IdleMemoryRelease } from '../../src/jobs/idle-memory-release.js'
import { buildTestApp } from '../helpers/test-app.js'
import { agentReport, debianPackages } from '../helpers/agent-fixtures.js'
import { createHost } from '../../src/hosts/host-service.js'

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
