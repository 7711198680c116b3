// Shared set-up of the enrollment tests: tokens written straight into auto_enrollment_tokens
// (the token CRUD API belongs to another feature), fixture scripts and the enroll call.
import { readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import type { LightMyRequestResponse } from 'fastify'
import { hashSecret } from '../../src/security/secret-hashing.js'
import { newId, newTokenKey, newTokenSecret } from '../../src/security/random-tokens.js'
import type { TestApp } from '../helpers/test-app.js'
import type { Insertable } from 'kysely'
import type { AutoEnrollmentTokensTable } from '../../src/store/database-types.js'

export interface TestToken {
  id: string
  key: string
  secret: string
}

type TokenOverrides = Partial<{
  token_name: string
  integration_type: string
  is_active: number
  allowed_ip_ranges: string[]
  max_hosts_per_day: number
  hosts_created_today: number
  last_reset_date: string | null
  expires_at: string | null
  default_host_group_id: string | null
}>

export async function insertToken(ctx: TestApp, overrides: TokenOverrides = {}): Promise<TestToken> {
  const key = newTokenKey()
  const secret = newTokenSecret()
  const now = new Date().toISOString()
  const { allowed_ip_ranges, ...rest } = overrides
  const row: Insertable<AutoEnrollmentTokensTable> & { id: string } = {
    id: newId(),
    token_name: 'Proxmox Production',
    token_key: key,
    token_secret_hash: await hashSecret(secret),
    integration_type: 'proxmox-lxc',
    created_by_user_id: null,
    is_active: 1,
    allowed_ip_ranges: JSON.stringify(allowed_ip_ranges ?? []),
    max_hosts_per_day: 100,
    hosts_created_today: 0,
    last_reset_date: null,
    last_used_at: null,
    expires_at: null,
    default_host_group_id: null,
    metadata: JSON.stringify({ integration_type: overrides.integration_type ?? 'proxmox-lxc' }),
    scopes: null,
    created_at: now,
    updated_at: now,
    ...rest
  }
  await ctx.store.db.insertInto('auto_enrollment_tokens').values(row).execute()
  return { id: row.id, key, secret }
}

export async function insertGroup(ctx: TestApp, name = 'Proxmox LXC', color = '#3B82F6'): Promise<string> {
  const id = newId()
  const now = new Date().toISOString()
  await ctx.store.db.insertInto('host_groups').values({ id, name, color, description: null, created_at: now, updated_at: now }).execute()
  return id
}

export const enrollHeaders = (token: TestToken) => ({ 'x-auto-enrollment-key': token.key, 'x-auto-enrollment-secret': token.secret })

export function enroll(ctx: TestApp, token: TestToken, payload: unknown, remoteAddress?: string): Promise<LightMyRequestResponse> {
  return ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auto-enrollment/enroll',
    headers: enrollHeaders(token),
    payload: payload as Record<string, unknown>,
    ...(remoteAddress ? { remoteAddress } : {})
  })
}

const FIXTURES = join(__dirname, '../fixtures')

/**
 * Serves test/fixtures/scripts/<name>.sh for src/enrollment/scripts/<name>.sh and
 * test/fixtures/shell-agent/patchmon-agent.sh for the shell agent; `omit` hides files by name.
 */
export function useFixtureScripts(ctx: TestApp, omit: string[] = []): void {
  ctx.app.scriptReader = (key: string) => {
    const name = key.split('/').pop() ?? ''
    if (omit.includes(name)) return undefined
    const folder = key.startsWith('src/enrollment/scripts/')
      ? 'scripts'
      : key.startsWith('src/agent/shell-agent/')
        ? 'shell-agent'
        : undefined
    if (!folder) return undefined
    const file = join(FIXTURES, folder, name)
    return existsSync(file) ? readFileSync(file) : undefined
  }
}
