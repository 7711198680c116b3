// Row types of the trends feature's tables (migration 0023); joined into DB in database-types.ts.
import type { Selectable } from 'kysely'

export interface TrendHostDaysTable {
  host_id: string
  /** YYYY-MM-DD, UTC. */
  day: string
  outdated_packages: number
  security_updates: number
  needs_reboot: number
  /** NULL when no vulnerability source is wired in. */
  cves_open: number | null
  /** NULL while no patch has been observed on the host. */
  days_since_patch: number | null
}

export interface TrendFleetDaysTable {
  day: string
  hosts: number
  outdated_packages: number
  security_updates: number
  hosts_needing_reboot: number
  cves_open: number | null
  /** Mean over the hosts whose last patch is known. */
  days_since_patch: number | null
  taken_at: string
}

export interface TrendHostStatesTable {
  host_id: string
  /** Outdated packages in the host's latest report (the next report compares with it). */
  outdated_packages: number
  last_patched_at: string | null
  updated_at: string
}

export interface TrendSecurityExposuresTable {
  host_id: string
  package_name: string
  first_seen_at: string
  resolved_at: string | null
}

export interface TrendTables {
  trend_host_days: TrendHostDaysTable
  trend_fleet_days: TrendFleetDaysTable
  trend_host_states: TrendHostStatesTable
  trend_security_exposures: TrendSecurityExposuresTable
}

export type TrendHostDayRow = Selectable<TrendHostDaysTable>
export type TrendFleetDayRow = Selectable<TrendFleetDaysTable>

export const TREND_COLUMNS = {
  trend_host_days: {
    host_id: 'required',
    day: 'required',
    outdated_packages: 'required',
    security_updates: 'required',
    needs_reboot: 'required',
    cves_open: 'nullable',
    days_since_patch: 'nullable'
  },
  trend_fleet_days: {
    day: 'required',
    hosts: 'required',
    outdated_packages: 'required',
    security_updates: 'required',
    hosts_needing_reboot: 'required',
    cves_open: 'nullable',
    days_since_patch: 'nullable',
    taken_at: 'required'
  },
  trend_host_states: {
    host_id: 'required',
    outdated_packages: 'required',
    last_patched_at: 'nullable',
    updated_at: 'required'
  },
  trend_security_exposures: {
    host_id: 'required',
    package_name: 'required',
    first_seen_at: 'required',
    resolved_at: 'nullable'
  }
} as const
