// The source package a host's installed package was built from (Debian `libssl3` from `openssl`,
// RPM `openssl-libs` from `openssl`), as the agent reports it. Debian, Ubuntu and the OSV feeds for
// Alpine and the RHEL family name source packages, so the vulnerability matcher needs it to see a
// binary package named differently from its source. NULL = not reported (the upstream agents never
// send it): the matcher then falls back to the binary name.
import type { Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- schema builders do not need table types
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('host_packages').addColumn('source_name', 'text').execute()
}
