// Vulnerabilities (issue 20 part 1): advisories imported from offline feeds (OSV, the Debian security
// tracker), the packages they affect per distribution release, CISA's known-exploited list, the import
// history, and the derived exposure of each host (kept current by src/vulnerabilities/). Advisory keys are
// `<feed>/<feed id>`: the same id may come from two feeds with different package names.
import type { Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations do not need table types
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('vulnerability_advisories')
    .addColumn('id', 'text', (c) => c.primaryKey()) // <feed>/<advisory id>, plus /<package> for the Debian tracker (feed-import.ts)
    .addColumn('feed', 'text', (c) => c.notNull()) // osv | debian-tracker
    .addColumn('advisory_id', 'text', (c) => c.notNull())
    .addColumn('cve_ids', 'text', (c) => c.notNull()) // JSON array; searchable copy in vulnerability_advisory_cves
    .addColumn('summary', 'text')
    .addColumn('severity', 'text', (c) => c.notNull()) // critical | high | medium | low | unknown
    .addColumn('cvss_score', 'real')
    .addColumn('cvss_vector', 'text')
    .addColumn('published', 'text')
    .addColumn('modified', 'text')
    // SHA-256 of the normalised record: a re-import with the same digest does no row work.
    .addColumn('content_digest', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('vulnerability_advisory_cves')
    .addColumn('advisory_id', 'text', (c) => c.notNull().references('vulnerability_advisories.id').onDelete('cascade'))
    .addColumn('cve_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('vulnerability_advisory_cves_pk', ['advisory_id', 'cve_id'])
    .execute()
  await db.schema.createIndex('vulnerability_advisory_cves_cve').on('vulnerability_advisory_cves').column('cve_id').execute()

  await db.schema
    .createTable('vulnerability_affected')
    .addColumn('advisory_id', 'text', (c) => c.notNull().references('vulnerability_advisories.id').onDelete('cascade'))
    .addColumn('distro', 'text', (c) => c.notNull())
    .addColumn('release', 'text') // NULL: every release (rolling distributions)
    .addColumn('package_name', 'text', (c) => c.notNull())
    .addColumn('name_kind', 'text', (c) => c.notNull()) // source | binary
    .addColumn('ranges', 'text', (c) => c.notNull()) // JSON AffectedRange[]
    .addColumn('versions', 'text', (c) => c.notNull()) // JSON string[]
    .addColumn('severity', 'text')
    .execute()
  // Matching looks packages up by (distro, package name); the release is filtered after.
  await db.schema.createIndex('vulnerability_affected_package').on('vulnerability_affected').columns(['distro', 'package_name']).execute()
  await db.schema.createIndex('vulnerability_affected_advisory').on('vulnerability_affected').column('advisory_id').execute()

  await db.schema
    .createTable('vulnerability_known_exploited')
    .addColumn('cve_id', 'text', (c) => c.primaryKey())
    .addColumn('vendor', 'text')
    .addColumn('product', 'text')
    .addColumn('name', 'text')
    .addColumn('date_added', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text')
    .addColumn('known_ransomware_use', 'integer')
    .addColumn('content_digest', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('vulnerability_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull()) // file name or URL
    .addColumn('origin', 'text', (c) => c.notNull()) // cli | upload | schedule
    .addColumn('format', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // running | completed | failed
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('records_read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('added', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unchanged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_message', 'text')
    .execute()
  await db.schema.createIndex('vulnerability_imports_started').on('vulnerability_imports').column('started_at').execute()

  await db.schema
    .createTable('host_vulnerabilities')
    .addColumn('host_id', 'text', (c) => c.notNull().references('hosts.id').onDelete('cascade'))
    .addColumn('package_name', 'text', (c) => c.notNull()) // as the host reports it
    .addColumn('cve_id', 'text', (c) => c.notNull()) // the CVE, or the advisory id when it names none
    .addColumn('advisory_id', 'text', (c) => c.notNull())
    .addColumn('installed_version', 'text', (c) => c.notNull())
    .addColumn('available_version', 'text')
    .addColumn('fixed_version', 'text')
    .addColumn('fix_status', 'text', (c) => c.notNull()) // available | not_installable | none
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('cvss_score', 'real')
    .addColumn('known_exploited', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('host_vulnerabilities_pk', ['host_id', 'package_name', 'cve_id'])
    .execute()
  await db.schema.createIndex('host_vulnerabilities_cve').on('host_vulnerabilities').columns(['cve_id', 'host_id']).execute()
  await db.schema.createIndex('host_vulnerabilities_package').on('host_vulnerabilities').columns(['package_name', 'host_id']).execute()
  await db.schema.createIndex('host_vulnerabilities_exploited').on('host_vulnerabilities').columns(['known_exploited', 'cve_id']).execute()

  // One known_exploited_vulnerability notice per (host, CVE), ever: kept when the exposure goes away so a
  // host that flips back and forth is not announced again.
  await db.schema
    .createTable('vulnerability_notices')
    .addColumn('host_id', 'text', (c) => c.notNull().references('hosts.id').onDelete('cascade'))
    .addColumn('cve_id', 'text', (c) => c.notNull())
    .addColumn('notified_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('vulnerability_notices_pk', ['host_id', 'cve_id'])
    .execute()
}
