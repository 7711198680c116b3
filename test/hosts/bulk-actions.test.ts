// Bulk host actions through the real HTTP surface on a real SQLite file: for each action the preview
// names what will happen and the action then does exactly that, per host, with mixed outcomes
// (already in the group, agent offline, legacy agent, never reported, unknown id).
import t from 'tap'
import { beyondApp, hostGroup, standInAgent, until } from '../patching/beyond-helpers.js'
import { expectedResults, fleetHost, preview, resultsOf, run } from './bulk-helpers.js'
import { ERROR_MESSAGES } from '../../src/http/error-messages.js'

const E = ERROR_MESSAGES.hostBulk

t.test('assign and remove groups: the preview says what the action then does, host by host', async (t) => {
  const ctx = await beyondApp(t)
  const web = await hostGroup(ctx, 'web')
  const db = await hostGroup(ctx, 'db')
  const a = await fleetHost(ctx, 'web-1', [web])
  const b = await fleetHost(ctx, 'web-2', [db])
  const c = await fleetHost(ctx, 'web-3')
  const body = { action: 'assign_groups', host_ids: [a.id, b.id, c.id, 'no-such-host', b.id], host_group_ids: [web] }

  const seen = await preview(ctx, body)
  t.equal(seen.status, 200)
  t.equal(seen.body.summary, 'Add 2 hosts to web: web-2, web-3. 2 hosts skipped (reasons listed per host)')
  t.same(
    seen.body.hosts.map((h: { host_id: string; outcome: string; reason: string | null }) => [h.host_id, h.outcome, h.reason]),
    [
      [a.id, 'skip', E.alreadyInGroups.message],
      [b.id, 'apply', null],
      [c.id, 'apply', null],
      ['no-such-host', 'skip', 'Host not found']
    ],
    'duplicates dropped, an unknown id is "Host not found" like the single-host route'
  )
  t.match(seen.body, { total: 4, will_apply: 2, will_skip: 2, host_ids: [a.id, b.id, c.id, 'no-such-host'] })
  const unchanged = await ctx.api('GET', `/api/v1/hosts/${b.id}`)
  t.same(
    unchanged.body.host_groups.map((g: { name: string }) => g.name),
    ['db'],
    'a preview changes nothing'
  )

  const done = await run(ctx, body)
  t.equal(done.status, 200)
  t.same(resultsOf(done.body), expectedResults(seen.body.hosts), 'the action did what the preview said')
  t.match(done.body, { succeeded: 2, skipped: 2, failed: 0, total: 4, credentials: [] })
  const after = await ctx.api('GET', `/api/v1/hosts/${b.id}`)
  t.same(after.body.host_groups.map((g: { name: string }) => g.name).sort(), ['db', 'web'], 'assigning keeps the groups a host had')

  // Remove by filter: every host the list shows in group "web".
  const removal = { action: 'remove_groups', filter: { group: web }, host_group_ids: [web, db] }
  const removePreview = await preview(ctx, removal)
  t.equal(removePreview.body.summary, 'Remove 3 hosts from web and db: web-1, web-2, web-3')
  const removed = await run(ctx, removal)
  t.same(resultsOf(removed.body), expectedResults(removePreview.body.hosts))
  const listed = await ctx.api('GET', `/api/v1/hosts?group=ungrouped`)
  t.equal(listed.body.total, 3, 'all three hosts are ungrouped now')
})

t.test('report now and update agent reach connected agents and skip the others with the reason', async (t) => {
  const ctx = await beyondApp(t)
  const live = await fleetHost(ctx, 'live-1')
  const offline = await fleetHost(ctx, 'offline-1')
  const legacy = await fleetHost(ctx, 'legacy-1', [], '1.2.7')
  const fresh = await fleetHost(ctx, 'fresh-1', [], null)
  const agent = await standInAgent(ctx, live)
  t.teardown(() => agent.close())
  const body = { action: 'report_now', host_ids: [live.id, offline.id, legacy.id, fresh.id] }

  const seen = await preview(ctx, body)
  t.same(
    seen.body.hosts.map((h: { outcome: string; reason: string | null }) => [h.outcome, h.reason]),
    [
      ['apply', null],
      ['skip', E.agentNotConnected.message],
      ['skip', E.legacyAgent.message('1.2.7')],
      ['skip', E.agentNeverReported.message]
    ]
  )
  t.equal(seen.body.summary, 'Ask 1 host to report now: live-1. 3 hosts skipped (reasons listed per host)')
  const done = await run(ctx, body)
  t.same(resultsOf(done.body), expectedResults(seen.body.hosts), 'the batch did not fail because of offline hosts')
  t.match(done.body.results[0], { status: 'succeeded', job_id: String })
  await until(() => agent.frames.some((f) => f.type === 'report_now'), 'report_now frame')
  t.equal(agent.frames.filter((f) => f.type === 'report_now').length, 1, 'the live agent got exactly one report_now')

  const update = await run(ctx, { action: 'update_agent', host_ids: [live.id, offline.id] })
  t.match(update.body, { succeeded: 1, skipped: 1, failed: 0 })
  await until(() => agent.frames.some((f) => f.type === 'update_agent'), 'update_agent frame')
  t.ok(
    agent.frames.some((f) => f.type === 'update_notification' && f.force === true),
    'the 1.3.x form is sent too'
  )
  const jobs = await ctx.api('GET', `/api/v1/hosts/${live.id}/connection`)
  t.equal(jobs.status, 200)
})

