import t from 'tap'
import { buildTestApp, type TestApp } from '../helpers/test-app.js'
import { apiCredential, basic, ensureGroups, seedHost } from './fleet-fixture.js'

const HOSTS = '/api/v1/api/hosts'

async function fleet(ctx: TestApp) {
  const web = await seedHost(ctx, {
    friendlyName: 'web-server-01',
    hostname: 'web01.example.com',
    ip: '192.168.1.100',
    groups: ['Production', 'Web Servers'],
    needsReboot: true,
    packages: [
      { name: 'nginx', current: '1.18.0', available: '1.24.0', description: 'High performance web server', category: 'web' },
      { name: 'openssl', current: '3.0.2-1', available: '3.0.2-18', security: true, description: 'TLS toolkit', category: 'security' },
      { name: 'bash', current: '5.2' },
      { name: 'zlib', current: '1.3', available: '1.3.1', security: true }
    ],
    repos: 3,
    reports: [
      { status: 'success', hoursAgo: 1 },
      { status: 'error', hoursAgo: 3 },
      { status: 'success', hoursAgo: 30 }
    ],
    notes: 'Auto-enrolled via Proxmox Production on 2026-01-15',
    extra: {
      machine_id: 'abc123def456',
      agent_version: '1.4.0',
      gateway_ip: '192.168.1.1',
      dns_servers: '["8.8.8.8","8.8.4.4"]',
      network_interfaces: '[{"name":"eth0","type":"ethernet","addresses":[{"address":"192.168.1.100","family":"inet"}]}]',
      load_average: '[0.5,0.3,0.2]',
      disk_details: '[{"name":"/dev/sda1","size":"50G","mountpoint":"/"}]',
      ram_installed: 7.6,
      swap_size: 2,
      cpu_cores: 4,
      cpu_model: 'Intel Xeon',
      architecture: 'x86_64',
      kernel_version: '6.8.0-45-generic',
      reboot_reason: 'Kernel update pending'
    }
  })
  const db = await seedHost(ctx, {
    friendlyName: 'db-server-01',
    hostname: 'db01.example.com',
    ip: '192.168.1.101',
    groups: ['Production'],
    osType: 'Debian',
    osVersion: '12'
  })
  const dev = await seedHost(ctx, { friendlyName: 'dev-box', groups: ['Development'] })
  const pending = await seedHost(ctx, { friendlyName: 'new-lxc', hostname: null, ip: null, status: 'pending' })
  return { web, db, dev, pending }
}

t.test('GET /hosts lists every host sorted by friendly name with id, names, ip and groups (also with a trailing slash)', async (t) => {
  const ctx = await buildTestApp(t)
  const ids = await fleet(ctx)
  const cred = await apiCredential(ctx)
  for (const url of [HOSTS, `${HOSTS}/`]) {
    const res = await ctx.app.inject({ method: 'GET', url, headers: basic(cred.key, cred.secret) })
    t.equal(res.statusCode, 200, url)
    const body = res.json()
    t.equal(body.total, 4)
    t.notOk('filtered_by_groups' in body, 'no filter, no filtered_by_groups')
    t.same(
      body.hosts.map((h: { friendly_name: string }) => h.friendly_name),
      ['db-server-01', 'dev-box', 'new-lxc', 'web-server-01']
    )
    const web = body.hosts.find((h: { id: string }) => h.id === ids.web)
    t.same(Object.keys(web).sort(), ['friendly_name', 'host_groups', 'hostname', 'id', 'ip'])
    t.same(
      web.host_groups.map((g: { name: string }) => g.name),
      ['Production', 'Web Servers'],
      'groups sorted by name'
    )
    t.equal(web.hostname, 'web01.example.com')
    const pending = body.hosts.find((h: { id: string }) => h.id === ids.pending)
    t.equal(pending.hostname, 'new-lxc', 'a host that never reported falls back to its friendly name')
    t.equal(pending.ip, '')
    t.same(pending.host_groups, [], 'host_groups is always an array')
  }
})

