// Docker inventories shaped exactly as the 2.x Go agent posts them to POST /api/v1/integrations/docker
// (snake_case; facts: agent-protocol §2.6): containers with image_name/image_tag/image_id and
// Docker's state word, images with repository/tag/image_id/size_bytes, and the `updates` list.
import { agentHeaders, type TestHost } from '../helpers/agent-fixtures.js'
import type { TestApp } from '../helpers/test-app.js'

export interface ContainerSpec {
  id: string
  name: string
  image: string
  tag: string
  state: 'running' | 'exited' | 'dead' | 'paused' | 'created'
}

export const agentContainer = (c: ContainerSpec) => ({
  container_id: c.id,
  name: c.name,
  image_name: c.image,
  image_tag: c.tag,
  image_repository: c.image,
  image_source: 'docker-hub',
  image_id: `sha256:${c.image}-${c.tag}`,
  status: c.state === 'running' ? 'Up 3 hours' : 'Exited (137) 2 minutes ago',
  state: c.state,
  ports: { '80/tcp': '8080' },
  created_at: '2026-05-01T10:00:00Z',
  labels: { 'com.docker.compose.project': 'stack' },
  restart_count: 0
})

export const agentImage = (repository: string, tag: string, sizeBytes = 50_000_000) => ({
  repository,
  tag,
  image_id: `sha256:${repository}-${tag}`,
  source: 'docker-hub',
  size_bytes: sizeBytes,
  created_at: '2026-04-01T10:00:00Z',
  digest: `sha256:digest-${repository}`
})

export const agentUpdate = (repository: string, currentTag: string, availableTag: string) => ({
  repository,
  current_tag: currentTag,
  available_tag: availableTag,
  current_digest: `sha256:old-${repository}`,
  available_digest: `sha256:new-${repository}`,
  image_id: `sha256:${repository}-${currentTag}`
})

export function dockerPayload(host: string, containers: ContainerSpec[], updates: ReturnType<typeof agentUpdate>[] = []) {
  const images = new Map(containers.map((c) => [`${c.image}:${c.tag}`, agentImage(c.image, c.tag)]))
  return {
    containers: containers.map(agentContainer),
    images: [...images.values()],
    volumes: [{ volume_id: 'data', name: 'data', driver: 'local', scope: 'local' }],
    networks: [{ network_id: 'n1', name: 'bridge', driver: 'bridge', scope: 'local' }],
    updates,
    hostname: host,
    machine_id: `machine-${host}`,
    agent_version: '2.1.3'
  }
}

/** POSTs an inventory the way the agent does and insists on the agent's success rule (exactly 200). */
export async function postDocker(ctx: Pick<TestApp, 'app'>, host: TestHost, payload: unknown) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/integrations/docker',
    headers: agentHeaders(host),
    payload: JSON.stringify(payload)
  })
  if (res.statusCode !== 200) throw new Error(`docker inventory: ${res.statusCode} ${res.body}`)
  return res.json() as Record<string, number | string>
}
