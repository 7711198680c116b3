// Repositories across the fleet (issue 20 part 4): each catalogue row with the hosts in the user's
// scope that use it, insecure ones flagged (repository-security.ts). A repository no host in scope
// uses is not listed, so counts are over the user's hosts only.
import { sql, type Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { inHostScope } from './host-scope.js'
import { containsText } from './text-search.js'
import { insecureRepositoryUrl, isInsecureRepositoryUrl } from './repository-security.js'

export interface FleetRepositoryFilter {
  search?: string | undefined
  insecureOnly?: boolean | undefined
  limit: number
  offset: number
}

/** Insecure first, then most hosts, then URL; with the filtered total and the unfiltered counts. */
export async function fleetRepositoriesPage(db: Kysely<DB>, filter: FleetRepositoryFilter) {
  const base = () =>
    db.selectFrom('repositories as r').innerJoin('host_repositories as hr', 'hr.repository_id', 'r.id').where(inHostScope('hr.host_id'))
  const filtered = () => {
    let q = base()
    const search = filter.search?.trim()
    if (search)
      q = q.where((eb) =>
        eb.or([
          containsText(eb.ref('r.url'), search),
          containsText(eb.ref('r.distribution'), search),
          containsText(eb.ref('r.components'), search),
          containsText(eb.ref('hr.name'), search)
        ])
      )
    if (filter.insecureOnly) q = q.where(insecureRepositoryUrl('r.url'))
    return q
  }
  const rows = await filtered()
    .select((eb) => [
      'r.id',
      'r.name',
      'r.url',
      'r.distribution',
      'r.components',
      'r.repo_type',
      eb.fn.count<number>('hr.host_id').distinct().as('host_count'),
      sql<number>`sum(hr.is_enabled)`.as('enabled_host_count')
    ])
    .groupBy('r.id')
    .orderBy(sql`${insecureRepositoryUrl('r.url')}`, 'desc')
    .orderBy(sql`count(distinct hr.host_id)`, 'desc')
    .orderBy('r.url')
    .orderBy('r.distribution')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute()
  const total = await filtered()
    .select((eb) => eb.fn.count<number>('r.id').distinct().as('n'))
    .executeTakeFirstOrThrow()
  const counts = await base()
    .select((eb) => [
      eb.fn.count<number>('r.id').distinct().as('repositories'),
      sql<number>`count(distinct case when ${insecureRepositoryUrl('r.url')} then r.id end)`.as('insecure'),
      sql<number>`count(distinct case when ${insecureRepositoryUrl('r.url')} then hr.host_id end)`.as('hosts_with_insecure')
    ])
    .executeTakeFirstOrThrow()
  return {
    repositories: rows.map((r) => ({
      ...r,
      host_count: Number(r.host_count),
      enabled_host_count: Number(r.enabled_host_count ?? 0),
      insecure: isInsecureRepositoryUrl(r.url)
    })),
    total: Number(total.n),
    counts: {
      repositories: Number(counts.repositories),
      insecure: Number(counts.insecure),
      hosts_with_insecure: Number(counts.hosts_with_insecure)
    }
  }
}

/** One repository and the hosts in scope using it; undefined when no host in scope does. */
export async function repositoryHosts(db: Kysely<DB>, repositoryId: string) {
  const rows = await db
    .selectFrom('host_repositories as hr')
    .innerJoin('repositories as r', 'r.id', 'hr.repository_id')
    .innerJoin('hosts as h', 'h.id', 'hr.host_id')
    .where('hr.repository_id', '=', repositoryId)
    .where(inHostScope('hr.host_id'))
    .select([
      'r.id as repository_id',
      'r.name as repository_name',
      'r.url',
      'r.distribution',
      'r.components',
      'r.repo_type',
      'h.id',
      'h.friendly_name',
      'h.hostname',
      'hr.name',
      'hr.is_enabled',
      'hr.is_secure',
      'hr.last_checked'
    ])
    .orderBy('h.friendly_name')
    .execute()
  const first = rows[0]
  if (!first) return undefined
  return {
    repository: {
      id: first.repository_id,
      name: first.repository_name,
      url: first.url,
      distribution: first.distribution,
      components: first.components,
      repo_type: first.repo_type,
      host_count: rows.length,
      insecure: isInsecureRepositoryUrl(first.url)
    },
    hosts: rows.map((r) => ({
      id: r.id,
      friendly_name: r.friendly_name,
      hostname: r.hostname,
      name: r.name,
      is_enabled: r.is_enabled === 1,
      is_secure: r.is_secure === 1,
      last_checked: r.last_checked
    }))
  }
}