t.test('hostgroup filter: names and UUIDs, comma = OR, exact case, unknown -> empty list with filtered_by_groups', async (t) => {
  const ctx = await buildTestApp(t)
  await fleet(ctx)
  const groups = await ensureGroups(ctx, ['Production', 'Development'])
  const cred = await apiCredential(ctx)
  const names = async (query: string) => {
    const res = await ctx.app.inject({ method: 'GET', url: `${HOSTS}?${query}`, headers: basic(cred.key, cred.secret) })
    t.equal(res.statusCode, 200)
    const body = res.json()
    return {
      names: body.hosts.map((h: { friendly_name: string }) => h.friendly_name),
      filtered: body.filtered_by_groups,
      total: body.total
    }
  }
  t.same(await names('hostgroup=Production'), { names: ['db-server-01', 'web-server-01'], filtered: ['Production'], total: 2 })
  t.same((await names('hostgroup=Production,Development')).names, ['db-server-01', 'dev-box', 'web-server-01'])
  t.same((await names(`hostgroup=${groups.get('Development')}`)).names, ['dev-box'])
  t.same((await names(`hostgroup=Production,${groups.get('Development')}`)).names, ['db-server-01', 'dev-box', 'web-server-01'])
  t.same((await names('hostgroup=Web%20Servers')).names, ['web-server-01'], 'URL-encoded spaces')
  t.same(await names('hostgroup=production'), { names: [], filtered: ['production'], total: 0 }, 'case-sensitive')
  t.same(await names('hostgroup=Nope,Ghost'), { names: [], filtered: ['Nope', 'Ghost'], total: 0 })
  t.same(
    await names('hostgroup=%20Production%20,,Nope'),
    { names: ['db-server-01', 'web-server-01'], filtered: ['Production', 'Nope'], total: 2 },
    'trimmed, empties dropped, unresolved echoed'
  )
  t.same((await names('hostgroup=550e8400-e29b-41d4-a716-446655440000')).names, [], 'unknown UUID matches nothing')
  const all = await names('hostgroup=,,')
  t.equal(all.total, 4, 'an all-comma filter is no filter')
  t.equal(all.filtered, undefined)
})

t.test('include=stats adds the documented fields from the denormalised counts', async (t) => {
  const ctx = await buildTestApp(t)
  const ids = await fleet(ctx)
  const cred = await apiCredential(ctx)
  const res = await ctx.app.inject({
    method: 'GET',
    url: `${HOSTS}?hostgroup=Production&include=STATS`,
    headers: basic(cred.key, cred.secret)
  })
  const web = res.json().hosts.find((h: { id: string }) => h.id === ids.web)
  t.match(web, {
    os_type: 'Ubuntu',
    os_version: '24.04 LTS',
    status: 'active',
    needs_reboot: true,
    updates_count: 3,
    security_updates_count: 2,
    total_packages: 4,
    effective_status: 'active',
    reporting_state: 'reporting',
    update_state: 'security_required'
  })
  t.match(web.last_update, /^\d{4}-\d{2}-\d{2}T/)
  const db = res.json().hosts.find((h: { id: string }) => h.id === ids.db)
  t.match(db, { needs_reboot: false, updates_count: 0, update_state: 'up_to_date' })
  t.same(res.json().filtered_by_groups, ['Production'])
})

