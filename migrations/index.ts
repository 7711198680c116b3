// Static list of migrations: a single executable has no folder to scan. Kysely runs them in key
// order, so keys are zero-padded. test/store/migrations.test.ts checks every file is listed here.
import type { Migration } from 'kysely'
import * as m0001 from './0001_initial.js'
import * as m0002 from './0002_host_list_indexes.js'
import * as m0004 from './0004_agent_jobs_and_docker.js'
import * as m0005 from './0005_notifications.js'
import * as m0007 from './0007_signin.js'
import * as m0008 from './0008_event_outbox.js'
import * as m0009 from './0009_host_repository_attributes.js'
import * as m0012 from './0012_must_change_password.js'
import * as m0013 from './0013_patching_runs.js'
import * as m0014 from './0014_patching_schedules.js'
import * as m0015 from './0015_host_digests.js'
import * as m0017 from './0017_oidc.js'
import * as m0018 from './0018_access_scopes.js'
import * as m0019 from './0019_audit_and_sessions.js'
import * as m0021 from './0021_fleet_counters.js'
import * as m0022 from './0022_vulnerabilities.js'
import * as m0023 from './0023_trends.js'
import * as m0024 from './0024_docker_updates_and_history.js'
import * as m0028 from './0028_token_secret_digest.js'
import * as m0029 from './0029_host_package_source_name.js'
import * as m0030 from './0030_homepage_counters.js'

export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_host_list_indexes': m0002,
  '0004_agent_jobs_and_docker': m0004,
  '0005_notifications': m0005,
  '0007_signin': m0007,
  '0008_event_outbox': m0008,
  '0009_host_repository_attributes': m0009,
  '0012_must_change_password': m0012,
  '0013_patching_runs': m0013,
  '0014_patching_schedules': m0014,
  '0015_host_digests': m0015,
  '0017_oidc': m0017,
  '0018_access_scopes': m0018,
  '0019_audit_and_sessions': m0019,
  '0021_fleet_counters': m0021,
  '0022_vulnerabilities': m0022,
  '0023_trends': m0023,
  '0024_docker_updates_and_history': m0024,
  '0028_token_secret_digest': m0028,
  '0029_host_package_source_name': m0029,
  '0030_homepage_counters': m0030
}
