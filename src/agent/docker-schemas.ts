// TypeBox shapes of the Docker screen's API (docker-dashboard-routes.ts): validation, reply
// allow-list, OpenAPI and the dashboard's types in one place.
import { Type, type Static } from '@fastify/type-provider-typebox'
import { Pagination } from '../hosts/host-schemas.js'

const nullableString = Type.Union([Type.String(), Type.Null()])
const HostRef = { host_id: Type.String(), host_name: Type.String() }

export const DockerContainer = Type.Object({
  ...HostRef,
  container_id: Type.String(),
  name: Type.String(),
  image: Type.String(),
  image_id: Type.String(),
  state: Type.String({ description: "Docker's state word: running, exited, dead, created, paused, restarting" }),
  status: Type.String({ description: 'Docker\'s own text, e.g. "Up 2 hours"' }),
  update_available: Type.Boolean({ description: "the agent listed a newer image for this container's image (best effort)" }),
  available_tag: nullableString,
  updated_at: Type.String({ description: 'when the inventory holding this row arrived' })
})
export type DockerContainer = Static<typeof DockerContainer>

export const DockerImage = Type.Object({
  name: Type.String({ description: 'repository:tag' }),
  repository: Type.String(),
  tag: Type.String(),
  host_count: Type.Integer({ description: 'hosts that have this image' }),
  container_count: Type.Integer({ description: 'containers using it on those hosts' }),
  update_available: Type.Boolean({ description: 'some host has an update listed for it' }),
  available_tag: nullableString,
  size_bytes: Type.Union([Type.Integer(), Type.Null()])
})
export type DockerImage = Static<typeof DockerImage>

export const ContainerStopEvent = Type.Object({
  id: Type.String(),
  ...HostRef,
  container_id: Type.String(),
  container_name: Type.String(),
  image: Type.String(),
  old_state: Type.String(),
  new_state: Type.String(),
  occurred_at: Type.String()
})
export type ContainerStopEvent = Static<typeof ContainerStopEvent>

export const DockerCounts = Type.Object({
  hosts_with_docker: Type.Integer(),
  containers: Type.Integer(),
  running: Type.Integer(),
  stopped: Type.Integer({ description: 'exited, dead, stopped or created' }),
  containers_with_updates: Type.Integer(),
  images: Type.Integer({ description: 'distinct repository:tag names' }),
  images_with_updates: Type.Integer()
})
export type DockerCounts = Static<typeof DockerCounts>

export const HostDocker = Type.Object({
  host_id: Type.String(),
  integration_enabled: Type.Boolean({ description: "the host's agent is told to collect Docker data" }),
  counts: DockerCounts
})
export type HostDocker = Static<typeof HostDocker>

const search = Type.Optional(Type.String({ maxLength: 255 }))
const hostId = Type.Optional(Type.String({ maxLength: 64, description: 'only this host' }))

export const ContainerQuery = Type.Object({
  state: Type.Optional(Type.Union([Type.Literal('running'), Type.Literal('stopped')])),
  updates_only: Type.Optional(Type.Boolean()),
  host_id: hostId,
  search,
  ...Pagination
})
export const ImageQuery = Type.Object({ updates_only: Type.Optional(Type.Boolean()), host_id: hostId, search, ...Pagination })
export const EventQuery = Type.Object({ host_id: hostId, search, ...Pagination })
export const CountsQuery = Type.Object({ host_id: hostId })

const page = { total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }
export const ContainersReply = Type.Object({ containers: Type.Array(DockerContainer), ...page })
export const ImagesReply = Type.Object({ images: Type.Array(DockerImage), ...page })
export const EventsReply = Type.Object({ events: Type.Array(ContainerStopEvent), ...page })
export type ContainersReply = Static<typeof ContainersReply>
export type ImagesReply = Static<typeof ImagesReply>
export type EventsReply = Static<typeof EventsReply>
