import t from 'tap'
import { userWithRole, bearer } from '../helpers/test-app.js'
import { addDestination, buildNotificationTestApp, DISCORD_URL, GENERIC_URL, SLACK_URL } from './helpers/notification-test-app.js'

t.test('destinations', async (t) => {
  const ctx = await buildNotificationTestApp(t)
  const url = '/api/v1/notifications/destinations'

  t.test('an empty webhook URL is rejected with "Webhook URL is required"', async (t) => {
    for (const config of [{}, { url: '' }, { url: null }]) {
      const res = await ctx.app.inject({
        method: 'POST',
        url,
        headers: ctx.auth,
        payload: { channel_type: 'webhook', display_name: 'Ops', config }
      })
      t.equal(res.statusCode, 400)
      t.same(res.json(), { error: 'Webhook URL is required' })
    }
    const missingConfig = await ctx.app.inject({
      method: 'POST',
      url,
      headers: ctx.auth,
      payload: { channel_type: 'webhook', display_name: 'Ops' }
    })
    t.same(missingConfig.json(), { error: 'Webhook URL is required' })
    const bad = await ctx.app.inject({
      method: 'POST',
      url,
      headers: ctx.auth,
      payload: { display_name: 'Ops', config: { url: 'ftp://x/y' } }
    })
    t.same(bad.json(), { error: 'Webhook URL must be a valid http(s) URL' })
    const noName = await ctx.app.inject({ method: 'POST', url, headers: ctx.auth, payload: { config: { url: DISCORD_URL } } })
    t.same(noName.json(), { error: 'Display name is required' })
  })

  t.test('a Discord URL is detected, sealed at rest and shown masked, never in full', async (t) => {
    const res = await ctx.app.inject({
      method: 'POST',
      url,
      headers: ctx.auth,
      payload: {
        channel_type: 'webhook',
        display_name: 'Ops Discord',
        config: { url: DISCORD_URL, signing_secret: 'hmac-secret-value', headers: { 'X-Extra': 'header-secret' } }
      }
    })
    t.equal(res.statusCode, 201)
    const body = res.json()
    t.equal(body.format, 'discord')
    t.equal(body.config.url, 'http://discord.com/••••mnop')
    t.equal(body.config.has_signing_secret, true)
    t.same(body.config.header_names, ['X-Extra'])
    t.notMatch(res.body, /secretTOKEN|hmac-secret-value|header-secret/)
    const row = await ctx.store.db
      .selectFrom('notification_destinations')
      .select('config')
      .where('id', '=', body.id)
      .executeTakeFirstOrThrow()
    t.match(row.config, /^enc:v1:/, 'config sealed with AES-256-GCM')
    t.notMatch(row.config, /secretTOKEN|discord\.com/)
    const list = await ctx.app.inject({ method: 'GET', url, headers: ctx.auth })
    t.notMatch(list.body, /secretTOKEN|hmac-secret-value/)
    t.notOk(
      ctx.logs.some((l) => l.includes('secretTOKEN') || l.includes('hmac-secret-value')),
      'never logged'
    )
  })

  t.test('Slack and generic URLs get their formats; an update keeps omitted secrets', async (t) => {
    const slack = await addDestination(ctx, SLACK_URL, {}, 'Slack')
    const generic = await addDestination(ctx, GENERIC_URL, { signing_secret: 'abc' }, 'Generic')
    const list = (await ctx.app.inject({ method: 'GET', url, headers: ctx.auth })).json() as Array<{
      id: string
      format: string
      config: Record<string, unknown>
    }>
    t.equal(list.find((d) => d.id === slack)?.format, 'slack')
    t.equal(list.find((d) => d.id === generic)?.format, 'webhook')
    const renamed = await ctx.app.inject({
      method: 'PUT',
      url: `${url}/${generic}`,
      headers: ctx.auth,
      payload: { display_name: 'Renamed', config: { headers: { A: 'b' } }, enabled: false }
    })
    t.equal(renamed.statusCode, 200)
    t.equal(renamed.json().display_name, 'Renamed')
    t.equal(renamed.json().enabled, false)
    t.equal(renamed.json().config.has_signing_secret, true, 'signing secret kept')
    t.equal(renamed.json().config.url, 'http://hooks.example.net/••••3456', 'URL kept')
    const cleared = await ctx.app.inject({
      method: 'PUT',
      url: `${url}/${generic}`,
      headers: ctx.auth,
      payload: { config: { signing_secret: '' } }
    })
    t.equal(cleared.json().config.has_signing_secret, false)
    const missing = await ctx.app.inject({ method: 'PUT', url: `${url}/nope`, headers: ctx.auth, payload: { display_name: 'x' } })
    t.same([missing.statusCode, missing.json()], [404, { error: 'Destination not found' }])
  })

  t.test('ntfy, Gotify and e-mail destinations validate their config and mask secrets', async (t) => {
    const ntfy = await ctx.app.inject({
      method: 'POST',
      url,
      headers: ctx.auth,
      payload: { channel_type: 'ntfy', display_name: 'Phone', config: { topic: 'patchmon-alerts', token: 'tk_secret' } }
    })
    t.equal(ntfy.statusCode, 201)
    t.same(ntfy.json().config, {
      server_url: 'https://ntfy.sh',
      topic: 'pat••••',
      username: null,
      has_token: true,
      has_password: false,
      priority: null
    })
    const ntfyBad = await ctx.app.inject({
      method: 'POST',
      url,
      headers: ctx.auth,
      payload: { channel_type: 'ntfy', display_name: 'Phone', config: {} }
    })
    t.same(ntfyBad.json(), { error: 'ntfy topic is required' })
    const gotify = await ctx.app.inject({
      method: 'POST',
      url,
      headers: ctx.auth,
      payload: { channel_type: 'gotify', display_name: 'Gotify', config: { server_url: 'https://gotify.lan', app_token: 'Axxx' } }
    })
    t.equal(gotify.statusCode, 201)
    t.notMatch(gotify.body, /Axxx/)
    const email = await ctx.app.inject({
      method: 'POST',
      url,
      headers: ctx.auth,
      payload: {
        channel_type: 'email',
        display_name: 'Mail',
        config: { host: 'smtp.lan', from: 'pm@lan', to: 'a@lan, b@lan', password: 'pw-secret', username: 'pm' }
      }
    })
    t.equal(email.statusCode, 201)
    t.same(email.json().config.to, ['a@lan', 'b@lan'])
    t.equal(email.json().config.port, 587)
    t.notMatch(email.body, /pw-secret/)
    const emailBad = await ctx.app.inject({
      method: 'POST',
      url,
      headers: ctx.auth,
      payload: { channel_type: 'email', display_name: 'Mail', config: { host: 'smtp.lan', from: 'pm@lan', to: 'nobody' } }
    })
    t.equal(emailBad.statusCode, 400)
    const badType = await ctx.app.inject({
      method: 'POST',
      url,
      headers: ctx.auth,
      payload: { channel_type: 'pigeon', display_name: 'x', config: {} }
    })
    t.same(badType.json(), { error: 'channel_type must be one of webhook, ntfy, gotify, email, telegram, pushover, matrix, apprise' })
  })

  t.test('managing destinations needs can_manage_notifications; reading the log needs can_view_notification_logs', async (t) => {
    const readonly = await userWithRole(ctx, 'readonly')
    const manager = await userWithRole(ctx, 'host_manager')
    t.equal((await ctx.app.inject({ method: 'GET', url })).statusCode, 401)
    const denied = await ctx.app.inject({ method: 'GET', url, headers: bearer(readonly) })
    t.same([denied.statusCode, denied.json()], [403, { error: 'Insufficient permissions' }])
    t.equal((await ctx.app.inject({ method: 'GET', url, headers: bearer(manager) })).statusCode, 200)
    t.equal(
      (await ctx.app.inject({ method: 'GET', url: '/api/v1/notifications/delivery-log', headers: bearer(manager) })).statusCode,
      403,
      'host_manager manages but does not read logs'
    )
    t.equal((await ctx.app.inject({ method: 'GET', url: '/api/v1/notifications/delivery-log', headers: ctx.auth })).statusCode, 200)
  })

  t.test('deleting a destination removes its rules; deleting twice is 404', async (t) => {
    const id = await addDestination(ctx, GENERIC_URL, {}, 'Temp')
    await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/routes',
      headers: ctx.auth,
      payload: { destination_id: id, event_types: ['host_down'] }
    })
    const del = await ctx.app.inject({ method: 'DELETE', url: `${url}/${id}`, headers: ctx.auth })
    t.same(del.json(), { message: 'Destination deleted successfully' })
    const rules = await ctx.store.db.selectFrom('notification_routes').selectAll().where('destination_id', '=', id).execute()
    t.equal(rules.length, 0)
    t.equal((await ctx.app.inject({ method: 'DELETE', url: `${url}/${id}`, headers: ctx.auth })).statusCode, 404)
  })

  t.test('routing rules: upstream aliases are stored under the spec names; unknown events and destinations are 400', async (t) => {
    const id = await addDestination(ctx, DISCORD_URL, {}, 'Rules')
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/routes',
      headers: ctx.auth,
      payload: {
        destination_id: id,
        event_types: ['host_down', 'host_recovered', 'host_security_updates_exceeded', 'container_stopped'],
        min_severity: 'warning'
      }
    })
    t.equal(res.statusCode, 201)
    t.same(res.json().event_types, ['host_went_down', 'host_came_up', 'security_updates_available', 'container_stopped'])
    t.equal(res.json().destination_name, 'Rules')
    const unknown = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/routes',
      headers: ctx.auth,
      payload: { destination_id: id, event_types: ['host_exploded'] }
    })
    t.same(unknown.json(), { error: 'Unknown event type: host_exploded' })
    const noDest = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/routes',
      headers: ctx.auth,
      payload: { event_types: ['*'] }
    })
    t.same(noDest.json(), { error: 'destination_id required' })
    const ghost = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/routes',
      headers: ctx.auth,
      payload: { destination_id: 'ghost' }
    })
    t.same(ghost.json(), { error: 'Destination not found' })
    const badSeverity = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/routes',
      headers: ctx.auth,
      payload: { destination_id: id, min_severity: 'loud' }
    })
    t.same(badSeverity.json(), { error: 'min_severity must be one of informational, warning, error, critical' })
    const badGroup = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/routes',
      headers: ctx.auth,
      payload: { destination_id: id, host_group_ids: ['nope'] }
    })
    t.same(badGroup.json(), { error: 'Host group not found' })
    const upd = await ctx.app.inject({
      method: 'PUT',
      url: `/api/v1/notifications/routes/${res.json().id}`,
      headers: ctx.auth,
      payload: { enabled: false, event_types: ['*'] }
    })
    t.same([upd.json().enabled, upd.json().event_types], [false, ['*']])
    const list = await ctx.app.inject({ method: 'GET', url: '/api/v1/notifications/routes', headers: ctx.auth })
    t.ok(list.json().some((r: { id: string }) => r.id === res.json().id))
    t.equal(
      (await ctx.app.inject({ method: 'DELETE', url: `/api/v1/notifications/routes/${res.json().id}`, headers: ctx.auth })).statusCode,
      200
    )
  })
})
