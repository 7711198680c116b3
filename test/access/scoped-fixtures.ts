// A fleet with two host groups for the access tests: "mine" holds the scoped user's host, "theirs" a
// foreign one. Both hosts reported packages, and each has a patch run, a hold, a window, a schedule,
// a reboot exemption, a policy assignment and a bulk batch, repositories (one its own) and a Docker
// inventory with a stopped container, so every surface has something to leak.
import type { Test } from 'tap'
import { bearer, login } from '../helpers/test-app.js'
import { beyondApp, hostGroup, pkg, reportedHost, type BeyondApp } from '../patching/beyond-helpers.js'
import { agentReport, postReport, type TestHost } from '../helpers/agent-fixtures.js'
import { dockerPayload, postDocker } from '../docker/docker-fixtures.js'
import { PERMISSIONS } from '../../src/users/permissions.js'

export interface ScopedFleet {
  ctx: BeyondApp
  mine: { id: string; group: string; name: string }
  theirs: { id: string; group: string; name: string; apiId: string }
  /** Every id of a row that belongs to the foreign host or group, by kind. */
  foreignIds: Record<string, string>
  /** A user with every permission, limited to the group "mine" through its own limit. */
  scopedToken: string
}

async function must(ctx: BeyondApp, method: 'POST' | 'PUT', url: string, payload: unknown): Promise<Record<string, unknown>> {
  const res = await ctx.api(method, url, payload)
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body as Record<string, unknown>
}

/** Patching rows on one host (or its group); returns their ids. */
async function patchingRows(ctx: BeyondApp, hostId: string, groupId: string, tag: string): Promise<Record<string, string>> {
  const run = await must(ctx, 'POST', '/api/v1/patching/trigger', { host_id: hostId, patch_type: 'patch_all', pending_approval: true })
  const hold = await must(ctx, 'POST', '/api/v1/patching/holds', { target_type: 'host', target_id: hostId, pattern: `pkg-${tag}` })
  const groupHold = await must(ctx, 'POST', '/api/v1/patching/holds', {
    target_type: 'host_group',
    target_id: groupId,
    pattern: 'kernel-*'
  })
  const window = await must(ctx, 'POST', '/api/v1/patching/windows', {
    name: `window-${tag}`,
    frequency: 'weekly',
    days: [6],
    time: '22:00',
    duration_minutes: 240,
    target_type: 'host',
    target_id: hostId
  })
  const schedule = await must(ctx, 'POST', '/api/v1/patching/schedules', {
    name: `schedule-${tag}`,
    target_type: 'host',
    target_id: hostId,
    frequency: 'daily',
    time: '02:30',
    scope: 'all'
  })
  await must(ctx, 'PUT', `/api/v1/patching/reboot-exemptions/${hostId}`, { reason: `exempt-${tag}` })
  const policy = await must(ctx, 'POST', '/api/v1/patching/policies', { name: `policy-${tag}`, patch_delay_type: 'immediate' })
  await must(ctx, 'POST', `/api/v1/patching/policies/${String(policy.id)}/assignments`, { target_type: 'host', target_id: hostId })
  await must(ctx, 'POST', `/api/v1/patching/policies/${String(policy.id)}/exclusions`, { host_id: hostId })
  const bulk = await must(ctx, 'POST', '/api/v1/patching/bulk', { host_ids: [hostId], patch_type: 'patch_all', dry_run: true })
  return {
    run: String(run.patch_run_id),
    hold: String(hold.id),
    groupHold: String(groupHold.id),
    window: String(window.id),
    schedule: String(schedule.id),
    policy: String(policy.id),
    bulk: String(bulk.id)
  }
}

/** Repositories (one only this host uses) and a Docker inventory with a container that stopped. */
async function inventory(ctx: BeyondApp, host: TestHost, tag: string, packages: ReturnType<typeof pkg>[]): Promise<string> {
  const own = `https://only-${tag}.example.net/debian`
  const repositories = [
    {
      name: 'debian',
      url: 'https://deb.debian.org/debian',
      distribution: 'bookworm',
      components: 'main',
      repoType: 'deb',
      isEnabled: true,
      isSecure: true
    },
    { name: `only-${tag}`, url: own, distribution: 'bookworm', components: 'main', repoType: 'deb', isEnabled: true, isSecure: false }
  ]
  const res = await postReport(ctx, host, agentReport(packages, { agentVersion: '2.1.3', repositories }))
  if (res.statusCode !== 200) throw new Error(`report failed: ${res.statusCode} ${res.body}`)
  const container = { id: `c-${tag}`, name: `app-${tag}`, image: `img-${tag}`, tag: '1' }
  await postDocker(ctx, host, dockerPayload(tag, [{ ...container, state: 'running' }]))
  await postDocker(ctx, host, dockerPayload(tag, [{ ...container, state: 'exited' }]))
  const repo = await ctx.store.db.selectFrom('repositories').select('id').where('url', '=', own).executeTakeFirstOrThrow()
  return repo.id
}

export async function scopedFleet(t: Test): Promise<ScopedFleet> {
  // The walk sends every registered GET route several times: more than the default general bucket (5,000).
  const ctx = await beyondApp(t, { env: { RATE_LIMIT_MAX: '100000' } })
  ctx.setNow('2026-06-03T10:00:00Z')
  const mineGroup = await hostGroup(ctx, 'group-mine')
  const theirGroup = await hostGroup(ctx, 'group-theirs')
  const mineHost = await reportedHost(ctx, 'own-host-k4', [pkg('shared-lib'), pkg('own-only-pkg', true)], [mineGroup])
  const theirHost = await reportedHost(ctx, 'foreign-host-zq7', [pkg('shared-lib'), pkg('foreign-only-pkg', true)], [theirGroup])
  await patchingRows(ctx, mineHost.id, mineGroup, 'mine')
  const foreign = await patchingRows(ctx, theirHost.id, theirGroup, 'theirs')
  await inventory(ctx, mineHost, 'mine', [pkg('shared-lib'), pkg('own-only-pkg', true)])
  const foreignRepository = await inventory(ctx, theirHost, 'theirs', [pkg('shared-lib'), pkg('foreign-only-pkg', true)])
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(ctx.adminToken),
    payload: { username: 'scoped', password: 'scoped-password', role: 'superadmin', host_group_ids: [mineGroup] }
  })
  if (res.statusCode !== 201) throw new Error(`scoped user: ${res.statusCode} ${res.body}`)
  const scopedToken = await login(ctx.app, 'scoped', 'scoped-password')
  return {
    ctx,
    mine: { id: mineHost.id, group: mineGroup, name: 'own-host-k4' },
    theirs: { id: theirHost.id, group: theirGroup, name: 'foreign-host-zq7', apiId: theirHost.apiId },
    foreignIds: { host: theirHost.id, group: theirGroup, ...foreign, repository: foreignRepository },
    scopedToken
  }
}

/** Every permission: the walk's user may call every route, so only the scope stands in the way. */
export const ALL_PERMISSIONS = [...PERMISSIONS]
