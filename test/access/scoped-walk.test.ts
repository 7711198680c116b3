// The proof of host-group scoping (issue 18 part 3): every route the real app registers is called
// as a user with every permission but limited to one host group, with the foreign host's and group's
// ids in every path parameter, common query filters and request body. No reply may show the foreign
// host (id, name, api_id, its own package) and no foreign row may change. Routes are read from the
// app itself (printRoutes), so a route added later is walked too, and fails here if it forgets the
// scope (hosts/host-scope.ts).
import t from 'tap'
import { sql } from 'kysely'
import { bearer } from '../helpers/test-app.js'
import { scopedFleet, type ScopedFleet } from './scoped-fixtures.js'

interface Route {
  method: string
  path: string
}

/** Parses `printRoutes({ commonPrefix: false })`: each level is indented by four characters. */
function registeredRoutes(tree: string): Route[] {
  const stack: string[] = []
  const routes: Route[] = []
  for (const line of tree.split('\n')) {
    const m = /^([\s│]*)[└├]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (!m) continue
    const depth = m[1]!.length / 4
    stack.length = depth
    const path = (depth === 0 ? '' : stack[depth - 1]!) + m[2]!
    stack[depth] = path
    for (const method of (m[3] ?? '').split(', ').filter(Boolean)) if (method !== 'HEAD') routes.push({ method, path })
  }
  return routes
}

/**
 * Routes the walk does not call, each for a reason that has nothing to do with host data: they end
 * or change the walking user's own session or password, which would stop the walk itself.
 */
const NOT_WALKED = new Set(['POST /api/v1/auth/logout', 'POST /api/v1/auth/change-password'])

/** Every way of filling a path: each parameter takes each foreign id in turn. */
function concretePaths(path: string, candidates: string[]): string[] {
  const params = path.match(/:[A-Za-z]+|\*/g) ?? []
  let paths = [path]
  for (const p of params) paths = paths.flatMap((x) => candidates.map((c) => x.replace(p, c)))
  return paths
}

function bodiesFor(f: ScopedFleet): object[] {
  const F = f.theirs.id
  const G = f.theirs.group
  const common = { patch_type: 'patch_all', name: 'walk', friendly_name: 'walk', pattern: 'walk-*', reason: 'walk', scope: 'all' }
  const timing = { frequency: 'daily', time: '01:00', days: [1], duration_minutes: 60, patch_delay_type: 'immediate' }
  return [
    { ...common, ...timing, host_id: F, host_ids: [F], target_type: 'host', target_id: F },
    { ...common, ...timing, host_group_id: G, host_group_ids: [G], target_type: 'host_group', target_id: G },
    { host_group_ids: [] },
    { notes: 'walk', friendly_name: 'walk' }
  ]
}

function queriesFor(f: ScopedFleet): string[] {
  const F = f.theirs.id
  const G = f.theirs.group
  return ['', `?host_id=${F}&target_type=host&target_id=${F}`, `?group=${G}&host_group_id=${G}`, `?hostId=${F}&search=foreign`]
}

/** The foreign host's rows in every table that holds host data, as one text to compare. */
async function foreignSnapshot(f: ScopedFleet): Promise<string> {
  const db = f.ctx.store.db
  const F = f.theirs.id
  const G = f.theirs.group
  const rows = async (query: string, ...params: string[]) =>
    (await sql.raw<unknown>(query.replace(/\?/g, () => `'${params.shift()!}'`)).execute(db)).rows
  return JSON.stringify({
    host: await rows('select * from hosts where id = ?', F),
    group: await rows('select * from host_groups where id = ?', G),
    memberships: await rows('select host_id, host_group_id from host_group_memberships where host_id = ? or host_group_id = ?', F, G),
    packages: await rows('select * from host_packages where host_id = ? order by package_id', F),
    runs: await rows('select id, status, updated_at from patch_runs where host_id = ? order by id', F),
    holds: await rows('select * from patch_holds where target_id in (?, ?) order by id', F, G),
    windows: await rows('select * from patch_windows where target_id = ? order by id', F),
    schedules: await rows('select * from patch_schedules where target_id = ? order by id', F),
    exemptions: await rows('select * from patch_reboot_exemptions where host_id = ?', F),
    assignments: await rows('select * from patch_policy_assignments where target_id = ? order by id', F),
    exclusions: await rows('select * from patch_policy_exclusions where host_id = ? order by id', F),
    policies: await rows('select * from patch_policies where id = ?', f.foreignIds.policy!),
    bulk: await rows('select * from patch_bulk_items where host_id = ? order by batch_id', F),
    docker: await rows('select * from docker_integration_hosts where host_id = ?', F),
    containers: await rows('select container_id, state from docker_containers where host_id = ? order by container_id', F)
  })
}

