// The prepared statements of the ingest hot path, written with Kysely and compiled once
// (see store/prepared-query.ts for why).
import type Database from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { param, PreparedQuery } from '../store/prepared-query.js'

export interface StoredHostPackage {
  package_id: string
  current_version: string
  available_version: string | null
  needs_update: number
  is_security_update: number
  source_name: string | null
}

export interface StoredHostRepository {
  repository_id: string
  is_enabled: number
  name: string
  is_secure: number
}

/** The shared catalogue row: identity only; name and is_secure are per host (host_repositories). */
export interface StoredRepository {
  id: string
}

export interface IngestHost {
  friendly_name: string
  security_updates: number
  total_repos: number
  package_set_digest: string | null
}

export function ingestStatements(db: Kysely<DB>, sqlite: Database.Database) {
  return {
    host: new PreparedQuery<{ id: string }>(
      sqlite,
      db
        .selectFrom('hosts')
        .select(['friendly_name', 'security_updates', 'total_repos', 'package_set_digest'])
        .where('id', '=', param('id'))
    ),
    hostPackages: new PreparedQuery<{ host_id: string }>(
      sqlite,
      db
        .selectFrom('host_packages')
        .select(['package_id', 'current_version', 'available_version', 'needs_update', 'is_security_update', 'source_name'])
        .where('host_id', '=', param('host_id'))
    ),
    upsertHostPackage: new PreparedQuery<{
      host_id: string
      package_id: string
      current_version: string
      available_version: string | null
      needs_update: number
      is_security_update: number
      source_name: string | null
      last_checked: string
    }>(
      sqlite,
      db
        .insertInto('host_packages')
        .values({
          host_id: param('host_id'),
          package_id: param('package_id'),
          current_version: param('current_version'),
          available_version: param('available_version'),
          needs_update: param('needs_update'),
          is_security_update: param('is_security_update'),
          source_name: param('source_name'),
          last_checked: param('last_checked')
        })
        .onConflict((oc) =>
          oc.columns(['host_id', 'package_id']).doUpdateSet((eb) => ({
            current_version: eb.ref('excluded.current_version'),
            available_version: eb.ref('excluded.available_version'),
            needs_update: eb.ref('excluded.needs_update'),
            is_security_update: eb.ref('excluded.is_security_update'),
            source_name: eb.ref('excluded.source_name'),
            last_checked: eb.ref('excluded.last_checked')
          }))
        )
    ),
    deleteHostPackage: new PreparedQuery<{ host_id: string; package_id: string }>(
      sqlite,
      db.deleteFrom('host_packages').where('host_id', '=', param('host_id')).where('package_id', '=', param('package_id'))
    ),
    hostRepositories: new PreparedQuery<{ host_id: string }>(
      sqlite,
      db
        .selectFrom('host_repositories')
        .select(['repository_id', 'is_enabled', 'name', 'is_secure'])
        .where('host_id', '=', param('host_id'))
    ),
    repositoryByIdentity: new PreparedQuery<{ url: string; distribution: string; components: string; repo_type: string }>(
      sqlite,
      db
        .selectFrom('repositories')
        .select(['id'])
        .where('url', '=', param('url'))
        .where('distribution', '=', param('distribution'))
        .where('components', '=', param('components'))
        .where('repo_type', '=', param('repo_type'))
    ),
    insertRepository: new PreparedQuery<{
      id: string
      name: string
      url: string
      distribution: string
      components: string
      repo_type: string
      is_secure: number
      now: string
    }>(
      sqlite,
      db.insertInto('repositories').values({
        id: param('id'),
        name: param('name'),
        url: param('url'),
        distribution: param('distribution'),
        components: param('components'),
        repo_type: param('repo_type'),
        is_secure: param('is_secure'),
        is_active: 1,
        created_at: param('now'),
        updated_at: param('now')
      })
    ),
    upsertHostRepository: new PreparedQuery<{
      host_id: string
      repository_id: string
      is_enabled: number
      name: string
      is_secure: number
      now: string
    }>(
      sqlite,
      db
        .insertInto('host_repositories')
        .values({
          host_id: param('host_id'),
          repository_id: param('repository_id'),
          is_enabled: param('is_enabled'),
          name: param('name'),
          is_secure: param('is_secure'),
          last_checked: param('now')
        })
        .onConflict((oc) =>
          oc.columns(['host_id', 'repository_id']).doUpdateSet((eb) => ({
            is_enabled: eb.ref('excluded.is_enabled'),
            name: eb.ref('excluded.name'),
            is_secure: eb.ref('excluded.is_secure'),
            last_checked: eb.ref('excluded.last_checked')
          }))
        )
    ),
    deleteHostRepository: new PreparedQuery<{ host_id: string; repository_id: string }>(
      sqlite,
      db.deleteFrom('host_repositories').where('host_id', '=', param('host_id')).where('repository_id', '=', param('repository_id'))
    ),
    insertHistory: new PreparedQuery<{
      id: string
      host_id: string
      total_packages: number
      outdated_packages: number
      security_updates: number
      payload_kb: number
      execution_time_seconds: number | null
      created_at: string
    }>(
      sqlite,
      db.insertInto('report_history').values({
        id: param('id'),
        host_id: param('host_id'),
        status: 'success',
        total_packages: param('total_packages'),
        outdated_packages: param('outdated_packages'),
        security_updates: param('security_updates'),
        payload_kb: param('payload_kb'),
        execution_time_seconds: param('execution_time_seconds'),
        error_message: null,
        created_at: param('created_at')
      })
    ),
    // Keeps the newest `keep` rows of a host: deletes those older than its keep-th newest row.
    trimHistory: new PreparedQuery<{ host_id: string; offset: number }>(
      sqlite,
      db
        .deleteFrom('report_history')
        .where('host_id', '=', param('host_id'))
        .where('created_at', '<', (eb) =>
          eb
            .selectFrom('report_history')
            .select('created_at')
            .where('host_id', '=', param('host_id'))
            .orderBy('created_at', 'desc')
            .limit(1)
            .offset(param('offset'))
        )
    )
  }
}

export type IngestStatements = ReturnType<typeof ingestStatements>
