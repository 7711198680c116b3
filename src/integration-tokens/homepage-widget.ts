// The gethomepage services.yml entry the dashboard's "Copy Config" button hands out. Facts
// (integration-api §5.3): the customapi widget polls every 10 s by default — we ask for 60 s — and
// its block view silently drops mappings after the fourth, so longer lists switch to `display: list`.

/** Labels the spec uses for each numeric field of /api/v1/gethomepage/stats. */
export const HOMEPAGE_FIELD_LABELS: Record<string, string> = {
  total_hosts: 'Total Hosts',
  hosts_needing_updates: 'Needs Updates',
  security_updates: 'Security Updates',
  up_to_date_hosts: 'Up-to-Date',
  hosts_with_security_updates: 'Security Hosts',
  total_outdated_packages: 'Outdated Packages',
  total_repos: 'Repositories',
  recent_updates_24h: 'Updated (24h)',
  reboot_required_hosts: 'Reboot Required',
  top_os_1_count: 'Top OS #1',
  top_os_2_count: 'Top OS #2',
  top_os_3_count: 'Top OS #3'
}

export const DEFAULT_HOMEPAGE_FIELDS = ['total_hosts', 'hosts_needing_updates', 'security_updates']
export const HOMEPAGE_REFRESH_MS = 60_000
/** Block view shows at most this many mappings. */
const BLOCK_VIEW_LIMIT = 4
export const CREDENTIALS_PLACEHOLDER = '<base64_encoded_credentials>'

export interface HomepageWidgetInput {
  serverUrl: string
  /** base64(key:secret), or undefined for the placeholder. */
  basicCredentials?: string
  fields?: readonly string[]
}

export async function homepageWidgetYaml(input: HomepageWidgetInput): Promise<string> {
  const base = input.serverUrl.replace(/\/+$/, '')
  const fields = input.fields && input.fields.length > 0 ? input.fields : DEFAULT_HOMEPAGE_FIELDS
  const widget: Record<string, unknown> = {
    type: 'customapi',
    url: `${base}/api/v1/gethomepage/stats`,
    refreshInterval: HOMEPAGE_REFRESH_MS,
    headers: { Authorization: `Basic ${input.basicCredentials ?? CREDENTIALS_PLACEHOLDER}` }
  }
  if (fields.length > BLOCK_VIEW_LIMIT) widget['display'] = 'list'
  widget['mappings'] = fields.map((field) => ({ field, label: HOMEPAGE_FIELD_LABELS[field] ?? field, format: 'number' }))
  const service = {
    PatchMon: {
      href: base,
      description: 'PatchMon Statistics',
      icon: `${base}/assets/favicon.svg`,
      widget
    }
  }
  // Loaded on first use: most installations never ask for the snippet.
  const { stringify } = await import('yaml')
  return stringify([service], { indent: 2 })
}

export const basicCredentials = (key: string, secret: string): string => Buffer.from(`${key}:${secret}`, 'utf8').toString('base64')
