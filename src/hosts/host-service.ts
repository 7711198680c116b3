// Creating and deleting hosts: used by the dashboard routes, auto-enrollment and the Integration
// API, so every path writes the same rows in one transaction.
import type { Kysely, Transaction } from 'kysely'
import type { DB, HostRow } from '../store/database-types.js'
import type { HostDigestColumns } from '../store/host-digest-table-types.js'
import { newId } from '../security/random-tokens.js'
import { newHostCredentials } from './host-credentials.js'
import { writeOutbox, type OutboxEntry } from '../events/event-outbox.js'
import { badRequest, COMMON, errorOf } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { groupInScope, inHostScope, isHostScoped } from './host-scope.js'

export interface CreateHostInput {
  friendlyName: string
  machineId?: string | null
  hostGroupIds?: string[]
  notes?: string | null
  osType?: string | null
  osVersion?: string | null
}

export interface CreatedHost {
  host: HostRow
  /** Plaintext key: return it to the caller once, never store or log it. */
  apiKey: string
}

export class UnknownHostGroupError extends Error {
  constructor(readonly groupId: string) {
    super(`host group ${groupId} not found`)
  }
}

/** Runs `work`; a group that does not exist becomes the dashboard's 400 "Host group not found". */
export async function withKnownGroups<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    if (err instanceof UnknownHostGroupError) throw badRequest(COMMON.hostGroupNotFound)
    throw err
  }
}

/** The dashboard's "add host": the name trimmed, the groups checked; the key is shown once. */
export async function addHost(db: Kysely<DB>, friendlyName: string, groupIds: string[]) {
  // A limited user's new host goes into one of their groups, or they could not see it afterwards.
  if (isHostScoped() && groupIds.length === 0) throw errorOf(ERROR_MESSAGES.access.scopedHostNeedsGroup)
  const { host, apiKey } = await withKnownGroups(() => createHost(db, { friendlyName: friendlyName.trim(), hostGroupIds: groupIds }))
  return {
    id: host.id,
    friendly_name: host.friendly_name,
    api_id: host.api_id,
    api_key: apiKey,
    host_groups: [...new Set(groupIds)]
  }
}

/** `alsoInTransaction` writes more rows atomically with the host (the enrollment's outbox event). */
export async function createHost(
  db: Kysely<DB>,
  input: CreateHostInput,
  alsoInTransaction?: (trx: Transaction<DB>, host: HostRow) => Promise<void>
): Promise<CreatedHost> {
  const creds = await newHostCredentials()
  const now = new Date().toISOString()
  // The digests (migration 0015) are left to their NULL default, so this insert also works on an
  // older schema (tests of earlier migrations create hosts with it).
  const inserted: Omit<HostRow, keyof HostDigestColumns> = {
    id: newId(),
    friendly_name: input.friendlyName,
    api_id: creds.apiId,
    api_key_hash: creds.apiKeyHash,
    machine_id: input.machineId ?? null,
    hostname: null,
    ip: null,
    os_type: input.osType ?? null,
    os_version: input.osVersion ?? null,
    architecture: null,
    kernel_version: null,
    installed_kernel_version: null,
    selinux_status: null,
    system_uptime: null,
    boot_time: null,
    cpu_model: null,
    cpu_cores: null,
    ram_installed: null,
    swap_size: null,
    load_average: null,
    disk_details: null,
    gateway_ip: null,
    dns_servers: null,
    network_interfaces: null,
    needs_reboot: null,
    reboot_reason: null,
    agent_version: null,
    package_manager: null,
    status: 'pending',
    last_update: null,
    notes: input.notes ?? null,
    auto_update: 1,
    total_packages: 0,
    outdated_packages: 0,
    security_updates: 0,
    total_repos: 0,
    created_at: now,
    updated_at: now
  }
  const host: HostRow = { ...inserted, api_key_digest: null, package_set_digest: null }
  const groupIds = [...new Set(input.hostGroupIds ?? [])]
  await db.transaction().execute(async (trx) => {
    if (groupIds.length > 0) {
      const found = await trx
        .selectFrom('host_groups')
        .select('id')
        .where('id', 'in', groupIds)
        .where(groupInScope('host_groups.id'))
        .execute()
      const known = new Set(found.map((g) => g.id))
      const missing = groupIds.find((id) => !known.has(id))
      if (missing) throw new UnknownHostGroupError(missing)
    }
    await trx.insertInto('hosts').values(inserted).execute()
    if (groupIds.length > 0) {
      await trx
        .insertInto('host_group_memberships')
        .values(groupIds.map((g) => ({ host_id: host.id, host_group_id: g, created_at: now })))
        .execute()
    }
    await alsoInTransaction?.(trx, host)
  })
  return { host, apiKey: creds.apiKey }
}

