// Ready-to-paste text for the integration tokens: enrollment one-liners, the gethomepage widget
// YAML (the shape of the spec's gethomepage chapter), Basic-auth examples and the Ansible inventory.
import type { ServerAddress } from './server-url'

export type IntegrationType = 'proxmox-lxc' | 'direct-host' | 'api' | 'gethomepage'

export const TYPE_LABELS: Record<IntegrationType, string> = {
  'proxmox-lxc': 'Proxmox LXC auto-enrollment',
  'direct-host': 'Direct host enrollment',
  api: 'API (scoped Basic auth)',
  gethomepage: 'GetHomepage widget'
}

export const TYPE_SHORT: Record<IntegrationType, string> = {
  'proxmox-lxc': 'Proxmox LXC',
  'direct-host': 'Direct host',
  api: 'API',
  gethomepage: 'GetHomepage'
}

export function enrollmentOneLiner(server: ServerAddress, type: 'proxmox-lxc' | 'direct-host', key: string, secret: string): string {
  const url = `${server.url}/api/v1/auto-enrollment/script?type=${type}&token_key=${encodeURIComponent(key)}&token_secret=${encodeURIComponent(secret)}`
  // The Proxmox script needs bash; the direct-host script is POSIX sh (Alpine has no bash).
  return `curl ${server.curlFlags} "${url}" | ${type === 'proxmox-lxc' ? 'bash' : 'sh'}`
}

export function basicCredentials(key: string, secret: string): string {
  return btoa(`${key}:${secret}`)
}

/** Only used when the server's reply lacks its own `gethomepage_config`. */
export function gethomepageYaml(serverUrl: string, key: string, secret: string): string {
  return `- PatchMon:
    href: ${serverUrl}
    description: PatchMon Statistics
    icon: ${serverUrl}/assets/favicon.svg
    widget:
      type: customapi
      url: ${serverUrl}/api/v1/gethomepage/stats
      headers:
        Authorization: Basic ${basicCredentials(key, secret)}
      mappings:
        - field: total_hosts
          label: Total Hosts
        - field: hosts_needing_updates
          label: Needs Updates
        - field: security_updates
          label: Security Updates
`
}

export function apiCurlExample(serverUrl: string, key: string, secret: string): string {
  return `curl -u "${key}:${secret}" "${serverUrl}/api/v1/api/hosts"`
}

/**
 * The plugin's full three-part name: the collection's short name `patchmon.dynamic_inventory`
 * (as the spec prints it) is only found with `enable_plugins` set in ansible.cfg, so a config
 * pasted as shown would fail as an unknown plugin.
 */
export function ansibleInventory(serverUrl: string, key: string, secret: string): string {
  return `---
plugin: patchmon.dynamic_inventory.dynamic_inventory
api_url: ${serverUrl}/api/v1/api/hosts/
api_key: ${key}
api_secret: ${secret}
verify_ssl: ${serverUrl.startsWith('https://') ? 'true' : 'false'}
`
}
