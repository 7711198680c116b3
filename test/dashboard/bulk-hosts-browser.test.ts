// Bulk host actions in a real browser (Debian's chromium): select every host matching a filter (more
// than one page), add them to a group after a confirmation that names them, read the summary; then
// delete two picked hosts through the confirmation that names them and what is lost.
import t from 'tap'
import { readFile } from 'node:fs/promises'
import { bearer } from '../helpers/test-app.js'
import { ensureDashboardBuilt } from '../helpers/dashboard-build.js'
import { chromiumMissing, startBrowserSession } from '../helpers/browser-session.js'

ensureDashboardBuilt()

t.test('bulk host actions from the hosts list', { skip: chromiumMissing, timeout: 240_000 }, async (t) => {
  const s = await startBrowserSession(t)
  const { page, base, ctx } = s
  const api = async (method: 'POST' | 'GET', url: string, payload?: object) => {
    const res = await ctx.app.inject({ method, url, headers: bearer(ctx.adminToken), ...(payload ? { payload } : {}) })
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
    return res.json() as Record<string, unknown>
  }
  const edge = String((await api('POST', '/api/v1/host-groups', { name: 'Edge' })).id)
  const first = String((await api('POST', '/api/v1/hosts', { friendly_name: 'edge-00' })).id)
  await api('POST', '/api/v1/hosts', { friendly_name: 'old-a' })
  await api('POST', '/api/v1/hosts', { friendly_name: 'old-b' })
  // 54 more "edge" hosts, copied from the first in SQL (one bcrypt per host through the API would only slow the test).
  const columns = (ctx.store.sqlite.prepare('PRAGMA table_info(hosts)').all() as Array<{ name: string }>).map((c) => c.name)
  const copy = ctx.store.sqlite.prepare(
    `INSERT INTO hosts (${columns.join(',')}) SELECT ${columns.map((c) => (c === 'id' || c === 'api_id' || c === 'friendly_name' ? `@${c}` : c)).join(',')} FROM hosts WHERE id = @source`
  )
  ctx.store.sqlite.transaction(() => {
    for (let i = 1; i <= 54; i++)
      copy.run({ id: `edge-copy-${i}`, api_id: `patchmon_edge${i}`, friendly_name: `edge-${String(i).padStart(2, '0')}`, source: first })
  })()
  await s.context.addCookies([{ name: 'token', value: ctx.adminToken, url: base, httpOnly: true, sameSite: 'Strict' }])

  await t.test('select all hosts matching a filter and add them to a group', async (t) => {
    await page.goto(`${base}/hosts?search=edge`)
    await page.getByRole('link', { name: 'edge-00' }).waitFor()
    await page.getByLabel('Pick every host on this page').check()
    await page.getByRole('button', { name: 'Select all 55 hosts matching this filter' }).click()
    const bar = page.getByRole('region', { name: 'Bulk actions' })
    await bar.getByText('55 hosts selected').waitFor()
    await bar.getByLabel('Action').selectOption('assign_groups')
    await bar.getByLabel('Groups').selectOption([edge])
    await bar.getByRole('button', { name: 'Review…' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByText('Add 55 hosts to Edge: edge-00, edge-01, edge-02 and 52 more').waitFor()
    await s.shot('bulk-confirm-groups')
    await dialog.getByRole('button', { name: 'Add to groups (55)' }).click()
    await dialog.getByText('55 succeeded · 0 skipped · 0 failed').waitFor()
    t.equal(await dialog.getByRole('row').count(), 56, 'one summary row per host, under a header row')
    await s.shot('bulk-summary-groups')
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click()
    await dialog.waitFor({ state: 'detached' })
    const inGroup = await api('GET', `/api/v1/hosts?group=${edge}&limit=1`)
    t.equal(inGroup.total, 55, 'every matching host is in the group, beyond the first page')
  })

  await t.test('delete two picked hosts after a confirmation that names them', async (t) => {
    await page.goto(`${base}/hosts?search=old-`)
    await page.getByRole('link', { name: 'edge-00' }).waitFor({ state: 'detached' })
    await page.getByLabel('Pick old-a').check()
    await page.getByLabel('Pick old-b').check()
    const bar = page.getByRole('region', { name: 'Bulk actions' })
    await bar.getByLabel('Action').selectOption('delete')
    await bar.getByRole('button', { name: 'Review…' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByText('Delete 2 hosts: old-a, old-b; their package history is removed').waitFor()
    await s.shot('bulk-confirm-delete')
    await dialog.getByRole('button', { name: 'Delete hosts (2)' }).click()
    await dialog.getByText('2 succeeded · 0 skipped · 0 failed').waitFor()
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click()
    await page.getByText('No host matches these filters').waitFor()
    const left = await api('GET', '/api/v1/hosts?search=old-')
    t.equal(left.total, 0, 'both hosts are gone')
  })

  await t.test('rotating credentials offers the new keys once, as a download made in the browser', async (t) => {
    await page.goto(`${base}/hosts?search=edge-00`)
    await page.getByRole('link', { name: 'edge-01' }).waitFor({ state: 'detached' })
    await page.getByLabel('Pick edge-00').check()
    const bar = page.getByRole('region', { name: 'Bulk actions' })
    await bar.getByLabel('Action').selectOption('rotate_credentials')
    await bar.getByRole('button', { name: 'Review…' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByText('Issue new API credentials for 1 host: edge-00; their current keys stop working at once').waitFor()
    await dialog.getByRole('button', { name: 'Rotate credentials (1)' }).click()
    await dialog.getByText('are shown only now').waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('link', { name: 'Download CSV' }).click()])
    const csv = await readFile((await download.path())!, 'utf8')
    const apiId = (ctx.store.sqlite.prepare('SELECT api_id FROM hosts WHERE id = ?').get(first) as { api_id: string }).api_id
    t.match(csv, new RegExp(`^host_id,friendly_name,api_id,api_key\n${first},edge-00,${apiId},[0-9a-f]{64}\n$`), 'the new pair, once')
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click()
    await dialog.waitFor({ state: 'detached' })
    t.same(s.consoleErrors, [], 'no script errors')
  })
})
