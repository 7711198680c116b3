// Reads the objects of a 2.x agent's Docker inventory (facts: agent-protocol §2.6) into the rows
// the Docker tables keep. Agents are read leniently: unknown keys are kept in `details`, missing
// ones default, and both spellings seen from agents are accepted (container_id / id, ...).
// The `updates` list (repository, current_tag, available_tag, image_id, digests) is matched to
// images and containers here, so the stored rows carry their own update flag.

export type Item = Record<string, unknown>

export const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined
export const asItems = (v: unknown): Item[] =>
  Array.isArray(v) ? v.filter((x): x is Item => typeof x === 'object' && x !== null && !Array.isArray(x)) : []

export interface ContainerRow {
  container_id: string
  name: string
  image: string
  image_id: string
  state: string
  status: string
  details: string
  update_available: number
  available_tag: string | null
}

export interface ImageRow {
  object_id: string
  name: string
  repository: string
  tag: string
  size_bytes: number | null
  details: string
  update_available: number
  available_tag: string | null
}

interface ImageUpdate {
  repository: string
  currentTag: string
  availableTag: string | undefined
  imageId: string | undefined
}

/** "docker.io/library/nginx" and "nginx" name the same repository. */
function repositoryKey(repository: string): string {
  return repository
    .toLowerCase()
    .replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '')
    .replace(/^library\//, '')
}

/** "nginx:1.27" -> ["nginx", "1.27"]; a registry port ("host:5000/app") is not a tag. */
function splitImageReference(reference: string): [string, string] {
  const withoutDigest = reference.split('@')[0] ?? reference
  const colon = withoutDigest.lastIndexOf(':')
  if (colon > withoutDigest.lastIndexOf('/')) return [withoutDigest.slice(0, colon), withoutDigest.slice(colon + 1)]
  return [withoutDigest, '']
}

/** The agent's update list, looked up by image id and by repository + current tag. */
export class ImageUpdates {
  private readonly byImageId = new Map<string, ImageUpdate>()
  private readonly byReference = new Map<string, ImageUpdate>()
  readonly count: number

  constructor(updates: unknown) {
    const items = asItems(updates)
    this.count = items.length
    for (const item of items) {
      const repository = str(item.repository)
      if (!repository) continue
      const update: ImageUpdate = {
        repository,
        currentTag: str(item.current_tag) ?? 'latest',
        availableTag: str(item.available_tag),
        imageId: str(item.image_id)
      }
      if (update.imageId) this.byImageId.set(update.imageId, update)
      this.byReference.set(`${repositoryKey(repository)}:${update.currentTag}`, update)
    }
  }

  /** The update for an image (by id, else by repository and tag); undefined when none is listed. */
  find(imageId: string, repository: string, tag: string): { update_available: number; available_tag: string | null } {
    const update =
      (imageId ? this.byImageId.get(imageId) : undefined) ??
      (repository ? this.byReference.get(`${repositoryKey(repository)}:${tag || 'latest'}`) : undefined)
    if (!update) return { update_available: 0, available_tag: null }
    // A new digest under the same tag ("latest" rebuilt) has no different tag to show.
    const tagChanged = update.availableTag !== undefined && update.availableTag !== update.currentTag
    return { update_available: 1, available_tag: tagChanged ? (update.availableTag ?? null) : null }
  }
}

export function containerOf(item: Item, updates: ImageUpdates): ContainerRow | undefined {
  const id = str(item.container_id) ?? str(item.id)
  if (!id) return undefined
  const imageName = str(item.image_name) ?? str(item.image) ?? ''
  const tag = str(item.image_tag)
  const image = tag && imageName && !imageName.includes(':') ? `${imageName}:${tag}` : imageName
  const status = str(item.status) ?? ''
  // Docker's `State` is the machine word (running, exited); `Status` is prose ("Up 2 hours").
  const state = (str(item.state) ?? (/^up\b/i.test(status) ? 'running' : (status.split(/\s/)[0] ?? ''))).toLowerCase()
  const imageId = str(item.image_id) ?? ''
  const [repositoryOfImage, tagOfImage] = splitImageReference(image)
  const repository = str(item.image_repository) ?? repositoryOfImage
  const imageTag = tag ?? tagOfImage
  return {
    container_id: id.slice(0, 128),
    name: (str(item.name) ?? id).replace(/^\//, '').slice(0, 255),
    image: image.slice(0, 512),
    image_id: imageId.slice(0, 255),
    state,
    status: status || state,
    details: JSON.stringify(item),
    ...updates.find(imageId, repository, imageTag)
  }
}

export function imageOf(item: Item, updates: ImageUpdates): ImageRow | undefined {
  const id = str(item.image_id) ?? str(item.id)
  if (!id) return undefined
  const repository = str(item.repository) ?? str(item.name) ?? ''
  const tag = str(item.tag) ?? ''
  const size = typeof item.size_bytes === 'number' && Number.isFinite(item.size_bytes) ? Math.round(item.size_bytes) : null
  return {
    object_id: id.slice(0, 255),
    name: (repository && tag ? `${repository}:${tag}` : repository || id).slice(0, 512),
    repository: repository.slice(0, 512),
    tag: tag.slice(0, 255),
    size_bytes: size,
    details: JSON.stringify(item),
    ...updates.find(id, repository, tag)
  }
}

export function objectOf(item: Item, idKeys: string[], nameOf: (i: Item) => string | undefined) {
  const id = idKeys.map((k) => str(item[k])).find(Boolean)
  if (!id) return undefined
  return { object_id: id.slice(0, 255), name: (nameOf(item) ?? id).slice(0, 512), details: JSON.stringify(item) }
}

export function dedupe<T>(items: Array<T | undefined>, keyOf: (t: T) => string): T[] {
  const seen = new Map<string, T>()
  for (const item of items) if (item !== undefined) seen.set(keyOf(item), item)
  return [...seen.values()]
}
