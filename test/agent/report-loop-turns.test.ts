// A report's write holds the one JavaScript thread for tens of milliseconds. Reports whose bodies
// had already arrived used to be written back to back in a single event-loop iteration (each
// finished report admitting the next), so pings and new connections (libuv accepts one per
// iteration) waited for all of them: under the 5,000-host soak iterations lasted seconds, the
// listen backlog overflowed and agents saw connect timeouts. Reports are now written one per
// loop turn (src/hosts/report-ingest.ts); this pins that down without timing anything.
import t from 'tap'
import { buildTestApp } from '../helpers/test-app.js'
import { createHostViaApi, debianPackages, type TestHost } from '../helpers/agent-fixtures.js'

/** Counts event-loop turns (one setImmediate per turn) until stopped. */
function loopTurns() {
  let running = true
  const counter = { turn: 0, stop: () => void (running = false) }
  const tick = () => {
    counter.turn++
    if (running) setImmediate(tick)
  }
  setImmediate(tick)
  return counter
}

t.test('reports handed to ingest at the same moment are written in different event-loop turns', async (t) => {
  const ctx = await buildTestApp(t)
  const hosts: TestHost[] = []
  for (let i = 0; i < 4; i++) hosts.push(await createHostViaApi(ctx.app, ctx.adminToken, `turns-${i}`))
  const packages = debianPackages(50, { updates: 2 })
  const turns = loopTurns()
  const writtenIn: number[] = []
  await Promise.all(
    hosts.map((host) =>
      ctx.app.reportIngest
        .ingest({ hostId: host.id, packages, facts: {}, payloadBytes: 1000, executionTimeSeconds: null })
        .then((outcome) => writtenIn.push(outcome ? turns.turn : -1))
    )
  )
  turns.stop()
  t.equal(new Set(writtenIn).size, hosts.length, `each report in its own turn (turns ${writtenIn.join(', ')})`)
  t.notOk(writtenIn.includes(-1), 'every report was written')
})

t.test('a report that fails does not hold up the ones queued behind it', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'after-failure')
  const packages = debianPackages(10, { updates: 1 })
  const broken = ctx.app.reportIngest.ingest({
    hostId: host.id,
    // A package without a name violates NOT NULL: the transaction throws.
    packages: [{ ...packages[0]!, name: null as unknown as string }],
    facts: {},
    payloadBytes: 10,
    executionTimeSeconds: null
  })
  const next = ctx.app.reportIngest.ingest({ hostId: host.id, packages, facts: {}, payloadBytes: 10, executionTimeSeconds: null })
  await t.rejects(broken)
  t.equal((await next)?.packagesProcessed, 10)
})
