// Two more maintained fleet totals for gethomepage's stats (issue 22): hosts without package data
// (total_packages = 0) and hosts with package data and nothing outdated. With them the stats read
// fleet_host_totals and subtract the pending hosts (an index lookup, usually none) instead of
// aggregating over every host row per request. The three hosts triggers of 0021 are replaced by
// the same triggers with the two new sums, and the update trigger also watches total_packages.
import { sql, type Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations do not need table types
type AnyDb = Kysely<any>

/** The fleet-total contributions of one hosts row (0021's list plus the two new sums). */
const hostDelta = (r: 'NEW' | 'OLD', sign: '+' | '-') =>
  `hosts = hosts ${sign} 1,
   hosts_needing_updates = hosts_needing_updates ${sign} (CASE WHEN ${r}.outdated_packages > 0 THEN 1 ELSE 0 END),
   hosts_with_security = hosts_with_security ${sign} (CASE WHEN ${r}.security_updates > 0 THEN 1 ELSE 0 END),
   outdated_packages = outdated_packages ${sign} ${r}.outdated_packages,
   security_updates = security_updates ${sign} ${r}.security_updates,
   hosts_needing_reboot = hosts_needing_reboot ${sign} (CASE WHEN ${r}.needs_reboot = 1 THEN 1 ELSE 0 END),
   hosts_awaiting_data = hosts_awaiting_data ${sign} (CASE WHEN ${r}.total_packages = 0 THEN 1 ELSE 0 END),
   hosts_up_to_date = hosts_up_to_date ${sign} (CASE WHEN ${r}.total_packages > 0 AND ${r}.outdated_packages = 0 THEN 1 ELSE 0 END)`

export async function up(db: AnyDb): Promise<void> {
  for (const column of ['hosts_awaiting_data', 'hosts_up_to_date'])
    await db.schema
      .alterTable('fleet_host_totals')
      .addColumn(column, 'integer', (c) => c.notNull().defaultTo(0))
      .execute()
  await sql`UPDATE fleet_host_totals SET
      hosts_awaiting_data = (SELECT count(*) FROM hosts WHERE total_packages = 0),
      hosts_up_to_date = (SELECT count(*) FROM hosts WHERE total_packages > 0 AND outdated_packages = 0)
    WHERE id = 1`.execute(db)

  for (const name of ['hosts_totals_insert', 'hosts_totals_delete', 'hosts_totals_update'])
    await sql.raw(`DROP TRIGGER ${name}`).execute(db)
  await sql
    .raw(
      `CREATE TRIGGER hosts_totals_insert AFTER INSERT ON hosts BEGIN
    UPDATE fleet_host_totals SET ${hostDelta('NEW', '+')} WHERE id = 1; END`
    )
    .execute(db)
  await sql
    .raw(
      `CREATE TRIGGER hosts_totals_delete AFTER DELETE ON hosts BEGIN
    UPDATE fleet_host_totals SET ${hostDelta('OLD', '-')} WHERE id = 1; END`
    )
    .execute(db)
  // A report that changes none of the counted columns (the usual case) still fires nothing.
  await sql
    .raw(
      `CREATE TRIGGER hosts_totals_update AFTER UPDATE OF outdated_packages, security_updates, needs_reboot, total_packages ON hosts
    WHEN OLD.outdated_packages IS NOT NEW.outdated_packages OR OLD.security_updates IS NOT NEW.security_updates
      OR OLD.needs_reboot IS NOT NEW.needs_reboot OR OLD.total_packages IS NOT NEW.total_packages
    BEGIN
    UPDATE fleet_host_totals SET ${hostDelta('OLD', '-')} WHERE id = 1;
    UPDATE fleet_host_totals SET ${hostDelta('NEW', '+')} WHERE id = 1; END`
    )
    .execute(db)
}
