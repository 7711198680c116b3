// Upstream's OpenID Connect sign-in to ours (facts/upstream-database.md, settings oidc_*). The client
// secret is opened with the upstream key; without one the settings come over with sign-in off. The
// `oidc_<role>_group` columns become group-claim mapping rows, most privileged first. Upstream 1.4.x
// (and 2.x when OIDC_* is set) configured OIDC in its environment: those names are read from the env
// file only to say so and to know the issuer the users' links belong to.
import { readFileSync } from 'node:fs'
import { parseEnv } from 'node:util'
import { parseIssuerUrl, parseServerUrl } from '../config.js'
import type { OidcSettingsColumns } from '../oidc/oidc-settings-queries.js'
import { BUILTIN_ROLES } from '../users/permissions.js'
import { mapRole } from './map-accounts.js'
import type { UpstreamSettings } from './read-accounts.js'
import { readUpstreamSecret, type UpstreamKeys } from './upstream-secrets.js'

export interface MappedOidc {
  /** The row to write (the client secret in clear: the writer seals it), or none. */
  columns?: Omit<OidcSettingsColumns, 'client_secret'> & { client_secret: string | null }
  /** The issuer upstream's OIDC links belong to, when one is known. */
  issuer?: string
  notes: string[]
}

/** From the most to the least privileged: our mapping takes the first row that matches. */
const ROLE_ORDER = ['superadmin', 'admin', 'host_manager', 'user', 'readonly']
const GROUP_COLUMN = /^oidc_(.+)_group$/

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null)

/** The OIDC_* names an upstream env file sets (values are kept only for the issuer). */
export function upstreamOidcEnvironment(keys: UpstreamKeys | undefined): Record<string, string> {
  if (!keys) return {}
  try {
    const vars = parseEnv(readFileSync(keys.source, 'utf8'))
    return Object.fromEntries(Object.entries(vars).filter(([name, value]) => name.startsWith('OIDC_') && value !== undefined)) as Record<
      string,
      string
    >
  } catch {
    return {} // read once already by loadUpstreamKeys; a vanished file only loses this hint
  }
}

function checked(value: string | null, parse: (raw: string) => string): string | null | undefined {
  if (value === null) return null
  try {
    return parse(value)
  } catch {
    return undefined
  }
}

function groupMapping(s: UpstreamSettings, notes: string[]): { claim: string; role: string }[] {
  const rows: { claim: string; role: string }[] = []
  for (const [column, value] of Object.entries(s)) {
    const role = GROUP_COLUMN.exec(column)?.[1]
    const group = text(value)
    if (!role || !group) continue
    if (role in BUILTIN_ROLES) rows.push({ claim: group, role })
    else notes.push(`OIDC group "${group}" (${column}): no role "${role}" here; not mapped`)
  }
  return rows.sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role))
}

function scopesOf(raw: string | null, notes: string[]): string | null {
  if (!raw) return null
  const scopes = raw.split(/[\s,]+/).filter(Boolean)
  if (scopes.includes('openid')) return scopes.join(' ')
  notes.push('OIDC scopes: "openid" added (required here)')
  return ['openid', ...scopes].join(' ')
}

export function mapOidc(s: UpstreamSettings | undefined, keys: UpstreamKeys | undefined, env: Record<string, string>): MappedOidc {
  const notes: string[] = []
  const envNames = Object.keys(env)
  if (envNames.length > 0)
    notes.push(
      `upstream configures OIDC sign-in in its environment (${envNames.join(', ')}): this server reads the same OIDC_* variables from its environment; set them there (values are not copied)`
    )
  const envIssuer = checked(text(env['OIDC_ISSUER_URL']), parseIssuerUrl) ?? undefined
  const issuerRaw = text(s?.['oidc_issuer_url'])
  const clientId = text(s?.['oidc_client_id'])
  if (!s || (!issuerRaw && !clientId)) return envIssuer ? { issuer: envIssuer, notes } : { notes }
  const issuer = checked(issuerRaw, parseIssuerUrl)
  if (issuer === undefined) notes.push(`OIDC issuer ${JSON.stringify(issuerRaw)} is not a valid URL here; re-enter it under Settings`)
  const redirectRaw = text(s['oidc_redirect_uri'])
  const redirect = checked(redirectRaw, parseServerUrl)
  if (redirect === undefined) notes.push(`OIDC redirect URI ${JSON.stringify(redirectRaw)} is not valid here; the derived callback is used`)
  const stored = text(s['oidc_client_secret'])
  const secret = stored ? readUpstreamSecret(stored, keys, 'the OIDC client secret') : undefined
  const clientSecret = secret && secret.kind !== 'locked' ? secret.value : null
  const wanted = s['oidc_enabled'] === true
  const usable = Boolean(issuer && clientId && clientSecret)
  if (wanted && secret?.kind === 'locked')
    notes.push(
      'OIDC sign-in imported off: its client secret is encrypted upstream and no --env-file was given; re-enter the secret under Settings and turn it on'
    )
  else if (wanted && !usable) notes.push('OIDC sign-in imported off: upstream had no complete issuer, client id and secret')
  const enabled = wanted && usable
  const oidcOnly = s['oidc_disable_local_auth'] === true
  if (oidcOnly && !enabled)
    notes.push('OIDC-only mode (upstream disable local auth) not turned on, as OIDC sign-in is off here; turn it on once sign-in works')
  const role = text(s['oidc_default_role'])
  const defaultRole = role ? mapRole(role) : undefined
  if (defaultRole?.note) notes.push(`OIDC default role: ${defaultRole.note}`)
  let mapping = groupMapping(s, notes)
  if (mapping.length > 0 && s['oidc_sync_roles'] === false) {
    notes.push(
      'OIDC group mapping not carried over: upstream did not sync roles from groups, and here a mapping sets the role at every sign-in'
    )
    mapping = []
  } else if (mapping.length > 0) notes.push('OIDC group mapping carried over: here a user whose groups match no row is refused sign-in')
  if (s['oidc_trust_unverified_email'] === true)
    notes.push('OIDC: upstream trusted unverified e-mail addresses; here only a verified e-mail links an existing account')
  if (s['oidc_enforce_https'] === false) notes.push('OIDC: upstream did not enforce https; check the issuer URL uses https')
  return {
    issuer: envIssuer ?? issuer ?? undefined,
    notes,
    columns: {
      enabled: enabled ? 1 : 0,
      issuer_url: issuer ?? null,
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uri: redirect ?? null,
      scopes: scopesOf(text(s['oidc_scopes']), notes),
      button_text: text(s['oidc_button_text']),
      auto_create: s['oidc_auto_create_users'] === true ? 1 : 0,
      default_role: defaultRole?.role ?? null,
      group_claim: mapping.length > 0 ? (text(s['oidc_group_claim']) ?? text(s['oidc_groups_claim']) ?? 'groups') : null,
      role_mapping: JSON.stringify(mapping),
      // Upstream links an existing account by a verified e-mail (trusting unverified ones was its opt-in).
      link_by_email: 1,
      oidc_only: oidcOnly && enabled ? 1 : 0
    }
  }
}
