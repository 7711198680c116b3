// Row types of the Docker tables (migrations 0004 and 0024), owned by the agent feature: the
// containers and images with their update flags, the stopped-container history and the hosts told
// to collect Docker data. Joined into database-types.ts and database-columns.ts.
import type { Generated } from 'kysely'

export interface DockerContainersTable {
  host_id: string
  container_id: string
  name: string
  image: string
  state: string
  status: string
  details: string
  updated_at: string
  image_id: Generated<string>
  update_available: Generated<number>
  available_tag: string | null
}

export interface DockerImagesTable {
  host_id: string
  object_id: string
  name: string
  details: string
  updated_at: string
  repository: Generated<string>
  tag: Generated<string>
  size_bytes: number | null
  update_available: Generated<number>
  available_tag: string | null
}

/** docker_volumes and docker_networks share this shape. */
export interface DockerObjectsTable {
  host_id: string
  object_id: string
  name: string
  details: string
  updated_at: string
}

/** A container seen running in one inventory and stopped (exited, dead, stopped) in the next. */
export interface DockerContainerEventsTable {
  id: string
  host_id: string
  container_id: string
  container_name: string
  image: string
  old_state: string
  new_state: string
  occurred_at: string
}

/** Hosts whose agent is told (GET /api/v1/hosts/integrations) to collect Docker data. */
export interface DockerIntegrationHostsTable {
  host_id: string
  enabled_at: string
}

export interface DockerTables {
  docker_containers: DockerContainersTable
  docker_images: DockerImagesTable
  docker_volumes: DockerObjectsTable
  docker_networks: DockerObjectsTable
  docker_container_events: DockerContainerEventsTable
  docker_integration_hosts: DockerIntegrationHostsTable
}

const OBJECT_COLUMNS = {
  host_id: 'required',
  object_id: 'required',
  name: 'required',
  details: 'required',
  updated_at: 'required'
} as const

/** The same columns for database-columns.ts (kinds as described there). */
export const DOCKER_COLUMNS = {
  docker_containers: {
    host_id: 'required',
    container_id: 'required',
    name: 'required',
    image: 'required',
    state: 'required',
    status: 'required',
    details: 'required',
    updated_at: 'required',
    image_id: 'defaulted',
    update_available: 'defaulted',
    available_tag: 'nullable'
  },
  docker_images: {
    ...OBJECT_COLUMNS,
    repository: 'defaulted',
    tag: 'defaulted',
    size_bytes: 'nullable',
    update_available: 'defaulted',
    available_tag: 'nullable'
  },
  docker_networks: OBJECT_COLUMNS,
  docker_volumes: OBJECT_COLUMNS,
  docker_container_events: {
    id: 'required',
    host_id: 'required',
    container_id: 'required',
    container_name: 'required',
    image: 'required',
    old_state: 'required',
    new_state: 'required',
    occurred_at: 'required'
  },
  docker_integration_hosts: { host_id: 'required', enabled_at: 'required' }
} as const
