// Writes groups and hosts through the hosts feature: the host row with its upstream identity, its
// groups, then its inventory through the same ingest an agent report uses.
import { groupIdsByName, insertImportedHost, restoreImportedReportState, takenApiIds } from '../hosts/host-import.js'
import { insertGroup } from '../hosts/host-group-queries.js'
import { ReportIngest } from '../hosts/report-ingest.js'
import { hashSecret } from '../security/secret-hashing.js'
import type { ImportContext } from './import-context.js'
import { mapHost } from './map-hosts.js'
import type { HostBatch, UpstreamGroup } from './read-hosts.js'

export async function writeGroups(ctx: ImportContext, groups: UpstreamGroup[]): Promise<void> {
  const existing = await groupIdsByName(ctx.store.db)
  for (const g of groups) {
    const ours = existing.get(g.name)
    if (ours) {
      ctx.groupIds.set(g.id, ours)
      ctx.summary.note(`host group "${g.name}" already exists here: its upstream members join it`)
      continue
    }
    const color = g.color && /^#[0-9a-fA-F]{6}$/.test(g.color) ? g.color : undefined
    ctx.groupIds.set(g.id, ctx.dryRun ? g.id : await insertGroup(ctx.store.db, { name: g.name, description: g.description, color }))
    ctx.summary.count('host groups')
  }
}

export class HostWriter {
  private readonly ingest: ReportIngest

  constructor(private readonly ctx: ImportContext) {
    this.ingest = new ReportIngest(ctx.store.db, ctx.store.sqlite)
  }

  async write(batch: HostBatch): Promise<void> {
    const { ctx } = this
    const taken = await takenApiIds(
      ctx.store.db,
      batch.hosts.map((h) => h.api_id)
    )
    const now = new Date().toISOString()
    for (const host of batch.hosts) {
      if (taken.has(host.api_id)) {
        ctx.summary.note(`host "${host.friendly_name}" (${host.api_id}): a host with this api_id is already here; kept ours`)
        continue
      }
      const mapped = mapHost(host, batch.packagesOf.get(host.id) ?? [], batch.repositoriesOf.get(host.id) ?? [], now)
      if (mapped.plainApiKey !== undefined) {
        ctx.summary.note(
          `host "${host.friendly_name}": its agent key was stored in plain text upstream (1.4.x); stored here as a bcrypt hash`
        )
        if (!ctx.dryRun) mapped.row.api_key_hash = await hashSecret(mapped.plainApiKey)
      }
      const groups = (batch.groupsOf.get(host.id) ?? []).map((id) => ctx.groupIds.get(id)).filter((id): id is string => id !== undefined)
      ctx.hostIds.add(host.id)
      ctx.summary.count('hosts')
      ctx.summary.count('host group memberships', groups.length)
      ctx.summary.count('installed packages', mapped.packages.length)
      ctx.summary.count('host repositories', mapped.repositories.length)
      if (ctx.dryRun) continue
      await insertImportedHost(ctx.store.db, mapped.row, groups)
      if (mapped.packages.length > 0 || mapped.repositories.length > 0) {
        await this.ingest.ingest({
          hostId: host.id,
          packages: mapped.packages,
          repositories: mapped.repositories,
          facts: {},
          payloadBytes: 0,
          executionTimeSeconds: null
        })
        await restoreImportedReportState(ctx.store.db, host.id, {
          status: mapped.row.status,
          lastUpdate: mapped.row.last_update,
          updatedAt: now
        })
      }
    }
  }
}
