// Maintained counts for gethomepage's stats (issue 22), so a request reads a few rows however
// many hosts and reports there are:
// - fleet_host_totals gains hosts without package data (total_packages = 0) and hosts with package
//   data and nothing outdated. With them the stats read the totals and subtract the pending hosts
//   (an index lookup, usually none) instead of aggregating over every host row per request. The
//   three hosts triggers of 0021 are replaced by the same triggers with the two new sums, and the
//   update trigger also watches total_packages.
// - report_success_hours: successful reports per UTC hour of created_at ('YYYY-MM-DDTHH'), for
//   "successful reports in the last 24 hours": 5,000 hosts reporting hourly write 120,000 rows a
//   day, and counting them per request cost ~26 ms; whole hours now come from at most 25 counter
//   rows and only the oldest, partial hour is counted from report_history. Empty hours are deleted,
//   so retention keeps this table as short as report_history's span.
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

  await db.schema
    .createTable('report_success_hours')
    .addColumn('hour', 'text', (c) => c.primaryKey())
    .addColumn('successes', 'integer', (c) => c.notNull())
    .modifyEnd(sql`without rowid`)
    .execute()
  await sql`INSERT INTO report_success_hours (hour, successes)
    SELECT substr(created_at, 1, 13), count(*) FROM report_history WHERE status = 'success' GROUP BY 1`.execute(db)
  const add = (r: 'NEW') =>
    `INSERT INTO report_success_hours (hour, successes) VALUES (substr(${r}.created_at, 1, 13), 1)
     ON CONFLICT (hour) DO UPDATE SET successes = successes + 1;`
  const remove = (r: 'OLD') =>
    `UPDATE report_success_hours SET successes = successes - 1 WHERE hour = substr(${r}.created_at, 1, 13);
     DELETE FROM report_success_hours WHERE hour = substr(${r}.created_at, 1, 13) AND successes <= 0;`
  await sql
    .raw(`CREATE TRIGGER report_success_hours_insert AFTER INSERT ON report_history WHEN NEW.status = 'success' BEGIN ${add('NEW')} END`)
    .execute(db)
  await sql
    .raw(`CREATE TRIGGER report_success_hours_delete AFTER DELETE ON report_history WHEN OLD.status = 'success' BEGIN ${remove('OLD')} END`)
    .execute(db)
  await sql
    .raw(
      `CREATE TRIGGER report_success_hours_update_old AFTER UPDATE OF status, created_at ON report_history
    WHEN OLD.status = 'success' AND (NEW.status IS NOT 'success' OR OLD.created_at IS NOT NEW.created_at) BEGIN ${remove('OLD')} END`
    )
    .execute(db)
  await sql
    .raw(
      `CREATE TRIGGER report_success_hours_update_new AFTER UPDATE OF status, created_at ON report_history
    WHEN NEW.status = 'success' AND (OLD.status IS NOT 'success' OR OLD.created_at IS NOT NEW.created_at) BEGIN ${add('NEW')} END`
    )
    .execute(db)
}