t.test('per-host endpoints return the documented shapes', async (t) => {
  const ctx = await buildTestApp(t)
  const ids = await fleet(ctx)
  const cred = await apiCredential(ctx)
  const call = async (path: string) => {
    const res = await ctx.app.inject({ method: 'GET', url: `${HOSTS}/${ids.web}/${path}`, headers: basic(cred.key, cred.secret) })
    t.equal(res.statusCode, 200, path)
    return res.json()
  }
  t.same(await call('stats'), { host_id: ids.web, total_installed_packages: 4, outdated_packages: 3, security_updates: 2, total_repos: 3 })
  const info = await call('info')
  t.match(info, {
    id: ids.web,
    machine_id: 'abc123def456',
    friendly_name: 'web-server-01',
    hostname: 'web01.example.com',
    ip: '192.168.1.100',
    os_type: 'Ubuntu',
    os_version: '24.04 LTS',
    agent_version: '1.4.0'
  })
  t.equal(info.host_groups.length, 2)
  t.same(await call('network'), {
    id: ids.web,
    ip: '192.168.1.100',
    gateway_ip: '192.168.1.1',
    dns_servers: ['8.8.8.8', '8.8.4.4'],
    network_interfaces: [{ name: 'eth0', type: 'ethernet', addresses: [{ address: '192.168.1.100', family: 'inet' }] }]
  })
  const system = await call('system')
  t.match(system, {
    architecture: 'x86_64',
    kernel_version: '6.8.0-45-generic',
    installed_kernel_version: '',
    cpu_cores: 4,
    ram_installed: 7.6,
    swap_size: 2,
    needs_reboot: true,
    reboot_reason: 'Kernel update pending'
  })
  t.same(system.load_average, { '1min': 0.5, '5min': 0.3, '15min': 0.2 }, 'the agent array becomes the documented object')
  t.same(system.disk_details, [{ name: '/dev/sda1', size: '50G', mountpoint: '/', filesystem: '/dev/sda1', mounted_on: '/' }])

  const packages = await call('packages')
  t.same(packages.host, { id: ids.web, hostname: 'web01.example.com', friendly_name: 'web-server-01' })
  t.same(
    packages.packages.map((p: { name: string }) => p.name),
    ['openssl', 'zlib', 'nginx', 'bash'],
    'security first, then updates, then name'
  )
  t.equal(packages.total, 4)
  const bash = packages.packages.find((p: { name: string }) => p.name === 'bash')
  t.match(bash, { available_version: null, needs_update: false, is_security_update: false, description: '', category: '' })
  const openssl = packages.packages[0]
  t.match(openssl, {
    current_version: '3.0.2-1',
    available_version: '3.0.2-18',
    needs_update: true,
    is_security_update: true,
    description: 'TLS toolkit',
    category: 'security'
  })
  const updatesOnly = await call('packages?updates_only=true')
  t.equal(updatesOnly.total, 3)
  t.equal((await call('packages?updates_only=TRUE')).total, 4, 'only the exact string true filters')

  const reports = await call('package_reports')
  t.equal(reports.host_id, ids.web)
  t.same(
    reports.reports.map((r: { status: string }) => r.status),
    ['success', 'error', 'success'],
    'newest first'
  )
  t.same(Object.keys(reports.reports[0]).sort(), [
    'date',
    'error_message',
    'execution_time_seconds',
    'id',
    'outdated_packages',
    'payload_kb',
    'security_updates',
    'status',
    'total_packages'
  ])
  t.equal((await call('package_reports?limit=2')).total, 2)
  t.equal((await call('package_reports?limit=0')).total, 3, 'out-of-range limit falls back to 10')
  t.equal((await call('package_reports?limit=abc')).total, 3)

  t.same(await call('agent_queue'), {
    host_id: ids.web,
    queue_status: { waiting: 0, active: 0, delayed: 0, failed: 0 },
    job_history: [],
    total_jobs: 0
  })
  t.same(await call('notes'), { host_id: ids.web, notes: 'Auto-enrolled via Proxmox Production on 2026-01-15' })
  t.same(await call('integrations'), {
    host_id: ids.web,
    integrations: {
      docker: {
        enabled: false,
        description: 'Monitor Docker containers, images, volumes, and networks. Collects real-time container status events.'
      }
    }
  })
  const empty = await ctx.app.inject({ method: 'GET', url: `${HOSTS}/${ids.pending}/notes/`, headers: basic(cred.key, cred.secret) })
  t.same(empty.json(), { host_id: ids.pending, notes: '' }, 'no notes is an empty string; trailing slash accepted')
})

