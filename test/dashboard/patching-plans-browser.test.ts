// Patching plans in a real browser (Debian's chromium) against the real app on 127.0.0.1, with a
// stand-in upstream agent on a real WebSocket: a hold added on the Holds tab is named in the Patch
// dialog and kept out of the frame the agent receives; a schedule built with the day/time picker
// is saved as the cron it stands for, paused and deleted; a maintenance window makes the Patch
// dialog say when it opens and the server's refusal is shown; a bulk patch of two picked hosts runs
// one at a time and its page ends with the summary; a policy is assigned and excluded; the stall
// timeout is set under Server Config; a reboot the agent cannot take says why.
import t from 'tap'
import { bearer } from '../helpers/test-app.js'
import { ensureDashboardBuilt } from '../helpers/dashboard-build.js'
import { chromiumMissing, startBrowserSession } from '../helpers/browser-session.js'
import { agentReport, createHostViaApi, debianPackages, postReport } from '../helpers/agent-fixtures.js'
import { connectStandInAgent } from './patching-stand-in-agent.js'

ensureDashboardBuilt()

t.test('patching plans in a real browser', { skip: chromiumMissing, timeout: 180_000 }, async (t) => {
  const s = await startBrowserSession(t)
  const { page, base, ctx } = s
  await s.context.addCookies([{ name: 'token', value: ctx.adminToken, url: base, httpOnly: true, sameSite: 'Strict' }])
  const group = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/host-groups',
    headers: bearer(ctx.adminToken),
    payload: { name: 'Databases' }
  })
  t.equal(group.statusCode, 201, group.body)
  const groupId = (group.json() as { id: string }).id
  const web = await createHostViaApi(ctx.app, ctx.adminToken, 'web01')
  const db = await createHostViaApi(ctx.app, ctx.adminToken, 'db02', [groupId])
  const packages = debianPackages(40, { updates: 6, securityEvery: 2 })
  for (const host of [web, db]) t.equal((await postReport(ctx, host, agentReport(packages, { agentVersion: '2.1.3' }))).statusCode, 200)
  const outdated = packages.filter((p) => p.needsUpdate).map((p) => p.name)
  const heldName = outdated.find((n) => n.startsWith('perl-')) ?? ''
  const agent = await connectStandInAgent(base, web)
  t.teardown(() => agent.close())
  const open = async (path: string, title: string) => {
    await page.goto(base + path)
    await page.getByRole('heading', { level: 1, name: title }).waitFor()
  }

  await t.test('a hold is named in the Patch dialog and its package stays out of the frame', async (t) => {
    t.ok(heldName, 'the fixture has an outdated perl- package')
    await open('/patching?tab=holds', 'Patching')
    const form = page.getByRole('form', { name: 'Hold a package' })
    await form.getByLabel('Applies to').selectOption('host')
    await form.getByLabel('Host', { exact: true }).selectOption({ label: 'web01' })
    await form.getByLabel('Package or glob').fill('perl-*')
    await form.getByLabel('Reason').fill('pinned by the DBA')
    await form.getByRole('button', { name: 'Hold' }).click()
    const row = page.getByRole('table', { name: 'Held packages' }).getByRole('row').filter({ hasText: 'perl-*' })
    await row.waitFor()
    t.match(await row.innerText(), /web01\s+1\s+pinned by the DBA/, 'listed with its host, the one package it keeps back, and the reason')
    await page.getByText('1 outdated package is held back across the fleet.').waitFor()
    await s.shot('patching-holds')

    await open(`/hosts/${web.id}`, 'web01')
    await page.getByRole('button', { name: 'Patch…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Patch web01' })
    const note = dialog.getByRole('status').filter({ hasText: 'held' })
    await note.waitFor()
    t.equal(await note.innerText(), `1 held, not updated by any run: ${heldName}`, 'the dialog names the held package')
    await dialog.getByLabel(/^All available updates/).check()
    await dialog.getByRole('button', { name: 'Start patching' }).click()
    await page.waitForURL(/\/patching\/runs\/[0-9a-f-]{36}$/)
    const runId = page.url().split('/').pop() ?? ''
    const frame = await agent.nextFrame('run_patch', runId)
    t.same(
      [...(frame.package_names ?? [])].sort(),
      outdated.filter((n) => n !== heldName).sort(),
      'the agent gets every outdated package but the held one'
    )
    t.equal(await agent.report(runId, { stage: 'started' }), 200)
    t.equal(await agent.report(runId, { stage: 'completed', output: 'done\n' }), 200)
    await page
      .locator('.subtitle .badge')
      .filter({ hasText: /^completed$/ })
      .waitFor()

    await open('/patching?tab=holds', 'Patching')
    await page.getByRole('button', { name: 'Release perl-*' }).click()
    await page.getByText('Nothing is held').waitFor()
    t.pass('released')
  })

  await t.test('a schedule from the day/time picker is saved as its cron, paused and deleted', async (t) => {
    await open('/patching?tab=schedules', 'Patching')
    await page.getByRole('button', { name: 'New schedule' }).click()
    const dialog = page.getByRole('dialog', { name: 'New patch schedule' })
    await dialog.getByLabel('Name').fill('Sunday security')
    await dialog.getByLabel('Host group').selectOption({ label: 'Databases' })
    await dialog.getByLabel('Start time (server time zone)').fill('03:30')
    await dialog.getByLabel('Notice before (minutes)').fill('45')
    await dialog.getByLabel(/^Require the host's pre-patch hook/).check()
    await dialog.getByRole('button', { name: 'Save schedule' }).click()
    const row = page.getByRole('list', { name: 'Patch schedules' }).getByRole('listitem').filter({ hasText: 'Sunday security' })
    await row.waitFor()
    const text = await row.innerText()
    t.match(text, /group Databases/, 'for the group')
    t.match(text, /30 3 \* \* 0/, 'weekly on Sunday at 03:30 as cron')
    t.match(text, /security updates · no reboot · notice 45 min before · pre-patch hook must pass/, 'scope, reboot, notice and hook')
    t.match(text, /Next \S/, 'with its next run')
    await s.shot('patching-schedules')
    await row.getByRole('button', { name: 'Pause' }).click()
    await row.getByText('paused').waitFor()
    await row.getByRole('button', { name: 'Delete schedule Sunday security' }).click()
    await page.getByRole('dialog', { name: 'Delete schedule?' }).getByRole('button', { name: 'Delete' }).click()
    await page.getByText('No patch schedules').waitFor()
    t.pass('paused, then deleted')
  })

  await t.test('a maintenance window is shown in the Patch dialog and a run outside it is refused in words', async (t) => {
    // Three days from today: the window is not open while the test runs, whatever the time zone.
    const day = (new Date().getUTCDay() + 3) % 7
    await open('/patching?tab=schedules', 'Patching')
    await page.getByRole('button', { name: 'New window' }).click()
    const dialog = page.getByRole('dialog', { name: 'New maintenance window' })
    await dialog.getByLabel('Name').fill('Night shift')
    await dialog.getByLabel('Host group').selectOption({ label: 'Databases' })
    await dialog.getByLabel('Cron expression').check()
    await dialog.getByRole('textbox', { name: 'Cron expression' }).fill(`0 2 * * ${day}`)
    await dialog.getByLabel('Open for (minutes)').fill('180')
    await dialog.getByRole('button', { name: 'Save window' }).click()
    const row = page.getByRole('list', { name: 'Maintenance windows' }).getByRole('listitem').filter({ hasText: 'Night shift' })
    await row.waitFor()
    t.match(await row.innerText(), new RegExp(`opens 0 2 \\* \\* ${day} \\(.+\\) for 3 h`), 'cron and duration')

    await open(`/hosts/${db.id}`, 'db02')
    await page.getByRole('button', { name: 'Patch…' }).click()
    const patch = page.getByRole('dialog', { name: 'Patch db02' })
    await patch.getByRole('status').filter({ hasText: 'Outside its maintenance windows: Night shift opens' }).waitFor()
    await patch.getByRole('button', { name: 'Start patching' }).click()
    const refusal = patch.getByRole('alert')
    await refusal.waitFor()
    t.match(await refusal.innerText(), /Outside the maintenance window of this host/, 'the refusal is shown')
    t.match(page.url(), /\/hosts\//, 'no run page was opened')
    await s.shot('patch-dialog-window')
  })

  await t.test('bulk: two picked hosts, one at a time; the batch page ends with the summary', async (t) => {
    await open('/hosts', 'Hosts')
    await page.getByLabel('Pick web01').check()
    await page.getByLabel('Pick db02').check()
    await page.getByRole('button', { name: 'Patch selected hosts (2)…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Patch 2 hosts' })
    await dialog.getByLabel('Hosts at a time').fill('1')
    await dialog.getByRole('button', { name: 'Start bulk patch' }).click()
    await page.waitForURL(/\/patching\/bulk\/[0-9a-f-]{36}$/)
    const hosts = page.getByRole('table', { name: 'Hosts in this batch' })
    await hosts.getByRole('row').filter({ hasText: 'db02' }).filter({ hasText: 'pending' }).waitFor()
    t.pass('db02 waits while web01 runs (one at a time)')
    const frame = await agent.nextFrame('run_patch')
    const runId = frame.patch_run_id ?? ''
    await hosts.getByRole('row').filter({ hasText: 'web01' }).getByRole('link', { name: 'Open run' }).waitFor()
    t.equal(await agent.report(runId, { stage: 'started' }), 200)
    t.equal(await agent.report(runId, { stage: 'completed', output: 'done\n' }), 200)
    const db02 = hosts.getByRole('row').filter({ hasText: 'db02' }).filter({ hasText: 'skipped' })
    await db02.waitFor()
    // db02 has no agent connected (and is outside its window): skipped in its turn, with the reason.
    t.match(await db02.innerText(), /Agent not connected|Outside the maintenance window/, 'db02 is skipped with the reason')
    await page.getByRole('status').filter({ hasText: '1 of 2 completed · 0 failed · 1 skipped' }).waitFor()
    t.pass('the summary counts both')
    await s.shot('patching-bulk')
  })

  await t.test('a policy is created, assigned to a group with one host excluded, and deleted', async (t) => {
    await open('/patching?tab=policies', 'Patching')
    await page.getByRole('button', { name: 'New policy' }).click()
    const form = page.getByRole('dialog', { name: 'New policy' })
    await form.getByLabel('Name').fill('Quarter hour')
    await form.getByLabel('Delay (minutes)').fill('15')
    await form.getByRole('button', { name: 'Save policy' }).click()
    const row = page.getByRole('list', { name: 'Policies' }).getByRole('listitem').filter({ hasText: 'Quarter hour' })
    await row.waitFor()
    t.match(await row.innerText(), /runs start 15 minutes after it is asked for/, 'the delay in words')
    await row.getByRole('button', { name: 'Hosts and groups…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Quarter hour: hosts and groups' })
    await dialog.getByLabel('Host group').selectOption({ label: 'Databases' })
    await dialog.getByRole('button', { name: 'Assign' }).click()
    await dialog.getByRole('list', { name: 'Assignments' }).getByText('group Databases').waitFor()
    await dialog.getByLabel('Host to exclude').selectOption({ label: 'db02' })
    await dialog.getByRole('button', { name: 'Exclude' }).click()
    await dialog.getByRole('list', { name: 'Exclusions' }).getByText('db02').waitFor()
    await dialog.getByRole('button', { name: 'Close' }).click()
    await row.getByText('1 assigned · 1 excluded').waitFor()
    t.pass('assigned and excluded')
    await s.shot('patching-policies')
    await row.getByRole('button', { name: 'Delete policy Quarter hour' }).click()
    await page.getByRole('dialog', { name: 'Delete policy?' }).getByRole('button', { name: 'Delete' }).click()
    await page.getByText('No policies').waitFor()
    t.pass('deleted')
  })

  await t.test('the patch run stall timeout is set under Server Config', async (t) => {
    await open('/settings/server', 'Server Config')
    const field = page.getByLabel('Patch run stall timeout (minutes)')
    t.equal(await field.inputValue(), '30', 'the default is shown')
    await field.fill('45')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor()
    const settings = await ctx.app.inject({ method: 'GET', url: '/api/v1/settings', headers: bearer(ctx.adminToken) })
    t.equal((settings.json() as { patch_run_stall_timeout_minutes: number }).patch_run_stall_timeout_minutes, 45, 'stored')
  })

  await t.test('a reboot the agent cannot take says why; a reboot exemption is set from the host page', async (t) => {
    await open(`/hosts/${web.id}`, 'web01')
    await page.getByRole('button', { name: 'Reboot' }).click()
    await page.getByRole('dialog', { name: 'Reboot host?' }).getByRole('button', { name: 'Reboot' }).click()
    const refusal = page.getByRole('alert')
    await refusal.waitFor()
    t.match(await refusal.innerText(), /reboot_host capability/, 'names the missing capability')
    await page.getByRole('tab', { name: 'Patch runs' }).click()
    await page.getByRole('button', { name: 'Exempt from reboots' }).click()
    await page.getByRole('button', { name: 'Allow reboots' }).waitFor()
    const exemptions = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/patching/reboot-exemptions',
      headers: bearer(ctx.adminToken)
    })
    t.same(
      (exemptions.json() as { exemptions: Array<{ host_id: string }> }).exemptions.map((x) => x.host_id),
      [web.id],
      'stored for this host'
    )
    t.same(s.consoleErrors, [], 'no script errors along the way')
  })
})
