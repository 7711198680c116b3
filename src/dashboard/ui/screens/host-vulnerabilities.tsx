// The host page's "Vulnerabilities" tab: each CVE this host is exposed to, per package, with the
// fixed version and whether the host can install it now; known exploited first.
import type { Static } from 'typebox'
import type { FleetCveReply, HostVulnerabilitiesReply } from '../../../vulnerabilities/vulnerability-schemas.js'
import { query } from '../api'
import { useApi } from '../use-api'
import { EmptyState, Loaded } from '../components/feedback'
import { Badge } from '../components/controls'
import { Link } from '../router'

const FIX_TEXT: Record<string, string> = { available: 'Fix available now', not_installable: 'Fix not offered yet', none: 'No fix yet' }
const SEVERITY_KIND: Record<string, string> = { critical: 'bad', high: 'bad', medium: 'warn', low: 'info', unknown: '' }

export function HostVulnerabilities({ hostId }: { hostId: string }) {
  const list = useApi<Static<typeof HostVulnerabilitiesReply>>(`/api/v1/vulnerabilities/hosts/${encodeURIComponent(hostId)}`)
  return (
    <Loaded resource={list} label="Loading vulnerabilities…">
      {(data) =>
        data.vulnerabilities.length === 0 ? (
          <NoVulnerabilities />
        ) : (
          <div class="table-wrap">
            <table class="table" aria-label="Vulnerabilities on this host">
              <thead>
                <tr>
                  <th scope="col">CVE</th>
                  <th scope="col">Package</th>
                  <th scope="col">Installed</th>
                  <th scope="col">Fixed in</th>
                  <th scope="col">Fix</th>
                  <th scope="col">Severity</th>
                  <th scope="col">CVSS</th>
                </tr>
              </thead>
              <tbody>
                {data.vulnerabilities.map((v) => (
                  <tr key={`${v.package_name}/${v.cve_id}`}>
                    <td>
                      <Link href={`/vulnerabilities${query({ cve: v.cve_id })}`}>{v.cve_id}</Link>{' '}
                      {v.known_exploited && <Badge kind="bad">Known exploited</Badge>}
                    </td>
                    <td>{v.package_name}</td>
                    <td>{v.installed_version}</td>
                    <td>{v.fixed_version ?? '-'}</td>
                    <td>{FIX_TEXT[v.fix_status]}</td>
                    <td>
                      <Badge kind={SEVERITY_KIND[v.severity] ?? ''}>{v.severity}</Badge>
                    </td>
                    <td>{v.cvss_score ?? '-'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    </Loaded>
  )
}

/**
 * An empty list means "no data", not "no vulnerabilities", while no feed is imported. The feed counts come
 * with the fleet list, which needs can_view_packages; without it the generic text stays.
 */
function NoVulnerabilities() {
  const fleet = useApi<Static<typeof FleetCveReply>>(`/api/v1/vulnerabilities${query({ limit: 1 })}`)
  return fleet.data?.feeds.advisories === 0 ? (
    <EmptyState title="No vulnerability feed imported yet">
      Import one on the Vulnerabilities screen or run patchmon cve import FILE on the server; this host is then matched against it.
    </EmptyState>
  ) : (
    <EmptyState title="No known vulnerabilities on this host">Matched against the imported vulnerability feeds.</EmptyState>
  )
}
