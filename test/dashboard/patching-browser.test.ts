// Patching in a real browser (Debian's chromium) against the real app on 127.0.0.1, with a
// stand-in upstream agent on a real WebSocket: Patch… on the host page opens a run page that
// shows the agent's output live (following the end until the reader scrolls up) and its final
// status; Stop reaches the agent and ends in `cancelled`; a dry run is approved from the
// Approvals list and the approved run goes to the agent; a read-only user sees runs, not actions.
import t from 'tap'
import { bearer, userWithRole } from '../helpers/test-app.js'
import { ensureDashboardBuilt } from '../helpers/dashboard-build.js'
import { chromiumMissing, startBrowserSession } from '../helpers/browser-session.js'
import { agentReport, createHostViaApi, debianPackages, postReport } from '../helpers/agent-fixtures.js'
import { connectStandInAgent } from './patching-stand-in-agent.js'

ensureDashboardBuilt()

const RUN_URL = /\/patching\/runs\/([0-9a-f-]{36})$/

t.test('patching in a real browser', { skip: chromiumMissing, timeout: 180_000 }, async (t) => {
  const s = await startBrowserSession(t)
  const { page, base, ctx } = s
  await s.context.addCookies([{ name: 'token', value: ctx.adminToken, url: base, httpOnly: true, sameSite: 'Strict' }])
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web01')
  const packages = debianPackages(40, { updates: 6, securityEvery: 2 })
  const report = await postReport(ctx, host, agentReport(packages, { agentVersion: '2.1.3' }))
  t.equal(report.statusCode, 200, report.body)
  const outdated = packages.filter((p) => p.needsUpdate).map((p) => p.name)
  const agent = await connectStandInAgent(base, host)
  t.teardown(() => agent.close())
  const runIdFromUrl = async () => {
    await page.waitForURL(RUN_URL)
    return RUN_URL.exec(page.url())?.[1] ?? ''
  }
  const statusBadge = (label: string) => page.locator('.subtitle .badge').filter({ hasText: new RegExp(`^${label}$`) })
  const output = page.getByLabel('Run output')
  /** The real run created by approving the dry run (it holds the host's one run slot until it settles). */
  let approvedId = ''

  await t.test('Patch selected… from the host page: the run page streams the output live and ends completed', async (t) => {
    await page.goto(`${base}/hosts/${host.id}`)
    await page.getByRole('heading', { level: 1, name: 'web01' }).waitFor()
    await page.getByRole('tab', { name: 'Packages' }).click()
    const picked = [outdated[1] ?? '', outdated[2] ?? '']
    for (const name of picked) await page.getByLabel(`Pick ${name}`).check()
    await page.getByRole('button', { name: 'Patch selected (2)…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Patch web01' })
    t.ok(await dialog.getByLabel(/^Selected packages \(2\)/).isChecked(), 'the picked packages are preselected')
    await s.shot('patch-dialog')
    await dialog.getByRole('button', { name: 'Start patching' }).click()
    const runId = await runIdFromUrl()
    const frame = await agent.nextFrame('run_patch', runId)
    t.equal(frame.patch_type, 'patch_package', 'the agent is asked to patch packages')
    t.same(frame.package_names, picked, 'exactly the picked packages')
    t.equal(frame.dry_run, false, 'not a dry run')

    await page.getByRole('heading', { level: 1, name: 'Patch run on web01' }).waitFor()
    // As our shell agent does: the pre-patch hook's result with `started`, reboot_required at the end.
    t.equal(await agent.report(runId, { stage: 'started', pre_patch_hook: { exit_code: 0, output: 'snapshot taken' } }), 200)
    await statusBadge('running').waitFor()
    t.pass('the page shows running as soon as the agent says started')
    const lines = Array.from({ length: 80 }, (_, i) => `Unpacking ${picked[i % 2]} (line ${i + 1}) ...\n`)
    for (let i = 0; i < lines.length; i += 20)
      t.equal(await agent.report(runId, { stage: 'progress', output: lines.slice(i, i + 20).join('') }), 200)
    await output.getByText('(line 80)').waitFor()
    const position = () =>
      output.evaluate((el) => ({ top: el.scrollTop, bottomGap: el.scrollHeight - el.scrollTop - el.clientHeight, height: el.scrollHeight }))
    const followed = await position()
    t.ok(followed.height > 600, 'the output is taller than its box')
    t.ok(followed.bottomGap <= 24, 'the view follows the end of the output')

    await output.evaluate((el) => el.scrollTo({ top: 0 }))
    await page.getByRole('button', { name: 'Follow output' }).waitFor()
    t.equal(await agent.report(runId, { stage: 'progress', output: 'Setting up after scrolling up ...\n' }), 200)
    await output.getByText('Setting up after scrolling up').waitFor()
    t.equal((await position()).top, 0, 'scrolled up, the reader stays where they are while output arrives')
    await s.shot('patch-run-live')
    await page.getByRole('button', { name: 'Follow output' }).click()
    await page.waitForFunction(() => {
      const el = document.querySelector('pre.terminal')
      return el !== null && el.scrollHeight - el.scrollTop - el.clientHeight <= 24
    })
    t.pass('Follow output jumps back to the end')

    const full = lines.join('') + 'Setting up after scrolling up ...\n--- Patch run completed at 2026-12-07T12:00:00Z ---\n'
    t.equal(await agent.report(runId, { stage: 'completed', output: full, reboot_required: true }), 200)
    await statusBadge('completed').waitFor()
    const facts = page.locator('dl.facts')
    await facts.getByText('yes, the host needs a reboot').waitFor()
    t.match(await facts.innerText(), /Pre-patch hook\s+exit 0\s+snapshot taken/, 'the hook result is shown')
    t.equal(await page.getByRole('button', { name: 'Stop' }).count(), 0, 'no Stop button once the run is done')
    await output.getByText('--- Patch run completed at').waitFor()
    t.notOk(await page.getByRole('button', { name: 'Follow output' }).isVisible(), 'nothing to follow after the end')
    await s.shot('patch-run-completed')
  })

  await t.test('Stop on a running run reaches the agent and the page ends cancelled', async (t) => {
    const trigger = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/patching/trigger',
      headers: bearer(ctx.adminToken),
      payload: { host_id: host.id, patch_type: 'patch_all' }
    })
    t.equal(trigger.statusCode, 200, trigger.body)
    const runId = (trigger.json() as { patch_run_id: string }).patch_run_id
    await agent.nextFrame('run_patch', runId)
    t.equal(await agent.report(runId, { stage: 'started' }), 200)
    await page.goto(`${base}/patching/runs/${runId}`)
    await statusBadge('running').waitFor()
    t.equal(await agent.report(runId, { stage: 'progress', output: '$ apt-get upgrade -y\nReading package lists...\n' }), 200)
    await output.getByText('Reading package lists...').waitFor()
    await page.getByRole('button', { name: 'Stop' }).click()
    const stop = await agent.nextFrame('patch_run_stop', runId)
    t.equal(stop.patch_run_id, runId, 'the agent got patch_run_stop for this run')
    await page.getByRole('status').filter({ hasText: 'Stop sent' }).waitFor()
    t.equal(
      await agent.report(runId, {
        stage: 'cancelled',
        output: '$ apt-get upgrade -y\nReading package lists...\n--- Patch run stopped by user ---\n',
        error_message: 'stopped by user'
      }),
      200
    )
    await statusBadge('cancelled').waitFor()
    t.equal(await page.getByRole('button', { name: 'Stop' }).count(), 0, 'no Stop button on a cancelled run')
    await s.shot('patch-run-cancelled')
  })

  await t.test('a dry run from a package row is approved from the Approvals list; the approved run goes to the agent', async (t) => {
    const name = outdated[3] ?? ''
    await page.goto(`${base}/hosts/${host.id}`)
    await page.getByRole('tab', { name: 'Packages' }).click()
    await page.getByRole('button', { name: `Patch ${name}…` }).click()
    const dialog = page.getByRole('dialog', { name: 'Patch web01' })
    await dialog.getByLabel(/^Dry run/).check()
    await dialog.getByRole('button', { name: 'Start dry run' }).click()
    const dryId = await runIdFromUrl()
    const frame = await agent.nextFrame('run_patch', dryId)
    t.equal(frame.dry_run, true, 'the agent is asked for a dry run')
    t.same(frame.package_names ?? [frame.package_name], [name], 'of the row it was started from')
    t.equal(await agent.report(dryId, { stage: 'started' }), 200)
    const simulated = `Inst ${name} [1.0] (1.0.1 Debian:12/stable [amd64])\n--- Dry run completed at 2026-12-07T12:00:00Z ---\n`
    t.equal(await agent.report(dryId, { stage: 'dry_run_completed', output: simulated }), 200)
    await statusBadge('dry run done, awaiting approval').waitFor()
    await page.getByRole('button', { name: 'Approve' }).waitFor()
    t.pass('the validated dry run offers Approve on its page')

    await page.getByRole('link', { name: 'Patching' }).click()
    await page.getByRole('heading', { level: 1, name: 'Patching' }).waitFor()
    await page.getByRole('tab', { name: 'Approvals (1)', exact: true }).click()
    const row = page.getByRole('table', { name: 'Runs awaiting approval' }).getByRole('row').filter({ hasText: name })
    await row.waitFor()
    t.match(await row.innerText(), /dry run/, 'the list says it is a dry run')
    await s.shot('patching-approvals')
    await row.getByRole('button', { name: 'Approve' }).click()
    approvedId = await runIdFromUrl()
    t.not(approvedId, dryId, 'approval opens the new, real run')
    const real = await agent.nextFrame('run_patch', approvedId)
    t.equal(real.dry_run, false, 'the approved run is real')
    t.same(real.package_names ?? [real.package_name], [name], 'with the validated package')
    await page.getByRole('link', { name: 'the run it was approved from' }).click()
    await statusBadge('approved').waitFor()
    t.pass('the dry run now reads approved')
    const actions = page.getByRole('table', { name: 'Actions on this run' })
    await actions.getByText('Approved a run').waitFor()
    t.match(await actions.innerText(), /Started a run[\s\S]*admin[\s\S]*Approved a run/, 'who started and who approved it, in order')
  })

  await t.test('a run delayed by a policy says when it is due and is listed as scheduled', async (t) => {
    const other = await createHostViaApi(ctx.app, ctx.adminToken, 'app03')
    t.equal((await postReport(ctx, other, agentReport(packages, { agentVersion: '2.1.3' }))).statusCode, 200)
    const admin = bearer(ctx.adminToken)
    const policy = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/patching/policies',
      headers: admin,
      payload: { name: 'Office hours', patch_delay_type: 'delayed', delay_minutes: 90 }
    })
    t.equal(policy.statusCode, 201, policy.body)
    const policyId = (policy.json() as { id: string }).id
    const assigned = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/patching/policies/${policyId}/assignments`,
      headers: admin,
      payload: { target_type: 'host', target_id: other.id }
    })
    t.equal(assigned.statusCode, 201, assigned.body)
    await page.goto(`${base}/hosts/${other.id}`)
    await page.getByRole('button', { name: 'Patch…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Patch app03' })
    await dialog.getByRole('status').filter({ hasText: 'Policy Office hours delays this run until' }).waitFor()
    t.ok(await dialog.getByLabel(/^Run now instead of at/).isVisible(), 'offers to run now instead')
    await dialog.getByRole('button', { name: 'Start patching' }).click()
    const runId = await runIdFromUrl()
    await statusBadge('queued').waitFor()
    t.match(await page.locator('dl.facts').innerText(), /Due\s+\S/, 'the run page says when it is due')
    await page.getByText("The host's agent is not connected: the run starts when it connects.").waitFor()
    t.pass('and that it waits for the agent')
    await page.goto(`${base}/patching?tab=scheduled`)
    const row = page.getByRole('table', { name: 'Scheduled runs' }).getByRole('row').filter({ hasText: 'app03' })
    await row.waitFor()
    t.equal(await row.getByRole('link', { name: 'app03' }).getAttribute('href'), `/patching/runs/${runId}`, 'listed with a link to the run')
    await page.getByRole('tab', { name: 'Active' }).click()
    const active = page.getByRole('table', { name: 'Active runs' })
    await active.getByRole('row').filter({ hasText: 'web01' }).first().waitFor()
    t.equal(await active.getByRole('row').filter({ hasText: 'app03' }).count(), 0, 'not among the active runs')
  })

  await t.test('History filters by status and host', async (t) => {
    await page.goto(`${base}/patching?tab=history`)
    const table = page.getByRole('table', { name: 'Patch run history' })
    await table.waitFor()
    t.equal(await table.getByRole('row').count(), 1 + 5, 'five runs so far (header + rows)')
    await page.getByLabel('Status').selectOption('cancelled')
    await page.waitForURL(/status=cancelled/)
    await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 1)
    t.match(await table.innerText(), /cancelled/, 'only the cancelled run')
    await page.getByLabel('Status').selectOption('')
    const other = await createHostViaApi(ctx.app, ctx.adminToken, 'db02')
    await page.reload()
    await page.getByLabel('Host').selectOption({ label: 'db02' })
    await page.getByText('No run matches these filters').waitFor()
    t.ok(other.id, 'a host without runs shows none')
    await s.shot('patching-history')
  })

  await t.test("Security updates only sends the host's pending security updates as the run's package list", async (t) => {
    // One run at a time per host: the approved run settles first.
    t.equal(await agent.report(approvedId, { stage: 'started' }), 200)
    t.equal(await agent.report(approvedId, { stage: 'completed', output: 'done\n' }), 200)
    await page.goto(`${base}/hosts/${host.id}`)
    await page.getByRole('button', { name: 'Patch…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Patch web01' })
    await dialog.getByLabel(/^Security updates only \(3\)/).check()
    await dialog.getByLabel(/^Dry run/).check()
    await dialog.getByRole('button', { name: 'Start dry run' }).click()
    const runId = await runIdFromUrl()
    const frame = await agent.nextFrame('run_patch', runId)
    const security = packages.filter((p) => p.isSecurityUpdate).map((p) => p.name)
    t.equal(security.length, 3, 'the fixture has three security updates')
    t.same([...(frame.package_names ?? [])].sort(), [...security].sort(), 'exactly the security updates')
    t.equal(frame.dry_run, true, 'as a dry run')
  })

  await t.test('at phone width the Patching screen and a run page never scroll sideways', async (t) => {
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    await page.setViewportSize({ width: 390, height: 844 })
    for (const tab of ['active', 'approvals', 'history', 'schedules', 'holds']) {
      await page.goto(`${base}/patching?tab=${tab}`)
      await page.getByRole('tab', { selected: true }).waitFor()
      // A tab may load several lists at once (schedules and windows): wait until none is loading.
      await page.waitForFunction(() => document.querySelectorAll('.loading').length === 0)
      t.equal(await overflow(), 0, `${tab} tab`)
    }
    const runs = await ctx.app.inject({ method: 'GET', url: '/api/v1/patching/runs?status=completed', headers: bearer(ctx.adminToken) })
    const completed = (runs.json() as { runs: Array<{ id: string }> }).runs[0]?.id ?? ''
    await page.goto(`${base}/patching/runs/${completed}`)
    await statusBadge('completed').waitFor()
    t.equal(await overflow(), 0, 'run page')
    await s.shot('patch-run-phone')
    await page.setViewportSize({ width: 1280, height: 860 })
  })

  await t.test('the audit trail lists the stop; a run not started yet is deleted from its page', async (t) => {
    await page.goto(`${base}/patching?tab=audit`)
    const trail = page.getByRole('table', { name: 'Patching audit trail' })
    const stopRow = trail.getByRole('row').filter({ hasText: 'Stopped a run' })
    await stopRow.waitFor()
    // Host names show once the host list has loaded ("…" until then).
    await page.waitForFunction(() => !Array.from(document.querySelectorAll('td')).some((cell) => cell.textContent?.includes('…')))
    t.match(await stopRow.innerText(), /admin[\s\S]*web01/, 'who stopped which host')
    const submitted = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/patching/trigger',
      headers: bearer(ctx.adminToken),
      payload: { host_id: host.id, patch_type: 'patch_package', package_names: [outdated[0] ?? ''], pending_approval: true }
    })
    const runId = (submitted.json() as { patch_run_id: string }).patch_run_id
    await page.goto(`${base}/patching/runs/${runId}`)
    await statusBadge('awaiting approval').waitFor()
    await page.getByText('Nothing runs until someone approves this run.').waitFor()
    await page.getByRole('button', { name: 'Delete' }).click()
    await page.getByRole('dialog', { name: 'Delete run?' }).getByRole('button', { name: 'Delete' }).click()
    await page.waitForURL(`${base}/patching`)
    const gone = await ctx.app.inject({ method: 'GET', url: `/api/v1/patching/runs/${runId}`, headers: bearer(ctx.adminToken) })
    t.equal(gone.statusCode, 404, 'the run is gone')
  })

  await t.test('a read-only user sees patch runs but no Patch…, Stop or Approve', async (t) => {
    const submitted = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/patching/trigger',
      headers: bearer(ctx.adminToken),
      payload: { host_id: host.id, patch_type: 'patch_all', pending_approval: true }
    })
    t.equal(submitted.statusCode, 200, submitted.body)
    const token = await userWithRole(ctx, 'readonly', 'viewer')
    await s.context.clearCookies()
    await s.context.addCookies([{ name: 'token', value: token, url: base, httpOnly: true, sameSite: 'Strict' }])
    await page.goto(`${base}/hosts/${host.id}`)
    await page.getByRole('heading', { level: 1, name: 'web01' }).waitFor()
    t.equal(await page.getByRole('button', { name: 'Patch…' }).count(), 0, 'no Patch… button')
    await page.getByRole('tab', { name: 'Packages' }).click()
    await page.getByRole('table').waitFor()
    t.equal(await page.getByRole('checkbox').count(), 0, 'no boxes to pick packages')
    await page.getByRole('link', { name: 'Patching' }).click()
    await page.getByRole('tab', { name: 'Approvals' }).click()
    const row = page.getByRole('table', { name: 'Runs awaiting approval' }).getByRole('row').filter({ hasText: 'All packages' })
    await row.waitFor()
    t.equal(await row.getByRole('button', { name: 'Approve' }).count(), 0, 'the waiting run is listed without Approve')
    await row.getByRole('link', { name: 'web01' }).click()
    await statusBadge('awaiting approval').waitFor()
    t.equal(await page.getByRole('button', { name: /^(Approve|Stop|Delete)$/ }).count(), 0, 'its page offers no actions either')
    t.same(s.consoleErrors, [], 'no script errors along the way')
  })
})