t.test('unknown or malformed host ids are 404 Host not found on reads; there is no GET /hosts/:id', async (t) => {
  const ctx = await buildTestApp(t)
  const ids = await fleet(ctx)
  const cred = await apiCredential(ctx)
  for (const path of ['stats', 'info', 'network', 'system', 'packages', 'package_reports', 'agent_queue', 'notes', 'integrations']) {
    for (const id of ['550e8400-e29b-41d4-a716-446655440000', 'not-a-uuid']) {
      const res = await ctx.app.inject({ method: 'GET', url: `${HOSTS}/${id}/${path}`, headers: basic(cred.key, cred.secret) })
      t.equal(res.statusCode, 404, `${path} ${id}`)
      t.same(res.json(), { error: 'Host not found' })
    }
  }
  const single = await ctx.app.inject({ method: 'GET', url: `${HOSTS}/${ids.web}`, headers: basic(cred.key, cred.secret) })
  t.equal(single.statusCode, 404)
  t.notOk(single.body.includes('web01.example.com'), 'never a host')
})

t.test('scope checks: get and delete are explicit, and the scope check precedes the id check', async (t) => {
  const ctx = await buildTestApp(t)
  const ids = await fleet(ctx)
  const getOnly = await apiCredential(ctx, ['get'])
  const deleteOnly = await apiCredential(ctx, ['delete'])
  const patchOnly = await apiCredential(ctx, ['patch'])
  const denied = (message: string) => ({ error: 'Access denied', message })

  const del = (cred: { key: string; secret: string }, id: string) =>
    ctx.app.inject({ method: 'DELETE', url: `${HOSTS}/${id}`, headers: basic(cred.key, cred.secret) })
  const r1 = await del(getOnly, 'not-a-uuid')
  t.equal(r1.statusCode, 403, 'no delete scope and a malformed id: 403 first')
  t.same(r1.json(), denied('This API key does not have permission to delete host'))
  const r2 = await ctx.app.inject({ method: 'GET', url: HOSTS, headers: basic(deleteOnly.key, deleteOnly.secret) })
  t.equal(r2.statusCode, 403)
  t.same(r2.json(), denied('This API key does not have permission to get host'))
  t.same(
    (await ctx.app.inject({ method: 'GET', url: `${HOSTS}/${ids.web}/stats`, headers: basic(patchOnly.key, patchOnly.secret) })).json(),
    denied('This API key does not have permission to get host')
  )

  // Stored scopes that the admin API would never write: still refused with the documented messages.
  const setScopes = (id: string, scopes: string | null) =>
    ctx.store.db.updateTable('auto_enrollment_tokens').set({ scopes }).where('id', '=', id).execute()
  const odd = await apiCredential(ctx, ['get'])
  const oddGet = () => ctx.app.inject({ method: 'GET', url: HOSTS, headers: basic(odd.key, odd.secret) })
  await setScopes(odd.id, null)
  t.same((await oddGet()).json(), denied('This API key does not have the required permissions'))
  await setScopes(odd.id, '{}')
  t.same((await oddGet()).json(), denied('This API key does not have the required permissions'))
  await setScopes(odd.id, '{"host":"get"}')
  t.same((await oddGet()).json(), denied('Invalid API key permissions configuration'))
  await setScopes(odd.id, '["host"]')
  t.same((await oddGet()).json(), denied('Invalid API key permissions configuration'))
  await setScopes(odd.id, '{"users":["get"]}')
  t.same((await oddGet()).json(), denied('This API key does not have access to host'))
  await setScopes(odd.id, '{"host":[" get "]}')
  t.equal((await oddGet()).statusCode, 200, 'stored actions are trimmed')

  const r3 = await del(deleteOnly, 'not-a-uuid')
  t.equal(r3.statusCode, 400)
  t.same(r3.json(), { error: 'Invalid host ID format' })
  const r4 = await del(deleteOnly, '550e8400-e29b-41d4-a716-446655440000')
  t.equal(r4.statusCode, 404)
  t.same(r4.json(), { error: 'Host not found' })
})

