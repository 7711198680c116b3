// The prepared statements of the feed import, written with Kysely and compiled once (see
// store/prepared-query.ts for why: an OSV dump is tens of thousands of advisories).
import type Database from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { param, PreparedQuery } from '../store/prepared-query.js'

export function importStatements(db: Kysely<DB>, sqlite: Database.Database) {
  return {
    advisoryDigest: new PreparedQuery<{ id: string }>(
      sqlite,
      db.selectFrom('vulnerability_advisories').select('content_digest').where('id', '=', param('id'))
    ),
    upsertAdvisory: new PreparedQuery(
      sqlite,
      db
        .insertInto('vulnerability_advisories')
        .values({
          id: param('id'),
          feed: param('feed'),
          advisory_id: param('advisory_id'),
          cve_ids: param('cve_ids'),
          summary: param('summary'),
          severity: param('severity'),
          cvss_score: param('cvss_score'),
          cvss_vector: param('cvss_vector'),
          published: param('published'),
          modified: param('modified'),
          content_digest: param('content_digest'),
          imported_at: param('imported_at')
        })
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            cve_ids: eb.ref('excluded.cve_ids'),
            summary: eb.ref('excluded.summary'),
            severity: eb.ref('excluded.severity'),
            cvss_score: eb.ref('excluded.cvss_score'),
            cvss_vector: eb.ref('excluded.cvss_vector'),
            published: eb.ref('excluded.published'),
            modified: eb.ref('excluded.modified'),
            content_digest: eb.ref('excluded.content_digest'),
            imported_at: eb.ref('excluded.imported_at')
          }))
        )
    ),
    deleteCves: new PreparedQuery<{ advisory_id: string }>(
      sqlite,
      db.deleteFrom('vulnerability_advisory_cves').where('advisory_id', '=', param('advisory_id'))
    ),
    insertCve: new PreparedQuery(
      sqlite,
      db
        .insertInto('vulnerability_advisory_cves')
        .values({ advisory_id: param('advisory_id'), cve_id: param('cve_id') })
        .onConflict((oc) => oc.doNothing())
    ),
    deleteAffected: new PreparedQuery<{ advisory_id: string }>(
      sqlite,
      db.deleteFrom('vulnerability_affected').where('advisory_id', '=', param('advisory_id'))
    ),
    insertAffected: new PreparedQuery(
      sqlite,
      db.insertInto('vulnerability_affected').values({
        advisory_id: param('advisory_id'),
        distro: param('distro'),
        release: param('release'),
        package_name: param('package_name'),
        name_kind: param('name_kind'),
        ranges: param('ranges'),
        versions: param('versions'),
        severity: param('severity')
      })
    ),
    exploitedDigest: new PreparedQuery<{ cve_id: string }>(
      sqlite,
      db.selectFrom('vulnerability_known_exploited').select('content_digest').where('cve_id', '=', param('cve_id'))
    ),
    upsertExploited: new PreparedQuery(
      sqlite,
      db
        .insertInto('vulnerability_known_exploited')
        .values({
          cve_id: param('cve_id'),
          vendor: param('vendor'),
          product: param('product'),
          name: param('name'),
          date_added: param('date_added'),
          due_date: param('due_date'),
          known_ransomware_use: param('known_ransomware_use'),
          content_digest: param('content_digest'),
          imported_at: param('imported_at')
        })
        .onConflict((oc) =>
          oc.column('cve_id').doUpdateSet((eb) => ({
            vendor: eb.ref('excluded.vendor'),
            product: eb.ref('excluded.product'),
            name: eb.ref('excluded.name'),
            date_added: eb.ref('excluded.date_added'),
            due_date: eb.ref('excluded.due_date'),
            known_ransomware_use: eb.ref('excluded.known_ransomware_use'),
            content_digest: eb.ref('excluded.content_digest'),
            imported_at: eb.ref('excluded.imported_at')
          }))
        )
    )
  }
}

export type ImportStatements = ReturnType<typeof importStatements>
