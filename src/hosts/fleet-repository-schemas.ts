// TypeBox shapes of the fleet Repositories API (fleet-repository-routes.ts), also the dashboard's types.
import { Type, type Static } from '@fastify/type-provider-typebox'

const nullableString = Type.Union([Type.String(), Type.Null()])
const Insecure = Type.Boolean({ description: 'fetched over plain http:// or ftp:// (docs/docker-and-repositories.md)' })

const Repository = {
  id: Type.String(),
  name: Type.String({ description: 'the name the first reporting host gave it; each host keeps its own' }),
  url: Type.String(),
  distribution: Type.String(),
  components: Type.String(),
  repo_type: Type.String(),
  host_count: Type.Integer({ description: 'hosts (in your scope) that have it configured' }),
  insecure: Insecure
}

export const FleetRepository = Type.Object({ ...Repository, enabled_host_count: Type.Integer() })
export const FleetRepositoriesReply = Type.Object({
  repositories: Type.Array(FleetRepository),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  counts: Type.Object({ repositories: Type.Integer(), insecure: Type.Integer(), hosts_with_insecure: Type.Integer() })
})
export const RepositoryHostsReply = Type.Object({
  repository: Type.Object(Repository),
  hosts: Type.Array(
    Type.Object({
      id: Type.String(),
      friendly_name: Type.String(),
      hostname: nullableString,
      name: Type.String({ description: 'the name this host reported' }),
      is_enabled: Type.Boolean(),
      is_secure: Type.Boolean({ description: "the agent's own isSecure for this host" }),
      last_checked: Type.String()
    })
  )
})
export type FleetRepositoriesReply = Static<typeof FleetRepositoriesReply>
export type RepositoryHostsReply = Static<typeof RepositoryHostsReply>
