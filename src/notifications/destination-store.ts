// Destinations at rest: the whole config (URL, tokens, passwords) is one sealed JSON value, so a
// database copy alone reveals no webhook. Only this file seals and opens it.
import type { Kysely } from 'kysely'
import type { DB, DestinationRow } from '../store/database-types.js'
import type { SecretBox } from '../security/secret-box.js'
import { isChannelType, providerFor, type ChannelType } from './providers/index.js'
import type { ProviderConfig } from './providers/provider.js'
import { newId } from '../security/random-tokens.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'

export const DESTINATION_NOT_FOUND = ERROR_MESSAGES.notificationDestinations.notFound.message

export interface Destination {
  id: string
  channelType: ChannelType
  displayName: string
  enabled: boolean
  config: ProviderConfig
  createdAt: string
  updatedAt: string
}

export function openDestination(box: SecretBox, row: DestinationRow): Destination {
  const channelType = isChannelType(row.channel_type) ? row.channel_type : 'webhook'
  return {
    id: row.id,
    channelType,
    displayName: row.display_name,
    enabled: row.enabled === 1,
    config: JSON.parse(box.open(row.config)) as ProviderConfig,
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }
}

export const sealConfig = (box: SecretBox, config: ProviderConfig): string => box.seal(JSON.stringify(config))

export async function findDestination(db: Kysely<DB>, box: SecretBox, id: string): Promise<Destination | undefined> {
  const row = await db.selectFrom('notification_destinations').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? openDestination(box, row) : undefined
}

/** The API view: the provider's masked description, never the sealed or opened secrets. */
export function publicDestination(d: Destination) {
  const provider = providerFor(d.channelType, d.config)
  return {
    id: d.id,
    channel_type: d.channelType,
    display_name: d.displayName,
    enabled: d.enabled,
    format: provider.name,
    config: provider.describe(d.config),
    created_at: d.createdAt,
    updated_at: d.updatedAt
  }
}

export async function listDestinations(db: Kysely<DB>, box: SecretBox): Promise<Destination[]> {
  const rows = await db.selectFrom('notification_destinations').selectAll().orderBy('display_name').execute()
  return rows.map((row) => openDestination(box, row))
}

export interface NewDestination {
  channelType: ChannelType
  displayName: string
  config: ProviderConfig
  enabled: boolean
}

export async function insertDestination(db: Kysely<DB>, box: SecretBox, input: NewDestination): Promise<Destination> {
  const now = new Date().toISOString()
  const id = newId()
  await db
    .insertInto('notification_destinations')
    .values({
      id,
      channel_type: input.channelType,
      display_name: input.displayName,
      config: sealConfig(box, input.config),
      enabled: input.enabled ? 1 : 0,
      created_at: now,
      updated_at: now
    })
    .execute()
  return (await findDestination(db, box, id))!
}

/** Changes what is given; `config` replaces the sealed value only when present. */
export async function updateDestination(
  db: Kysely<DB>,
  box: SecretBox,
  id: string,
  changes: { displayName?: string; enabled?: boolean; config?: ProviderConfig }
): Promise<Destination> {
  await db
    .updateTable('notification_destinations')
    .set({
      ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
      ...(changes.enabled !== undefined ? { enabled: changes.enabled ? 1 : 0 } : {}),
      ...(changes.config ? { config: sealConfig(box, changes.config) } : {}),
      updated_at: new Date().toISOString()
    })
    .where('id', '=', id)
    .execute()
  return (await findDestination(db, box, id))!
}

/** Deletes a destination (its routing rules go with it); false when there was none. */
export async function deleteDestination(db: Kysely<DB>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('notification_destinations').where('id', '=', id).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

/** How many of these ids name an existing destination (each id counted once). */
export async function countExistingDestinations(db: Kysely<DB>, ids: readonly string[]): Promise<number> {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return 0
  return (await db.selectFrom('notification_destinations').select('id').where('id', 'in', unique).execute()).length
}
