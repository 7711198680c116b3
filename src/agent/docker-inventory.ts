// Stores the Docker inventory a 2.x agent posts (containers, images, volumes, networks), replacing
// the host's previous inventory in one transaction. In that same transaction a container that was
// running and is now exited/dead/stopped is written twice: to the event outbox (container_stopped
// notifications, emitted after the commit) and to docker_container_events (the history the
// dashboard shows, docker-history.ts), so the history and the notifications never disagree.
import type { Kysely } from 'kysely'
import { hostColumns } from '../hosts/host-queries.js'
import type { DB } from '../store/database-types.js'
import { writeOutbox, type OutboxEntry } from '../events/event-outbox.js'
import { asItems, containerOf, dedupe, imageOf, ImageUpdates, objectOf, str } from './docker-inventory-items.js'
import { recordContainerStops, type ContainerStop } from './docker-history.js'

const STOPPED_STATES = new Set(['exited', 'dead', 'stopped'])

export interface DockerReport {
  containers?: unknown
  images?: unknown
  volumes?: unknown
  networks?: unknown
  updates?: unknown
}

export interface DockerStoreResult {
  containers: number
  images: number
  volumes: number
  networks: number
  /** container_stopped events, written to the outbox in the inventory's transaction: emit after it returns. */
  stopped: Array<OutboxEntry<'container_stopped'>>
}

export async function storeDockerInventory(db: Kysely<DB>, hostId: string, report: DockerReport, now: Date): Promise<DockerStoreResult> {
  const at = now.toISOString()
  const updates = new ImageUpdates(report.updates)
  const containers = dedupe(
    asItems(report.containers).map((i) => containerOf(i, updates)),
    (c) => c.container_id
  )
  const images = dedupe(
    asItems(report.images).map((i) => imageOf(i, updates)),
    (o) => o.object_id
  )
  const volumes = dedupe(
    asItems(report.volumes).map((i) => objectOf(i, ['volume_id', 'name', 'id'], (x) => str(x.name))),
    (o) => o.object_id
  )
  const networks = dedupe(
    asItems(report.networks).map((i) => objectOf(i, ['network_id', 'id', 'name'], (x) => str(x.name))),
    (o) => o.object_id
  )

  const stopped: Array<OutboxEntry<'container_stopped'>> = []
  await db.transaction().execute(async (trx) => {
    const previous = await trx.selectFrom('docker_containers').select(['container_id', 'state']).where('host_id', '=', hostId).execute()
    const before = new Map(previous.map((p) => [p.container_id, p.state]))
    const stops: ContainerStop[] = []
    for (const c of containers) {
      const old = before.get(c.container_id)
      if (old === 'running' && STOPPED_STATES.has(c.state))
        stops.push({ containerId: c.container_id, container: c.name, image: c.image, oldStatus: old, newStatus: c.state })
    }
    if (stops.length > 0) {
      const host = await hostColumns(trx, hostId, ['friendly_name'])
      for (const { containerId: _id, ...stop } of stops)
        stopped.push(await writeOutbox(trx, 'container_stopped', { hostId, hostName: host?.friendly_name ?? hostId, ...stop }, now))
    }
    await recordContainerStops(trx, hostId, stops, now)
    await trx.deleteFrom('docker_containers').where('host_id', '=', hostId).execute()
    for (const c of containers)
      await trx
        .insertInto('docker_containers')
        .values({ host_id: hostId, ...c, updated_at: at })
        .execute()
    await trx.deleteFrom('docker_images').where('host_id', '=', hostId).execute()
    for (const image of images)
      await trx
        .insertInto('docker_images')
        .values({ host_id: hostId, ...image, updated_at: at })
        .execute()
    for (const [table, rows] of [
      ['docker_volumes', volumes],
      ['docker_networks', networks]
    ] as const) {
      await trx.deleteFrom(table).where('host_id', '=', hostId).execute()
      for (const row of rows)
        await trx
          .insertInto(table)
          .values({ host_id: hostId, ...row, updated_at: at })
          .execute()
    }
  })
  return { containers: containers.length, images: images.length, volumes: volumes.length, networks: networks.length, stopped }
}

/** Counts of the host's stored Docker inventory; undefined when the host never sent any. */
export async function dockerInventoryCounts(db: Kysely<DB>, hostId: string) {
  const count = async (table: 'docker_containers' | 'docker_images' | 'docker_volumes' | 'docker_networks') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('host_id', '=', hostId)
          .executeTakeFirstOrThrow()
      ).n
    )
  const [containers, images, volumes, networks] = await Promise.all([
    count('docker_containers'),
    count('docker_images'),
    count('docker_volumes'),
    count('docker_networks')
  ])
  if (containers + images + volumes + networks === 0) return undefined
  return { containers, images, volumes, networks }
}
