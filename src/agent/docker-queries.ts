// The Docker inventory as the dashboard reads it: containers and images across the fleet or of one
// host, with filters and counts, always within the signed-in user's host scope (inHostScope), so
// a user limited to some host groups counts and lists their hosts' containers only.
import { sql, type Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { inHostScope } from '../hosts/host-scope.js'
import { containsText } from '../hosts/text-search.js'

/** Container states that count as "stopped" (everything else but running shows unfiltered only). */
export const STOPPED_CONTAINER_STATES = ['exited', 'dead', 'stopped', 'created']

export interface ContainerFilter {
  hostId?: string | undefined
  state?: 'running' | 'stopped' | undefined
  updatesOnly?: boolean | undefined
  search?: string | undefined
  limit: number
  offset: number
}

/** Containers, stopped ones first (they are what needs a look), then by name; with the filtered total. */
export async function containersPage(db: Kysely<DB>, filter: ContainerFilter) {
  const base = () => {
    let q = db.selectFrom('docker_containers as c').where(inHostScope('c.host_id'))
    if (filter.hostId) q = q.where('c.host_id', '=', filter.hostId)
    if (filter.state === 'running') q = q.where('c.state', '=', 'running')
    if (filter.state === 'stopped') q = q.where('c.state', 'in', STOPPED_CONTAINER_STATES)
    if (filter.updatesOnly) q = q.where('c.update_available', '=', 1)
    const search = filter.search?.trim()
    if (search) q = q.where((eb) => eb.or([containsText(eb.ref('c.name'), search), containsText(eb.ref('c.image'), search)]))
    return q
  }
  const rows = await base()
    .select([
      'c.host_id',
      'c.container_id',
      'c.name',
      'c.image',
      'c.image_id',
      'c.state',
      'c.status',
      'c.update_available',
      'c.available_tag',
      'c.updated_at'
    ])
    .orderBy(sql`case when c.state = 'running' then 1 else 0 end`)
    .orderBy('c.name')
    .orderBy('c.host_id')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute()
  const count = await base()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return { rows: rows.map((r) => ({ ...r, update_available: r.update_available === 1 })), total: Number(count.n) }
}

export interface ImageFilter {
  hostId?: string | undefined
  updatesOnly?: boolean | undefined
  search?: string | undefined
  limit: number
  offset: number
}

/**
 * Images grouped by name (repository:tag) across the hosts in scope: how many hosts have it, how
 * many containers use it (by image id, or by name for containers that name it), whether any host
 * has an update for it. Updates first, then most hosts.
 */
export async function imagesPage(db: Kysely<DB>, filter: ImageFilter) {
  const base = () => {
    let q = db.selectFrom('docker_images as i').where(inHostScope('i.host_id'))
    if (filter.hostId) q = q.where('i.host_id', '=', filter.hostId)
    const search = filter.search?.trim()
    if (search) q = q.where((eb) => containsText(eb.ref('i.name'), search))
    return q
  }
  const grouped = () => {
    let q = base().groupBy('i.name')
    if (filter.updatesOnly) q = q.having((eb) => eb.fn.max('i.update_available'), '=', 1)
    return q
  }
  const containerScope = filter.hostId ? sql`and c.host_id = ${filter.hostId}` : sql``
  const rows = await grouped()
    .select((eb) => [
      'i.name',
      eb.fn.max('i.repository').as('repository'),
      eb.fn.max('i.tag').as('tag'),
      eb.fn.count<number>('i.host_id').distinct().as('host_count'),
      eb.fn.max('i.update_available').as('update_available'),
      eb.fn.max('i.available_tag').as('available_tag'),
      eb.fn.max('i.size_bytes').as('size_bytes'),
      sql<number>`(select count(*) from docker_containers c
        where ${inHostScope('c.host_id')} ${containerScope}
        and (c.image = i.name or c.image_id in (select i2.object_id from docker_images i2 where i2.name = i.name and i2.host_id = c.host_id)))`.as(
        'container_count'
      )
    ])
    .orderBy(sql`max(i.update_available)`, 'desc')
    .orderBy(sql`count(distinct i.host_id)`, 'desc')
    .orderBy('i.name')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute()
  const count = await db
    .selectFrom(grouped().select('i.name').as('g'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return {
    rows: rows.map((r) => ({
      name: r.name,
      repository: r.repository ?? '',
      tag: r.tag ?? '',
      host_count: Number(r.host_count),
      container_count: Number(r.container_count),
      update_available: Number(r.update_available) === 1,
      available_tag: r.available_tag ?? null,
      size_bytes: r.size_bytes === null ? null : Number(r.size_bytes)
    })),
    total: Number(count.n)
  }
}

/** Counts for the Docker screen's header (or one host's tab), within the user's host scope. */
export async function dockerCounts(db: Kysely<DB>, hostId?: string) {
  const containers = await db
    .selectFrom('docker_containers as c')
    .where(inHostScope('c.host_id'))
    .$if(hostId !== undefined, (q) => q.where('c.host_id', '=', hostId ?? ''))
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      sql<number>`coalesce(sum(case when c.state = 'running' then 1 else 0 end), 0)`.as('running'),
      sql<number>`coalesce(sum(case when c.state in (${sql.join(STOPPED_CONTAINER_STATES)}) then 1 else 0 end), 0)`.as('stopped'),
      sql<number>`coalesce(sum(c.update_available), 0)`.as('updates')
    ])
    .executeTakeFirstOrThrow()
  const images = await db
    .selectFrom('docker_images as i')
    .where(inHostScope('i.host_id'))
    .$if(hostId !== undefined, (q) => q.where('i.host_id', '=', hostId ?? ''))
    .select((eb) => [
      eb.fn.count<number>('i.name').distinct().as('total'),
      sql<number>`count(distinct case when i.update_available = 1 then i.name end)`.as('updates')
    ])
    .executeTakeFirstOrThrow()
  const hosts = await db
    .selectFrom(db.selectFrom('docker_containers').select('host_id').union(db.selectFrom('docker_images').select('host_id')).as('d'))
    .where(inHostScope('d.host_id'))
    .$if(hostId !== undefined, (q) => q.where('d.host_id', '=', hostId ?? ''))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return {
    hosts_with_docker: Number(hosts.n),
    containers: Number(containers.total),
    running: Number(containers.running),
    stopped: Number(containers.stopped),
    containers_with_updates: Number(containers.updates),
    images: Number(images.total),
    images_with_updates: Number(images.updates)
  }
}