/**
 * Deletes a host; packages links, repositories links, history and memberships cascade.
 * `alsoInTransaction` runs only when the host existed (the host_deleted outbox event).
 */
export async function deleteHost(
  db: Kysely<DB>,
  hostId: string,
  alsoInTransaction?: (trx: Transaction<DB>, host: HostRow) => Promise<void>
): Promise<HostRow | undefined> {
  return db.transaction().execute(async (trx) => {
    const host = await trx.selectFrom('hosts').selectAll().where('id', '=', hostId).where(inHostScope('hosts.id')).executeTakeFirst()
    if (!host) return undefined
    await trx.deleteFrom('hosts').where('id', '=', hostId).execute()
    await alsoInTransaction?.(trx, host)
    return host
  })
}

/** Renames a host and/or sets its notes; false when there is no such host. */
export async function updateHost(
  db: Kysely<DB>,
  hostId: string,
  changes: { friendlyName?: string; notes?: string | null }
): Promise<boolean> {
  const result = await db
    .updateTable('hosts')
    .set({
      ...(changes.friendlyName !== undefined ? { friendly_name: changes.friendlyName.trim() } : {}),
      ...(changes.notes !== undefined ? { notes: changes.notes } : {}),
      updated_at: new Date().toISOString()
    })
    .where('id', '=', hostId)
    .where(inHostScope('hosts.id'))
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/**
 * Replaces a host's group memberships (those in the caller's scope) in one transaction: false when there is no such host,
 * UnknownHostGroupError (nothing changed) when a group does not exist.
 */
export async function setHostGroups(db: Kysely<DB>, hostId: string, groupIds: string[]): Promise<boolean> {
  const ids = [...new Set(groupIds)]
  const now = new Date().toISOString()
  return db.transaction().execute(async (trx) => {
    const host = await trx.selectFrom('hosts').select('id').where('id', '=', hostId).where(inHostScope('hosts.id')).executeTakeFirst()
    if (!host) return false
    if (ids.length > 0) {
      const known = new Set(
        (await trx.selectFrom('host_groups').select('id').where('id', 'in', ids).where(groupInScope('host_groups.id')).execute()).map(
          (g) => g.id
        )
      )
      const missing = ids.find((id) => !known.has(id))
      if (missing !== undefined) throw new UnknownHostGroupError(missing)
    }
    // Only memberships the caller can see are replaced: a user limited to some groups neither sees
    // nor removes the host's place in a group outside them.
    await trx.deleteFrom('host_group_memberships').where('host_id', '=', hostId).where(groupInScope('host_group_id')).execute()
    if (ids.length > 0) {
      await trx
        .insertInto('host_group_memberships')
        .values(ids.map((g) => ({ host_id: hostId, host_group_id: g, created_at: now })))
        .execute()
    }
    return true
  })
}

/** New API id and key for a host (the key in plaintext, to show once); undefined when there is no such host. */
export async function regenerateHostCredentials(db: Kysely<DB>, hostId: string): Promise<{ apiId: string; apiKey: string } | undefined> {
  const creds = await newHostCredentials()
  const result = await db
    .updateTable('hosts')
    .set({ api_id: creds.apiId, api_key_hash: creds.apiKeyHash, api_key_digest: null, updated_at: new Date().toISOString() })
    .where('id', '=', hostId)
    .where(inHostScope('hosts.id'))
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 0 ? undefined : { apiId: creds.apiId, apiKey: creds.apiKey }
}

/** Deletes a host with its host_deleted outbox row in the same transaction; the caller emits the entry after commit. */
export async function deleteHostWithEvent(
  db: Kysely<DB>,
  hostId: string,
  /** The name the event carries: the dashboard's friendly name unless a caller names hosts otherwise. */
  nameOf: (host: HostRow) => string = (host) => host.friendly_name
): Promise<{ host: HostRow; event: OutboxEntry<'host_deleted'> } | undefined> {
  let event: OutboxEntry<'host_deleted'> | undefined
  const host = await deleteHost(db, hostId, async (trx, row) => {
    event = await writeOutbox(trx, 'host_deleted', { hostId: row.id, hostName: nameOf(row) }, new Date())
  })
  return host && event ? { host, event } : undefined
}
