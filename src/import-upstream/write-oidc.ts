// Writes upstream's OpenID Connect settings through the oidc feature's own writer, the client
// secret sealed with our key. Returns the issuer the users' OIDC links belong to.
import { writeOidcSettingsRow } from '../oidc/oidc-settings-queries.js'
import type { ImportContext } from './import-context.js'
import { mapOidc, upstreamOidcEnvironment } from './map-oidc.js'
import type { UpstreamSettings } from './read-accounts.js'

export async function writeOidcSettings(ctx: ImportContext, settings: UpstreamSettings | undefined): Promise<string | undefined> {
  const mapped = mapOidc(settings, ctx.keys, upstreamOidcEnvironment(ctx.keys))
  for (const note of mapped.notes) ctx.summary.note(note)
  const columns = mapped.columns
  if (!columns) return mapped.issuer
  ctx.summary.count(columns.enabled === 1 ? 'OIDC sign-in settings (on)' : 'OIDC sign-in settings (off)')
  if (!ctx.dryRun)
    await writeOidcSettingsRow(ctx.store.db, { ...columns, client_secret: columns.client_secret && ctx.box.seal(columns.client_secret) })
  return mapped.issuer
}
