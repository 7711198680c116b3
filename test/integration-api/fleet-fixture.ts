// Test fixture: hosts with packages, repositories and report history, written the way report
// ingestion writes them (denormalised counts on hosts in step with host_packages), plus helpers
// to create integration credentials through the admin API.
import type { TestApp } from '../helpers/test-app.js'
import { bearer } from '../helpers/test-app.js'
import { createHost } from '../../src/hosts/host-service.js'
import { newId } from '../../src/security/random-tokens.js'

export interface SeedPackage {
  name: string
  current: string
  available?: string
  security?: boolean
  description?: string
  category?: string
}

export interface SeedHost {
  friendlyName: string
  hostname?: string | null
  ip?: string | null
  osType?: string
  osVersion?: string
  status?: 'active' | 'pending' | 'inactive'
  groups?: string[]
  packages?: SeedPackage[]
  repos?: number
  reports?: { status: 'success' | 'error'; hoursAgo: number }[]
  needsReboot?: boolean
  notes?: string
  extra?: Record<string, string | number | null>
}

/** Creates (or reuses) host groups by name; returns name -> id. */
export async function ensureGroups(ctx: TestApp, names: string[]): Promise<Map<string, string>> {
  const db = ctx.store.db
  const ids = new Map<string, string>()
  for (const name of names) {
    const existing = await db.selectFrom('host_groups').select('id').where('name', '=', name).executeTakeFirst()
    if (existing) {
      ids.set(name, existing.id)
      continue
    }
    const id = newId()
    const now = new Date().toISOString()
    await db.insertInto('host_groups').values({ id, name, description: null, color: '#3B82F6', created_at: now, updated_at: now }).execute()
    ids.set(name, id)
  }
  return ids
}

export async function seedHost(ctx: TestApp, spec: SeedHost): Promise<string> {
  const db = ctx.store.db
  const groups = await ensureGroups(ctx, spec.groups ?? [])
  const { host } = await createHost(db, { friendlyName: spec.friendlyName, hostGroupIds: [...groups.values()], notes: spec.notes ?? null })
  const packages = spec.packages ?? []
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    for (const p of packages) {
      let pkg = await trx.selectFrom('packages').select('id').where('name', '=', p.name).executeTakeFirst()
      if (!pkg) {
        pkg = { id: newId() }
        await trx
          .insertInto('packages')
          .values({ id: pkg.id, name: p.name, description: p.description ?? null, category: p.category ?? null, created_at: now })
          .execute()
      }
      await trx
        .insertInto('host_packages')
        .values({
          host_id: host.id,
          package_id: pkg.id,
          current_version: p.current,
          available_version: p.available ?? null,
          needs_update: p.available ? 1 : 0,
          is_security_update: p.available && p.security ? 1 : 0,
          last_checked: now
        })
        .execute()
    }
    for (let i = 0; i < (spec.repos ?? 0); i++) {
      const repoId = newId()
      await trx
        .insertInto('repositories')
        .values({ id: repoId, name: `repo-${repoId}`, url: `http://mirror.example/${repoId}`, created_at: now, updated_at: now })
        .execute()
      await trx.insertInto('host_repositories').values({ host_id: host.id, repository_id: repoId, last_checked: now }).execute()
    }
    for (const r of spec.reports ?? []) {
      await trx
        .insertInto('report_history')
        .values({
          id: newId(),
          host_id: host.id,
          status: r.status,
          total_packages: packages.length,
          created_at: new Date(Date.now() - r.hoursAgo * 3600_000).toISOString()
        })
        .execute()
    }
    const outdated = packages.filter((p) => p.available).length
    const security = packages.filter((p) => p.available && p.security).length
    await trx
      .updateTable('hosts')
      .set({
        hostname: spec.hostname === undefined ? `${spec.friendlyName}.example.com` : spec.hostname,
        ip: spec.ip === undefined ? '192.0.2.10' : spec.ip,
        os_type: spec.osType ?? 'Ubuntu',
        os_version: spec.osVersion ?? '24.04 LTS',
        status: spec.status ?? 'active',
        last_update: now,
        needs_reboot: spec.needsReboot === undefined ? 0 : spec.needsReboot ? 1 : 0,
        total_packages: packages.length,
        outdated_packages: outdated,
        security_updates: security,
        total_repos: spec.repos ?? 0,
        ...(spec.extra ?? {})
      })
      .where('id', '=', host.id)
      .execute()
  })
  return host.id
}

export interface Credential {
  id: string
  key: string
  secret: string
  body: Record<string, unknown>
}

/** Creates a credential through POST /api/v1/auto-enrollment/tokens; throws unless 201. */
export async function createCredential(ctx: TestApp, body: Record<string, unknown>): Promise<Credential> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auto-enrollment/tokens',
    headers: bearer(ctx.adminToken),
    payload: body
  })
  if (res.statusCode !== 201) throw new Error(`credential creation failed: ${res.statusCode} ${res.body}`)
  const json = res.json() as { token: { id: string; token_key: string; token_secret: string } }
  return { id: json.token.id, key: json.token.token_key, secret: json.token.token_secret, body: res.json() as Record<string, unknown> }
}

export const apiCredential = (ctx: TestApp, actions: string[] = ['get'], extra: Record<string, unknown> = {}) =>
  createCredential(ctx, {
    token_name: `api ${actions.join('+')}`,
    metadata: { integration_type: 'api' },
    scopes: { host: actions },
    ...extra
  })

export const homepageCredential = (ctx: TestApp, extra: Record<string, unknown> = {}) =>
  createCredential(ctx, { token_name: 'GetHomepage dashboard', metadata: { integration_type: 'gethomepage' }, ...extra })

export const basic = (key: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}` })
