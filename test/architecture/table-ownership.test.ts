// One owner per table (ARCHITECTURE.md, issue 16): every table of the migrated schema belongs to
// one feature folder, and only that folder's code names it in a query: Kysely's
// selectFrom/insertInto/updateTable/deleteFrom/replaceInto/joins, or raw SQL (from/join/into/update
// <table>). Other folders call the owner's exported functions. A new table must be given an owner
// here; a new reference outside the owner fails with its file:line.
import t from 'tap'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { buildTestApp } from '../helpers/test-app.js'

const SRC = join(__dirname, '..', '..', 'src')

/** Table -> the folder under src/ that owns it. */
const OWNERS: Record<string, string> = {
  hosts: 'hosts',
  host_groups: 'hosts',
  host_group_memberships: 'hosts',
  packages: 'hosts',
  host_packages: 'hosts',
  repositories: 'hosts',
  host_repositories: 'hosts',
  report_history: 'hosts',
  fleet_host_totals: 'hosts',
  report_success_hours: 'hosts',
  agent_jobs: 'agent',
  docker_containers: 'agent',
  docker_images: 'agent',
  docker_networks: 'agent',
  docker_volumes: 'agent',
  docker_container_events: 'agent',
  docker_integration_hosts: 'agent',
  auto_enrollment_tokens: 'integration-tokens',
  users: 'users',
  roles: 'users',
  user_sessions: 'users',
  user_host_groups: 'users',
  role_host_groups: 'users',
  discord_login_settings: 'discord-login',
  oidc_settings: 'oidc',
  notification_destinations: 'notifications',
  notification_routes: 'notifications',
  notification_deliveries: 'notifications',
  host_alert_states: 'notifications',
  event_outbox: 'events',
  scheduled_reports: 'reports',
  settings: 'settings',
  patch_holds: 'patching',
  patch_windows: 'patching',
  patch_schedules: 'patching',
  patch_reboot_exemptions: 'patching',
  patch_bulk_batches: 'patching',
  patch_bulk_items: 'patching',
  patch_runs: 'patching',
  patch_policies: 'patching',
  patch_policy_assignments: 'patching',
  patch_policy_exclusions: 'patching',
  patch_audit: 'patching',
  audit_log: 'audit',
  trend_host_days: 'trends',
  trend_fleet_days: 'trends',
  trend_host_states: 'trends',
  trend_security_exposures: 'trends',
  vulnerability_advisories: 'vulnerabilities',
  vulnerability_advisory_cves: 'vulnerabilities',
  vulnerability_affected: 'vulnerabilities',
  vulnerability_known_exploited: 'vulnerabilities',
  vulnerability_imports: 'vulnerabilities',
  host_vulnerabilities: 'vulnerabilities',
  vulnerability_notices: 'vulnerabilities',
  kysely_migration: 'store',
  kysely_migration_lock: 'store'
}

/** Folders that may name any table: the store opens, migrates and checks the whole schema. */
const ANY_TABLE = new Set(['store'])

/** Not the live store: backup/ checks a backup file's own migration table before restoring it. */
const EXEMPT = [{ file: 'backup/backup-file.ts', table: 'kysely_migration' }]

const KYSELY =
  /\b(?:selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto|innerJoin|leftJoin|rightJoin|fullJoin|crossJoin)\(\s*['"`]([a-z_]+)\b/g
const RAW = /\b(?:from|join|into|update|table)\s+["`]?([a-z_]+)\b/gi

function sourceFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path))
    else if (/\.tsx?$/.test(name)) out.push(path)
  }
  return out
}

/** Comments out, strings kept: prose in comments ("read from hosts") is not a query. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/(^|\s)\/\/.*$/gm, '$1')
}

export interface Reference {
  file: string
  line: number
  table: string
}

function references(tables: Set<string>): Reference[] {
  const found: Reference[] = []
  for (const path of sourceFiles(SRC)) {
    const file = relative(SRC, path)
    if (file.startsWith('dashboard/ui/')) continue // browser code: no database
    const lines = withoutComments(readFileSync(path, 'utf8')).split('\n')
    lines.forEach((text, i) => {
      const seen = new Set<string>()
      for (const re of [KYSELY, RAW]) {
        for (const m of text.matchAll(re)) {
          const table = (m[1] as string).toLowerCase()
          if (tables.has(table) && !seen.has(table)) {
            seen.add(table)
            found.push({ file, line: i + 1, table })
          }
        }
      }
    })
  }
  return found
}

const folderOf = (file: string) => (file.includes('/') ? (file.split('/')[0] as string) : '')

t.test('every table has one owner and is named only by its owner', async (t) => {
  const ctx = await buildTestApp(t)
  const tables = (
    ctx.store.sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as { name: string }[]
  ).map((r) => r.name)
  t.same(
    tables.filter((name) => !(name in OWNERS)),
    [],
    'every migrated table has an owner in OWNERS'
  )

  const refs = references(new Set(tables))
  const outside = refs.filter(
    (r) =>
      !ANY_TABLE.has(folderOf(r.file)) &&
      folderOf(r.file) !== OWNERS[r.table] &&
      !EXEMPT.some((e) => e.file === r.file && e.table === r.table)
  )
  const found = outside.map((r) => `src/${r.file}:${r.line} names ${r.table} (owner: ${OWNERS[r.table]}/)`)
  t.same(found, [], 'no query names a table outside its owner')
})

t.test('the scanner sees Kysely calls, joins and raw SQL, and ignores comments', async (t) => {
  const text = withoutComments(
    [
      "db.selectFrom('hosts as h').innerJoin('host_groups as g', 'g.id', 'h.id')",
      "sqlite.prepare('select count(*) from packages p join host_packages hp on 1')",
      '// read from users, never from roles',
      "trx.deleteFrom('report_history')"
    ].join('\n')
  )
  const hits = [...text.matchAll(KYSELY), ...text.matchAll(RAW)].map((m) => m[1])
  t.same(new Set(hits), new Set(['hosts', 'host_groups', 'packages', 'host_packages', 'report_history']))
})

/** Folders whose route files already hold no queries (the other folders follow in their reshape). */
const THIN_ROUTE_FOLDERS = [
  'hosts',
  'agent',
  'enrollment',
  'homepage',
  'metrics',
  'integration-api',
  'users',
  'discord-login',
  'oidc',
  'integration-tokens',
  'notifications',
  'settings',
  'reports'
]

t.test('route files of the reshaped features hold no queries: they call services and query modules', async (t) => {
  const tables = new Set(Object.keys(OWNERS))
  const inRoutes = references(tables)
    .filter((r) => THIN_ROUTE_FOLDERS.includes(folderOf(r.file)) && /-routes\.ts$/.test(r.file))
    .map((r) => `src/${r.file}:${r.line} names ${r.table}`)
  t.same(inRoutes, [], 'no table named in a route file')
})
