// Typed access to the key/value settings table. Defaults live here, next to their keys.
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'

export interface SettingValues {
  /** Minutes between agent reports. */
  update_interval: number
  /** Public URL set from the dashboard; wins over PATCHMON_SERVER_URL when set. */
  server_url: string | null
  /** Served scripts use curl -k when true (self-signed appliances). */
  ignore_ssl_self_signed: boolean
  signup_enabled: boolean
  default_user_role: string
  auto_update: boolean
  /** Grace period before a silent host counts as down, in minutes. */
  host_down_grace_minutes: number
  /** Days the notification log keeps finished deliveries. */
  notification_log_retention_days: number
  /** Notifications may reach LAN addresses (homelab ntfy/Gotify); see security/outbound-targets.ts. */
  notify_allow_private_networks: boolean
  /** Host names, addresses and CIDR ranges notifications may reach although not public. */
  notify_allowed_targets: string[]
  /** Minutes without agent output before a running patch run is marked timed_out (floor 5). */
  patch_run_stall_timeout_minutes: number
  /** Days the audit log keeps its entries (src/audit/, pruned by a timer). */
  audit_log_retention_days: number
  /** Days the daily trend figures are kept (src/trends/, pruned daily). */
  trend_retention_days: number
  /** The scheduled vulnerability feed download (src/vulnerabilities/feed-schedule.ts) runs; off by default. */
  cve_download_enabled: boolean
  /** The feeds it downloads, each http(s). */
  cve_download_urls: string[]
  /** Hours between two download rounds (1-168). */
  cve_download_interval_hours: number
  /** Internal, not shown: the ETag / Last-Modified last seen per URL, for conditional requests. */
  cve_download_validators: Record<string, { etag?: string; lastModified?: string }>
  /** Internal, not shown: when the last download round started (ISO time), null before the first. */
  cve_download_last_run: string | null
}

/** The public feeds the scheduled download fetches unless told otherwise. */
export const DEFAULT_CVE_DOWNLOAD_URLS = [
  'https://osv-vulnerabilities.storage.googleapis.com/Debian/all.zip',
  'https://security-tracker.debian.org/tracker/data/json',
  'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json'
]

export const SETTING_DEFAULTS: SettingValues = {
  update_interval: 60,
  server_url: null,
  ignore_ssl_self_signed: false,
  signup_enabled: false,
  default_user_role: 'user',
  auto_update: false,
  host_down_grace_minutes: 5,
  notification_log_retention_days: 30,
  notify_allow_private_networks: false,
  notify_allowed_targets: [],
  patch_run_stall_timeout_minutes: 30,
  audit_log_retention_days: 365,
  trend_retention_days: 730,
  cve_download_enabled: false,
  cve_download_urls: DEFAULT_CVE_DOWNLOAD_URLS,
  cve_download_interval_hours: 24,
  cve_download_validators: {},
  cve_download_last_run: null
}

export class SettingsStore {
  constructor(private readonly db: Kysely<DB>) {}

  async get<K extends keyof SettingValues>(key: K): Promise<SettingValues[K]> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst()
    if (!row) return SETTING_DEFAULTS[key]
    try {
      return JSON.parse(row.value) as SettingValues[K]
    } catch {
      return SETTING_DEFAULTS[key]
    }
  }

  async getAll(): Promise<SettingValues> {
    const rows = await this.db.selectFrom('settings').select(['key', 'value']).execute()
    const values: Record<string, unknown> = { ...SETTING_DEFAULTS }
    for (const row of rows) {
      try {
        values[row.key] = JSON.parse(row.value)
      } catch {
        // keep the default for an unreadable value
      }
    }
    return values as unknown as SettingValues
  }

  async set<K extends keyof SettingValues>(key: K, value: SettingValues[K]): Promise<void> {
    const now = new Date().toISOString()
    await this.db
      .insertInto('settings')
      .values({ key, value: JSON.stringify(value), updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: now }))
      .execute()
  }

  /** Writes several settings in one transaction: a save is applied whole or not at all. */
  async setMany(values: Partial<SettingValues>): Promise<void> {
    const now = new Date().toISOString()
    const rows = Object.entries(values).map(([key, value]) => ({ key, value: JSON.stringify(value), updated_at: now }))
    if (rows.length === 0) return
    await this.db.transaction().execute(async (trx) => {
      for (const row of rows) {
        await trx
          .insertInto('settings')
          .values(row)
          .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_at: now }))
          .execute()
      }
    })
  }
}
