// Row types of the maintained fleet counters (migrations 0021, 0030): columns added to packages and the
// one-row fleet_host_totals table. Triggers keep both in step; code only reads them.
import type { Generated } from 'kysely'

/** packages' counts over host_packages: rows, rows needing an update, rows needing a security update. */
export interface PackageCounterColumns {
  host_count: Generated<number>
  hosts_needing_update: Generated<number>
  hosts_needing_security_update: Generated<number>
}

/** The dashboard overview's sums over hosts (one row, id 1). */
export interface FleetHostTotalsTable {
  id: number
  hosts: number
  hosts_needing_updates: number
  hosts_with_security: number
  outdated_packages: number
  security_updates: number
  hosts_needing_reboot: number
  /** Hosts with total_packages = 0 (migration 0030, for gethomepage). */
  hosts_awaiting_data: Generated<number>
  /** Hosts with package data and nothing outdated (migration 0030, for gethomepage). */
  hosts_up_to_date: Generated<number>
}

/** Successful reports per UTC hour of created_at ('YYYY-MM-DDTHH'; migration 0030, for gethomepage). */
export interface ReportSuccessHoursTable {
  hour: string
  successes: number
}

export interface FleetCounterTables {
  fleet_host_totals: FleetHostTotalsTable
  report_success_hours: ReportSuccessHoursTable
}

/** The same columns for database-columns.ts (kinds as described there). */
export const PACKAGE_COUNTER_COLUMNS = {
  host_count: 'defaulted',
  hosts_needing_update: 'defaulted',
  hosts_needing_security_update: 'defaulted'
} as const

export const FLEET_COUNTER_COLUMNS = {
  fleet_host_totals: {
    id: 'required',
    hosts: 'required',
    hosts_needing_updates: 'required',
    hosts_with_security: 'required',
    outdated_packages: 'required',
    security_updates: 'required',
    hosts_needing_reboot: 'required',
    hosts_awaiting_data: 'defaulted',
    hosts_up_to_date: 'defaulted'
  },
  report_success_hours: {
    hour: 'required',
    successes: 'required'
  }
} as const