/**
 * What of the foreign host a reply shows. Policies are fleet-wide templates, not host data, so their
 * id is no secret. A refusal (4xx) may echo an id the caller itself sent (a 404 naming the path).
 */
function leaks(f: ScopedFleet, body: string, status: number, sent: string): string[] {
  const { policy: _policy, ...hostRows } = f.foreignIds
  const secrets = [f.theirs.id, f.theirs.name, f.theirs.apiId, 'foreign-only-pkg', ...Object.values(hostRows)]
  return secrets.filter((s) => body.includes(s) && !(status >= 400 && sent.includes(s)))
}

async function walk(f: ScopedFleet, token: string, methods: 'reads' | 'writes', queries = queriesFor(f)) {
  const routes = registeredRoutes(f.ctx.app.printRoutes({ commonPrefix: false }))
  const candidates = [...new Set(Object.values(f.foreignIds))]
  const found: string[] = []
  let calls = 0
  for (const route of routes) {
    const key = `${route.method} ${route.path}`
    if (NOT_WALKED.has(key) || (route.method === 'GET') !== (methods === 'reads')) continue
    for (const url of concretePaths(route.path, candidates)) {
      const variants = route.method === 'GET' ? queries.map((q) => ({ url: url + q })) : bodiesFor(f).map((payload) => ({ url, payload }))
      for (const v of variants) {
        const res = await f.ctx.app.inject({ method: route.method as 'GET', headers: bearer(token), ...v })
        calls++
        const leaked = leaks(f, res.body, res.statusCode, JSON.stringify(v))
        if (leaked.length > 0) found.push(`${route.method} ${v.url} -> ${res.statusCode} shows ${leaked.join(', ')}`)
      }
    }
  }
  return { routes, found, calls }
}

t.test('a user limited to one host group sees and changes no foreign host on any route', async (t) => {
  const f = await scopedFleet(t)
  const before = await foreignSnapshot(f)

  const reads = await walk(f, f.scopedToken, 'reads')
  t.ok(reads.routes.length > 100, `walked ${reads.routes.length} registered routes (${reads.calls} GET calls)`)
  t.same(reads.found, [], 'no GET reply shows the foreign host')

  const writes = await walk(f, f.scopedToken, 'writes')
  t.same(writes.found, [], 'no write reply shows the foreign host')
  t.equal(await foreignSnapshot(f), before, 'no foreign row changed')

  // The scoped user still sees and reaches their own host.
  const own = await f.ctx.app.inject({ method: 'GET', url: '/api/v1/hosts', headers: bearer(f.scopedToken) })
  t.match(own.json(), { hosts: [{ id: f.mine.id }], total: 1 })
  const foreign = await f.ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${f.theirs.id}`, headers: bearer(f.scopedToken) })
  t.equal(foreign.statusCode, 404, 'a foreign host answers 404, not 403')
})

t.test('the same walk as an unlimited admin does show the foreign host (the check can fail)', async (t) => {
  const f = await scopedFleet(t)
  const reads = await walk(f, f.ctx.adminToken, 'reads', [''])
  const surfaces = new Set(reads.found.map((line) => line.split(' ')[1]!.split('?')[0]!.replace(f.theirs.id, ':id')))
  t.ok(surfaces.size >= 15, `the foreign host shows on ${surfaces.size} GET surfaces for an admin`)
})