t.test('DELETE removes the host and cascades packages, repositories, history and memberships', async (t) => {
  const ctx = await buildTestApp(t)
  const ids = await fleet(ctx)
  const cred = await apiCredential(ctx, ['get', 'delete'])
  const events: unknown[] = []
  ctx.app.events.on('host_deleted', (e) => void events.push(e))
  const res = await ctx.app.inject({ method: 'DELETE', url: `${HOSTS}/${ids.web}/`, headers: basic(cred.key, cred.secret) })
  t.equal(res.statusCode, 200)
  t.same(res.json(), {
    message: 'Host deleted successfully',
    deleted: { id: ids.web, friendly_name: 'web-server-01', hostname: 'web01.example.com' }
  })
  const db = ctx.store.db
  const count = async (table: 'host_packages' | 'host_repositories' | 'report_history' | 'host_group_memberships') =>
    (await db.selectFrom(table).select('host_id').where('host_id', '=', ids.web).execute()).length
  t.equal(await count('host_packages'), 0)
  t.equal(await count('host_repositories'), 0)
  t.equal(await count('report_history'), 0)
  t.equal(await count('host_group_memberships'), 0)
  t.equal((await db.selectFrom('hosts').select('id').where('id', '=', ids.db).execute()).length, 1, 'other hosts stay')
  t.same(events, [{ hostId: ids.web, hostName: 'web01.example.com' }])
  const again = await ctx.app.inject({ method: 'DELETE', url: `${HOSTS}/${ids.web}`, headers: basic(cred.key, cred.secret) })
  t.equal(again.statusCode, 404)
})

t.test('every Integration API and gethomepage route is in the OpenAPI document with Basic security', async (t) => {
  const ctx = await buildTestApp(t)
  const doc = (await ctx.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
    paths: Record<string, Record<string, { security?: unknown }>>
  }
  const expected: [string, string][] = [
    ['/api/v1/api/hosts', 'get'],
    ['/api/v1/api/hosts/{id}/stats', 'get'],
    ['/api/v1/api/hosts/{id}/info', 'get'],
    ['/api/v1/api/hosts/{id}/network', 'get'],
    ['/api/v1/api/hosts/{id}/system', 'get'],
    ['/api/v1/api/hosts/{id}/packages', 'get'],
    ['/api/v1/api/hosts/{id}/package_reports', 'get'],
    ['/api/v1/api/hosts/{id}/agent_queue', 'get'],
    ['/api/v1/api/hosts/{id}/notes', 'get'],
    ['/api/v1/api/hosts/{id}/integrations', 'get'],
    ['/api/v1/api/hosts/{id}', 'delete'],
    ['/api/v1/gethomepage/stats', 'get'],
    ['/api/v1/gethomepage/health', 'get']
  ]
  for (const [path, method] of expected) t.same(doc.paths[path]?.[method]?.security, [{ basicAuth: [] }], `${method} ${path}`)
  for (const [path, method] of [
    ['/api/v1/auto-enrollment/tokens', 'post'],
    ['/api/v1/auto-enrollment/tokens', 'get'],
    ['/api/v1/auto-enrollment/tokens/{tokenId}', 'patch'],
    ['/api/v1/auto-enrollment/tokens/{tokenId}', 'delete'],
    ['/api/v1/auto-enrollment/tokens/{tokenId}/gethomepage-config', 'post']
  ] as const) {
    t.same(doc.paths[path]?.[method]?.security, [{ bearerAuth: [] }], `${method} ${path}`)
  }
})
