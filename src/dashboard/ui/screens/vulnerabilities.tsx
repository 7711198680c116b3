// Fleet → Vulnerabilities: the CVEs the (visible) fleet is exposed to, with how many hosts each and
// whether a fix is installable; filters in the URL (search, known exploited, one CVE's hosts); the
// feed upload with its progress polled from the import history; the scheduled download's form.
import { useEffect, useState } from 'preact/hooks'
import type { Static } from 'typebox'
import type { CveDetailReply, FleetCveReply, ImportRecord } from '../../../vulnerabilities/vulnerability-schemas.js'
import { ApiFailure, get, query } from '../api'
import { useApi } from '../use-api'
import { EmptyState, ErrorNote, Loaded } from '../components/feedback'
import { Badge, PageHeader, Pagination } from '../components/controls'
import { Link, updateQuery, useLocation } from '../router'
import { useSession } from '../session'
import { FeedDownload } from './feed-download'

const PAGE = 50
const SEVERITY_KIND: Record<string, string> = { critical: 'bad', high: 'bad', medium: 'warn', low: 'info', unknown: '' }

type Import = Static<typeof ImportRecord>

export function Vulnerabilities() {
  const { query: q } = useLocation()
  const search = q.get('search') ?? ''
  const knownExploited = q.get('known_exploited') === 'true'
  const cve = q.get('cve') ?? ''
  const offset = Number(q.get('offset') ?? 0) || 0
  const list = useApi<Static<typeof FleetCveReply>>(
    `/api/v1/vulnerabilities${query({ search, ...(knownExploited ? { known_exploited: 'true' } : {}), limit: PAGE, offset })}`
  )
  const session = useSession()
  const canImport = session.can('can_manage_packages')
  // Opening (or clearing) one CVE's hosts keeps the list's filters and page.
  const cveHref = (id: string) =>
    `/vulnerabilities${query({ search, ...(knownExploited ? { known_exploited: 'true' } : {}), offset: offset || '', cve: id })}`
  return (
    <>
      <PageHeader title="Vulnerabilities" />
      {canImport && <FeedUpload onDone={list.reload} />}
      {session.can('can_manage_settings') && <FeedDownload onDone={list.reload} />}
      <div class="filters">
        <label class="field field-inline">
          <span class="field-label">Search</span>
          <input
            type="search"
            name="search"
            placeholder="CVE id or package"
            value={search}
            onChange={(e) => updateQuery({ search: e.currentTarget.value.trim(), offset: 0 })}
          />
        </label>
        <label class="check">
          <input
            type="checkbox"
            name="known_exploited"
            checked={knownExploited}
            onChange={(e) => updateQuery({ known_exploited: e.currentTarget.checked ? 'true' : '', offset: 0 })}
          />
          <span>Known exploited only</span>
        </label>
      </div>
      {cve && <CveHosts cveId={cve} clearHref={cveHref('')} />}
      <Loaded resource={list} label="Loading vulnerabilities…">
        {(data) =>
          data.cves.length === 0 ? (
            <EmptyState title="No exposed hosts">
              {data.feeds.advisories === 0
                ? 'No vulnerability feed is imported yet: upload one above or run patchmon cve import FILE on the server.'
                : 'No host is exposed to a known vulnerability with these filters.'}
            </EmptyState>
          ) : (
            <>
              <div class="table-wrap">
                <table class="table" aria-label="Vulnerabilities">
                  <thead>
                    <tr>
                      <th scope="col">CVE</th>
                      <th scope="col">Severity</th>
                      <th scope="col">CVSS</th>
                      <th scope="col">Packages</th>
                      <th scope="col">Exposed hosts</th>
                      <th scope="col">Fix available now</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.cves.map((c) => (
                      <tr key={c.cve_id}>
                        <td>
                          <Link href={cveHref(c.cve_id)}>{c.cve_id}</Link> {c.known_exploited && <Badge kind="bad">Known exploited</Badge>}
                        </td>
                        <td>
                          <Badge kind={SEVERITY_KIND[c.severity] ?? ''}>{c.severity}</Badge>
                        </td>
                        <td>{c.cvss_score ?? '-'}</td>
                        <td>{c.packages.join(', ')}</td>
                        <td>{c.host_count}</td>
                        <td>{c.hosts_with_fix_available}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pagination total={data.total} limit={PAGE} offset={offset} onChange={(o) => updateQuery({ offset: o })} />
            </>
          )
        }
      </Loaded>
    </>
  )
}

/** The filter "hosts exposed to CVE-…". */
function CveHosts({ cveId, clearHref }: { cveId: string; clearHref: string }) {
  const detail = useApi<Static<typeof CveDetailReply>>(`/api/v1/vulnerabilities/cves/${encodeURIComponent(cveId)}`)
  return (
    <section class="panel" aria-label={`Hosts exposed to ${cveId}`}>
      <h2>
        Hosts exposed to {cveId} <Link href={clearHref}>Clear</Link>
      </h2>
      <Loaded resource={detail}>
        {(d) => (
          <>
            {d.known_exploited && (
              <p>
                <Badge kind="bad">Known exploited</Badge> {d.known_exploited.name} (listed {d.known_exploited.date_added})
              </p>
            )}
            {d.advisories[0]?.summary && <p>{d.advisories[0].summary}</p>}
            {d.hosts.length === 0 && <p>No host (that you can see) is exposed to {cveId} now.</p>}
            <ul>
              {d.hosts.map((h) => (
                <li key={`${h.host_id}/${h.package_name}`}>
                  <Link href={`/hosts/${h.host_id}`}>{h.friendly_name}</Link>: {h.package_name} {h.installed_version} →{' '}
                  {h.fixed_version ?? 'no fix yet'} (
                  {h.fix_status === 'available'
                    ? 'fix available now'
                    : h.fix_status === 'none'
                      ? 'no fix yet'
                      : 'fix not offered to this host yet'}
                  )
                </li>
              ))}
            </ul>
          </>
        )}
      </Loaded>
    </section>
  )
}

/** Upload a feed file; the import runs on the server and its progress is polled. */
function FeedUpload({ onDone }: { onDone: () => void }) {
  const [job, setJob] = useState<Import | undefined>()
  const [error, setError] = useState<Error | undefined>()
  const [file, setFile] = useState<File | undefined>()
  useEffect(() => {
    if (!job || job.status !== 'running') return
    const timer = setTimeout(() => {
      get<Import>(`/api/v1/vulnerabilities/imports/${job.id}`).then(
        (next) => {
          setJob(next)
          if (next.status !== 'running') onDone()
        },
        (err: unknown) => setError(err instanceof Error ? err : new Error(String(err)))
      )
    }, 500)
    return () => clearTimeout(timer)
  }, [job])
  const upload = async () => {
    if (!file) return
    setError(undefined)
    const res = await fetch(`/api/v1/vulnerabilities/imports${query({ name: file.name })}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/octet-stream', accept: 'application/json' },
      body: file
    })
    const body = (await res.json().catch(() => ({}))) as { id?: string; error?: string; message?: string }
    if (!res.ok || !body.id) {
      setError(new ApiFailure(res.status, body.message ?? body.error ?? `Upload failed (${res.status})`))
      return
    }
    setJob({ id: body.id, status: 'running', records_read: 0, added: 0, updated: 0, unchanged: 0, skipped: 0 } as Import)
  }
  return (
    <form
      class="filters"
      aria-label="Import a vulnerability feed"
      onSubmit={(e) => {
        e.preventDefault()
        void upload()
      }}
    >
      <label class="field field-inline">
        <span class="field-label">Feed file</span>
        <input type="file" name="feed" onChange={(e) => setFile(e.currentTarget.files?.[0])} />
      </label>
      <button type="submit" class="button" disabled={!file || job?.status === 'running'}>
        Import
      </button>
      <ErrorNote error={error} />
      {job && (
        <span role="status">
          {job.status === 'failed' && job.records_read === 0
            ? // Nothing was read: the counts would only be zeros in front of the reason.
              `Import failed: ${job.error_message ?? 'see the import history'}`
            : `${job.status === 'running' ? 'Importing… ' : job.status === 'completed' ? 'Imported: ' : 'Import failed: '}${job.records_read} records, ${job.added} added, ${job.updated} updated, ${job.unchanged} unchanged${job.error_message ? ` (${job.error_message})` : ''}`}
        </span>
      )}
    </form>
  )
}
