// What trends learns from every accepted agent report (the host_report_ingested event):
//  - "Last patched": the time of the latest report in which the host had fewer outdated packages
//    than in its previous report, or in which a security update of its previous report was gone.
//    Whatever installed the updates (a PatchMon patch run, unattended-upgrades, an admin with apt)
//    shows up this way, through the report that follows it. Until that has been seen once, the
//    host's "days since last patch" is unknown (NULL, shown as "—").
//  - Security exposures for "mean time to patch": a (host, package) security update is first seen
//    in the first report that lists it and resolved in the first report that no longer does. A
//    package that needs a security update again later starts a new exposure.
// Times are the trends clock's when the event arrives (the report's commit, within milliseconds).
// One transaction per report; reports of one host are applied in the order they were accepted.
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'

export interface IngestedReport {
  hostId: string
  outdatedCount: number
  securityPackages: string[]
}

export async function recordIngestedReport(db: Kysely<DB>, report: IngestedReport, now: Date): Promise<void> {
  const at = now.toISOString()
  await db.transaction().execute(async (trx) => {
    const state = await trx
      .selectFrom('trend_host_states')
      .select(['outdated_packages', 'last_patched_at'])
      .where('host_id', '=', report.hostId)
      .executeTakeFirst()
    const open = await trx
      .selectFrom('trend_security_exposures')
      .select(['package_name', 'first_seen_at'])
      .where('host_id', '=', report.hostId)
      .where('resolved_at', 'is', null)
      .execute()
    const current = new Set(report.securityPackages)
    const resolved = open.filter((o) => !current.has(o.package_name))
    const openNames = new Set(open.map((o) => o.package_name))
    const appeared = [...current].filter((name) => !openNames.has(name))

    for (const gone of resolved) {
      await trx
        .updateTable('trend_security_exposures')
        .set({ resolved_at: at })
        .where('host_id', '=', report.hostId)
        .where('package_name', '=', gone.package_name)
        .where('first_seen_at', '=', gone.first_seen_at)
        .execute()
    }
    if (appeared.length > 0) {
      await trx
        .insertInto('trend_security_exposures')
        .values(appeared.map((name) => ({ host_id: report.hostId, package_name: name, first_seen_at: at, resolved_at: null })))
        .onConflict((oc) => oc.doNothing())
        .execute()
    }

    const patched = state !== undefined && (report.outdatedCount < state.outdated_packages || resolved.length > 0)
    const lastPatched = patched ? at : (state?.last_patched_at ?? null)
    await trx
      .insertInto('trend_host_states')
      .values({ host_id: report.hostId, outdated_packages: report.outdatedCount, last_patched_at: lastPatched, updated_at: at })
      .onConflict((oc) =>
        oc.column('host_id').doUpdateSet({ outdated_packages: report.outdatedCount, last_patched_at: lastPatched, updated_at: at })
      )
      .execute()
  })
}
