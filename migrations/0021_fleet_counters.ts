// Maintained counters for the fleet-wide reads (issue 22 part 3), so the fleet package view and
// the dashboard overview read a handful of rows however many hosts and package rows there are:
// - packages.host_count / hosts_needing_update / hosts_needing_security_update: per package, the
//   same sums the package view used to aggregate over host_packages on every call;
// - fleet_host_totals: one row with the overview's sums over hosts.
// Triggers keep them in step inside the writing statement's own transaction, whoever writes
// (report ingestion, host deletion and its cascades, package clean-up, imports, restores), so
// they cannot drift from the rows they count; the backfill below makes them exact on upgrade.
// The indexes answer the overview's status counts and OS breakdown from index entries alone.
import { sql, type Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations do not need table types
type AnyDb = Kysely<any>

/** The per-package contributions of one host_packages row (r = NEW or OLD), as in the old aggregate. */
const packageDelta = (r: 'NEW' | 'OLD', sign: '+' | '-') =>
  `host_count = host_count ${sign} 1,
   hosts_needing_update = hosts_needing_update ${sign} ${r}.needs_update,
   hosts_needing_security_update = hosts_needing_security_update ${sign} ${r}.needs_update * ${r}.is_security_update`

/** The fleet-total contributions of one hosts row. */
const hostDelta = (r: 'NEW' | 'OLD', sign: '+' | '-') =>
  `hosts = hosts ${sign} 1,
   hosts_needing_updates = hosts_needing_updates ${sign} (CASE WHEN ${r}.outdated_packages > 0 THEN 1 ELSE 0 END),
   hosts_with_security = hosts_with_security ${sign} (CASE WHEN ${r}.security_updates > 0 THEN 1 ELSE 0 END),
   outdated_packages = outdated_packages ${sign} ${r}.outdated_packages,
   security_updates = security_updates ${sign} ${r}.security_updates,
   hosts_needing_reboot = hosts_needing_reboot ${sign} (CASE WHEN ${r}.needs_reboot = 1 THEN 1 ELSE 0 END)`

export async function up(db: AnyDb): Promise<void> {
  for (const column of ['host_count', 'hosts_needing_update', 'hosts_needing_security_update'])
    await db.schema
      .alterTable('packages')
      .addColumn(column, 'integer', (c) => c.notNull().defaultTo(0))
      .execute()
  await sql`UPDATE packages SET
      host_count = (SELECT count(*) FROM host_packages hp WHERE hp.package_id = packages.id),
      hosts_needing_update = coalesce((SELECT sum(hp.needs_update) FROM host_packages hp WHERE hp.package_id = packages.id), 0),
      hosts_needing_security_update = coalesce((SELECT sum(hp.needs_update * hp.is_security_update) FROM host_packages hp WHERE hp.package_id = packages.id), 0)`.execute(
    db
  )
  // The package view's order: most hosts needing a security update, then an update, then by name.
  await sql`CREATE INDEX packages_fleet_order ON packages (hosts_needing_security_update DESC, hosts_needing_update DESC, name)`.execute(db)
  // Most rows need no update: their triggers touch host_count only, which is in no index, so the
  // packages_fleet_order index entry is rewritten only when an update count really moves.
  for (const [event, r, sign] of [
    ['INSERT', 'NEW', '+'],
    ['DELETE', 'OLD', '-']
  ] as const) {
    const name = `host_packages_count_${event.toLowerCase()}`
    await sql
      .raw(
        `CREATE TRIGGER ${name} AFTER ${event} ON host_packages WHEN ${r}.needs_update = 0 BEGIN
      UPDATE packages SET host_count = host_count ${sign} 1 WHERE id = ${r}.package_id; END`
      )
      .execute(db)
    await sql
      .raw(
        `CREATE TRIGGER ${name}_needing_update AFTER ${event} ON host_packages WHEN ${r}.needs_update <> 0 BEGIN
      UPDATE packages SET ${packageDelta(r, sign)} WHERE id = ${r}.package_id; END`
      )
      .execute(db)
  }
  await sql
    .raw(
      `CREATE TRIGGER host_packages_count_update AFTER UPDATE OF package_id, needs_update, is_security_update ON host_packages
    WHEN OLD.package_id IS NOT NEW.package_id OR OLD.needs_update IS NOT NEW.needs_update OR OLD.is_security_update IS NOT NEW.is_security_update
    BEGIN
    UPDATE packages SET ${packageDelta('OLD', '-')} WHERE id = OLD.package_id;
    UPDATE packages SET ${packageDelta('NEW', '+')} WHERE id = NEW.package_id; END`
    )
    .execute(db)

  await db.schema
    .createTable('fleet_host_totals')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('hosts', 'integer', (c) => c.notNull())
    .addColumn('hosts_needing_updates', 'integer', (c) => c.notNull())
    .addColumn('hosts_with_security', 'integer', (c) => c.notNull())
    .addColumn('outdated_packages', 'integer', (c) => c.notNull())
    .addColumn('security_updates', 'integer', (c) => c.notNull())
    .addColumn('hosts_needing_reboot', 'integer', (c) => c.notNull())
    .execute()
  await sql`INSERT INTO fleet_host_totals SELECT 1, count(*),
      coalesce(sum(CASE WHEN outdated_packages > 0 THEN 1 ELSE 0 END), 0),
      coalesce(sum(CASE WHEN security_updates > 0 THEN 1 ELSE 0 END), 0),
      coalesce(sum(outdated_packages), 0), coalesce(sum(security_updates), 0),
      coalesce(sum(CASE WHEN needs_reboot = 1 THEN 1 ELSE 0 END), 0) FROM hosts`.execute(db)
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
  await sql
    .raw(
      `CREATE TRIGGER hosts_totals_update AFTER UPDATE OF outdated_packages, security_updates, needs_reboot ON hosts
    WHEN OLD.outdated_packages IS NOT NEW.outdated_packages OR OLD.security_updates IS NOT NEW.security_updates OR OLD.needs_reboot IS NOT NEW.needs_reboot
    BEGIN
    UPDATE fleet_host_totals SET ${hostDelta('OLD', '-')} WHERE id = 1;
    UPDATE fleet_host_totals SET ${hostDelta('NEW', '+')} WHERE id = 1; END`
    )
    .execute(db)

  // Status counts are ranges of (last_update, status); this index replaces the last_update one
  // (same order for the host list's sort) and covers the inactive count.
  await db.schema.dropIndex('hosts_last_update').execute()
  await db.schema.createIndex('hosts_last_update_status').on('hosts').columns(['last_update', 'status']).execute()
  await db.schema.createIndex('hosts_os').on('hosts').columns(['os_type', 'os_version']).execute()
}
