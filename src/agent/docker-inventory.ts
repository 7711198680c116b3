// Stores the Docker inventory a 2.x agent posts (containers, images, volumes, networks), replacing
// the host's previous inventory in one transaction, and reports containers that stopped.
// The agent's objects are kept as received in `details`; only identity, name, image and state
// are read, accepting both snake_case field spellings seen from agents (container_id / id, ...).
import type { Kysely } from 'kysely'
import { hostColumns } from '../hosts/host-queries.js'
import type { DB } from '../store/database-types.js'
import { writeOutbox, type OutboxEntry } from '../events/event-outbox.js'

export interface ContainerStop {
  container: string
  image: string
  oldStatus: string
  newStatus: string
}

type Item = Record<string, unknown>

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined
const asItems = (v: unknown): Item[] =>
  Array.isArray(v) ? v.filter((x): x is Item => typeof x === 'object' && x !== null && !Array.isArray(x)) : []

const STOPPED_STATES = new Set(['exited', 'dead', 'stopped'])

interface ContainerRow {
  container_id: string
  name: string
  image: string
  state: string
  status: string
  details: string
}

function containerOf(item: Item): ContainerRow | undefined {
  const id = str(item.container_id) ?? str(item.id)
  if (!id) return undefined
  const imageName = str(item.image_name) ?? str(item.image) ?? ''
  const tag = str(item.image_tag)
  const image = tag && imageName && !imageName.includes(':') ? `${imageName}:${tag}` : imageName
  const status = str(item.status) ?? ''
  // Docker's `State` is the machine word (running, exited); `Status` is prose ("Up 2 hours").
  const state = (str(item.state) ?? (/^up\b/i.test(status) ? 'running' : (status.split(/\s/)[0] ?? ''))).toLowerCase()
  return {
    container_id: id.slice(0, 128),
    name: (str(item.name) ?? id).replace(/^\//, '').slice(0, 255),
    image: image.slice(0, 512),
    state,
    status: status || state,
    details: JSON.stringify(item)
  }
}

function objectOf(item: Item, idKeys: string[], nameOf: (i: Item) => string | undefined) {
  const id = idKeys.map((k) => str(item[k])).find(Boolean)
  if (!id) return undefined
  return { object_id: id.slice(0, 255), name: (nameOf(item) ?? id).slice(0, 512), details: JSON.stringify(item) }
}

export interface DockerReport {
  containers?: unknown
  images?: unknown
  volumes?: unknown
  networks?: unknown
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
  const containers = dedupe(asItems(report.containers).map(containerOf), (c) => c.container_id)
  const images = dedupe(
    asItems(report.images).map((i) =>
      objectOf(i, ['image_id', 'id'], (x) => {
        const repo = str(x.repository) ?? str(x.name)
        const tag = str(x.tag)
        return repo && tag ? `${repo}:${tag}` : repo
      })
    ),
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
        stops.push({ container: c.name, image: c.image, oldStatus: old, newStatus: c.state })
    }
    if (stops.length > 0) {
      const host = await hostColumns(trx, hostId, ['friendly_name'])
      for (const stop of stops)
        stopped.push(await writeOutbox(trx, 'container_stopped', { hostId, hostName: host?.friendly_name ?? hostId, ...stop }, now))
    }
    await trx.deleteFrom('docker_containers').where('host_id', '=', hostId).execute()
    for (const c of containers)
      await trx
        .insertInto('docker_containers')
        .values({ host_id: hostId, ...c, updated_at: at })
        .execute()
    for (const [table, rows] of [
      ['docker_images', images],
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

function dedupe<T>(items: Array<T | undefined>, keyOf: (t: T) => string): T[] {
  const seen = new Map<string, T>()
  for (const item of items) if (item !== undefined) seen.set(keyOf(item), item)
  return [...seen.values()]
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