t.test('delete names the hosts, removes them with their history, and leaves an audit trail', async (t) => {
  const ctx = await beyondApp(t)
  const doomed = await hostGroup(ctx, 'doomed')
  const hosts = [await fleetHost(ctx, 'old-1', [doomed]), await fleetHost(ctx, 'old-2', [doomed]), await fleetHost(ctx, 'old-3', [doomed])]
  await fleetHost(ctx, 'old-4', [doomed])
  await fleetHost(ctx, 'keeper')
  const body = { action: 'delete', filter: { group: doomed, search: 'old-' } }
  const seen = await preview(ctx, body)
  t.equal(seen.body.summary, 'Delete 4 hosts: old-1, old-2, old-3 and 1 more; their package history is removed')
  const done = await run(ctx, { action: 'delete', host_ids: seen.body.host_ids })
  t.match(done.body, { succeeded: 4, skipped: 0, failed: 0, summary: seen.body.summary })
  for (const h of hosts) t.equal((await ctx.api('GET', `/api/v1/hosts/${h.id}`)).status, 404, `${h.id} is gone`)
  const left = await ctx.api('GET', '/api/v1/hosts')
  t.same(
    left.body.hosts.map((h: { friendly_name: string }) => h.friendly_name),
    ['keeper']
  )
  const history = ctx.store.sqlite.prepare('SELECT count(*) AS n FROM report_history WHERE host_id = ?').get(hosts[0]!.id) as { n: number }
  t.equal(history.n, 0, 'their report history went with them')

  const audit = await ctx.api('GET', `/api/v1/audit?limit=50`)
  const entries = audit.body.entries as Array<{
    action: string
    target_type: string
    target_id: string
    target_label: string
    details: Record<string, unknown>
  }>
  const batch = entries.filter((e) => e.action === 'host.bulk')
  t.equal(batch.length, 1, 'one entry for the batch')
  t.match(batch[0], {
    target_type: 'host_bulk',
    target_id: done.body.id,
    target_label: seen.body.summary,
    details: { bulk_action: 'delete', hosts: 4, succeeded: 4 }
  })
  const perHost = entries.filter((e) => e.action === 'host.delete')
  t.equal(perHost.length, 4, 'one entry per host, under the single-host action name')
  t.same(perHost.map((e) => e.target_label).sort(), ['old-1', 'old-2', 'old-3', 'old-4'])
  t.ok(
    perHost.every((e) => e.details.batch_id === done.body.id),
    'each names its batch'
  )
})

t.test('a selection is bounded and must be well formed: clear 400s', async (t) => {
  const ctx = await beyondApp(t)
  const g = await hostGroup(ctx, 'g')
  const one = await fleetHost(ctx, 'solo', [g])
  const tooMany = Array.from({ length: 501 }, (_, i) => `id-${i}`)
  const many = await run(ctx, { action: 'delete', host_ids: tooMany })
  t.equal(many.status, 400)
  t.same(many.body, {
    error: 'Too many hosts selected',
    message: 'A bulk action takes at most 500 hosts; this selection holds 501. Narrow the filter or split it.',
    max: 500,
    selected: 501
  })
  // A filter matching 501 hosts: rows copied from one real host (bcrypt per host would only slow the test).
  const columns = (ctx.store.sqlite.prepare('PRAGMA table_info(hosts)').all() as Array<{ name: string }>).map((c) => c.name)
  const copy = ctx.store.sqlite.prepare(
    `INSERT INTO hosts (${columns.join(',')}) SELECT ${columns
      .map((c) => (c === 'id' || c === 'api_id' || c === 'friendly_name' ? `@${c}` : c === 'hostname' ? 'NULL' : c))
      .join(',')} FROM hosts WHERE id = @source`
  )
  ctx.store.sqlite.transaction(() => {
    for (let i = 0; i < 500; i++) copy.run({ id: `copy-${i}`, api_id: `patchmon_copy${i}`, friendly_name: `copy-${i}`, source: one.id })
  })()
  const byFilter = await preview(ctx, { action: 'report_now', filter: {} })
  t.equal(byFilter.status, 400)
  t.match(byFilter.body, { error: 'Too many hosts selected', selected: 501 })
  const narrowed = await preview(ctx, { action: 'report_now', filter: { search: 'solo' } })
  t.match(narrowed.body, { total: 1, host_ids: [one.id] })

  const cases: Array<[object, number, string]> = [
    [{ action: 'delete' }, 400, E.selectionRequired.message],
    [{ action: 'delete', host_ids: [one.id], filter: {} }, 400, E.selectionRequired.message],
    [{ action: 'delete', filter: { search: 'nothing-matches' } }, 400, E.noHosts.message],
    [{ action: 'assign_groups', host_ids: [one.id] }, 400, E.groupsRequired.message],
    [{ action: 'report_now', host_ids: [one.id], host_group_ids: [g] }, 400, E.groupsNotAllowed.message],
    [{ action: 'assign_groups', host_ids: [one.id], host_group_ids: ['nope'] }, 400, 'Host group not found']
  ]
  for (const [body, status, error] of cases) {
    const res = await run(ctx, body)
    t.equal(res.status, status, JSON.stringify(body))
    t.equal(res.body.error, error)
  }
  const badAction = await run(ctx, { action: 'explode', host_ids: [one.id] })
  t.equal(badAction.status, 400)
  t.match(JSON.stringify(badAction.body), E.action.message)
  t.equal((await ctx.api('GET', `/api/v1/hosts/${one.id}`)).status, 200, 'no refused request changed anything')
})
