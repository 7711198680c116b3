// A report as HTML (e-mail, generic webhooks), plain text (chat excerpts) and CSV
// (`section,metric,value`, one row per item, formula-safe) — all from the same data.
import type { ReportNotice } from '../notifications/notice.js'
import { SECTION_TITLES, type ReportData, type ReportSection } from './report-data.js'
import { escapeHtml, htmlToText } from '../notifications/html-text.js'
import { safeCsv } from './csv-cell.js'

function sectionRows(section: ReportSection, data: ReportData): string[][] {
  switch (section) {
    case 'open_alerts':
      return (data.open_alerts ?? []).map((a) => [a.host, `down since ${a.downSince}`])
    case 'hosts_by_updates':
      return (data.hosts_by_updates ?? []).map((h) => [h.host, `${h.updates} updates, ${h.security} security`])
    case 'top_security_packages':
      return (data.top_security_packages ?? []).map((p) => [p.name, `${p.hosts} host${p.hosts === 1 ? '' : 's'}`])
    case 'top_cves':
      return (data.top_cves ?? []).map((c) => [
        c.cveId + (c.knownExploited ? ' (known exploited)' : ''),
        `${c.hosts} host${c.hosts === 1 ? '' : 's'}, fix available now on ${c.fixAvailableHosts}`
      ])
  }
}

export function reportCsv(sections: ReportSection[], data: ReportData): string {
  const rows: Array<Array<string | number>> = [['section', 'metric', 'value']]
  for (const section of sections) {
    if (section === 'open_alerts') for (const a of data.open_alerts ?? []) rows.push(['open_alerts', a.host, a.downSince])
    if (section === 'hosts_by_updates')
      for (const h of data.hosts_by_updates ?? []) rows.push(['hosts_by_updates', h.host, `${h.updates}|${h.security}`])
    if (section === 'top_security_packages')
      for (const p of data.top_security_packages ?? []) rows.push(['top_security_package', p.name, p.hosts])
    if (section === 'top_cves') for (const c of data.top_cves ?? []) rows.push(['top_cve', c.cveId, c.hosts])
  }
  return safeCsv(rows)
}

export function reportHtml(subject: string, sections: ReportSection[], data: ReportData, generatedAt: Date): string {
  const parts = [`<h1>${escapeHtml(subject)}</h1>`, `<p>Generated ${escapeHtml(generatedAt.toISOString())}</p>`]
  for (const section of sections) {
    const rows = sectionRows(section, data)
    parts.push(`<h2>${escapeHtml(SECTION_TITLES[section])}</h2>`)
    if (rows.length === 0) parts.push('<p>None.</p>')
    else parts.push(`<ul>${rows.map(([a, b]) => `<li>${escapeHtml(a ?? '')}: ${escapeHtml(b ?? '')}</li>`).join('')}</ul>`)
  }
  return parts.join('\n')
}

export function buildReportNotice(name: string, sections: ReportSection[], data: ReportData, attachCsv: boolean, now: Date): ReportNotice {
  const subject = `PatchMon Report: ${name}`
  const html = reportHtml(subject, sections, data, now)
  const csvName = `patchmon-report-${now.toISOString().slice(0, 10)}.csv`
  return {
    kind: 'report',
    subject,
    html,
    text: htmlToText(html),
    ...(attachCsv ? { csv: { filename: csvName, content: reportCsv(sections, data) } } : {}),
    timestamp: now.toISOString()
  }
}
