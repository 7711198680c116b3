// Destinations at rest: the whole config (URL, tokens, passwords) is one sealed JSON value, so a
// database copy alone reveals no webhook. Only this file seals and opens it.
import type { Kysely } from 'kysely'
import type { DB, DestinationRow } from '../store/database-types.js'
import type { SecretBox } from '../security/secret-box.js'
import { isChannelType, providerFor, type ChannelType } from './providers/index.js'
import type { ProviderConfig } from './providers/provider.js'

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
