// Writes upstream's OpenID Connect settings through the oidc feature's own functions, the client
// secret sealed with our key; settings already configured here (a --merge) are kept. Returns the
// issuer the users' OIDC links belong to.
import { readOidcSettingsRow, writeOidcSettingsRow } from '../oidc/oidc-settings-queries.js'
import type { ImportContext } from './import-context.js'
import { mapOidc, upstreamOidcEnvironment } from './map-oidc.js'
import type { UpstreamSettings } from './read-accounts.js'

export async function writeOidcSettings(ctx: ImportContext, settings: UpstreamSettings | undefined): Promise<string | undefined> {
  const mapped = mapOidc(settings, ctx.keys, upstreamOidcEnvironment(ctx.keys))
  const columns = mapped.columns
  const ours = columns && (await readOidcSettingsRow(ctx.store.db))
  if (ours && (ours.issuer_url || ours.client_id)) {
    ctx.summary.note(`OIDC sign-in is already configured here (${ours.issuer_url ?? 'no issuer'}); kept ours, upstream's not imported`)
    return mapped.issuer
  }
  for (const note of mapped.notes) ctx.summary.note(note)
  if (!columns) return mapped.issuer
  ctx.summary.count(columns.enabled === 1 ? 'OIDC sign-in settings (on)' : 'OIDC sign-in settings (off)')
  if (!ctx.dryRun)
    await writeOidcSettingsRow(ctx.store.db, { ...columns, client_secret: columns.client_secret && ctx.box.seal(columns.client_secret) })
  return mapped.issuer
}
