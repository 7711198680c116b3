// Agent-side figures of the enrollment/agent feature:
//  1. GET /api/v1/hosts/agent/version (file lookup + hash cache) vs GET /api/v1/hosts/integrations
//     (constant reply) with the same agent auth, same run: the version check should cost little more.
//  2. settings_update fan-out: time from the settings_changed event until every one of N connected
//     WebSocket agents has the frame (BENCH_AGENTS, default 500).
//  3. Enroll latency (p50/p95 of sequential POSTs; each creates a host and bcrypt-hashes its key).
import WebSocket from 'ws'
import { Pool } from 'undici'
import { createHost } from '../src/hosts/host-service.js'
import { hashSecret } from '../src/security/secret-hashing.js'
import { newId, newTokenKey, newTokenSecret } from '../src/security/random-tokens.js'
import { fmt, startBenchServer, throughput } from './bench-kit.js'

const AGENTS = Number(process.env['BENCH_AGENTS'] ?? 500)
const ENROLLS = Number(process.env['BENCH_ENROLLS'] ?? 40)

export async function run(): Promise<void> {
  const server = await startBenchServer(() => undefined)
  try {
    const { host, apiKey } = await createHost(server.store.db, { friendlyName: 'bench' })
    const agent = { 'x-api-id': host.api_id, 'x-api-key': apiKey }
    await server.app.settings.set('auto_update', true)

    // Warm both paths (JIT, credential cache, file hash cache) before measuring.
    await throughput(server.baseUrl, '/api/v1/hosts/integrations', agent, 500)
    await throughput(server.baseUrl, '/api/v1/hosts/agent/version?arch=amd64&os=linux&currentVersion=0.0.1', agent, 500)
    const baseline = await throughput(server.baseUrl, '/api/v1/hosts/integrations', agent, 3000)
    const version = await throughput(server.baseUrl, '/api/v1/hosts/agent/version?arch=amd64&os=linux&currentVersion=0.0.1', agent, 3000)
    console.log(
      `agent version check: ${fmt(version, 0)} req/s vs ${fmt(baseline, 0)} req/s constant reply (ratio ${fmt(version / baseline, 2)})`
    )

    const sockets: WebSocket[] = []
    const hosts = await Promise.all(Array.from({ length: AGENTS }, (_, i) => createHost(server.store.db, { friendlyName: `ws-${i}` })))
    const wsUrl = server.baseUrl.replace('http://', 'ws://') + '/api/v1/agents/ws'
    for (let i = 0; i < hosts.length; i += 50) {
      await Promise.all(
        hosts.slice(i, i + 50).map(
          (h) =>
            new Promise<void>((resolve, reject) => {
              const s = new WebSocket(wsUrl, { headers: { 'X-API-ID': h.host.api_id, 'X-API-KEY': h.apiKey } })
              s.once('open', () => resolve())
              s.once('error', reject)
              sockets.push(s)
            })
        )
      )
    }
    const received = sockets.map((s) => new Promise<void>((resolve) => s.once('message', () => resolve())))
    const started = process.hrtime.bigint()
    await server.app.settings.set('update_interval', 30)
    server.app.events.emit('settings_changed', { keys: ['update_interval'] })
    await Promise.all(received)
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    console.log(`settings_update to ${AGENTS} connected agents: ${fmt(ms)} ms until all received`)
    for (const s of sockets) s.terminate()

    const key = newTokenKey()
    const secret = newTokenSecret()
    const now = new Date().toISOString()
    await server.store.db
      .insertInto('auto_enrollment_tokens')
      .values({
        id: newId(),
        token_name: 'bench',
        token_key: key,
        token_secret_hash: await hashSecret(secret),
        integration_type: 'proxmox-lxc',
        max_hosts_per_day: 1000,
        created_at: now,
        updated_at: now,
        created_by_user_id: null,
        last_reset_date: null,
        last_used_at: null,
        expires_at: null,
        default_host_group_id: null,
        scopes: null
      })
      .execute()
    const pool = new Pool(server.baseUrl, { connections: 1 })
    const samples: number[] = []
    for (let i = 0; i < ENROLLS; i++) {
      const t0 = process.hrtime.bigint()
      const res = await pool.request({
        method: 'POST',
        path: '/api/v1/auto-enrollment/enroll',
        headers: { 'x-auto-enrollment-key': key, 'x-auto-enrollment-secret': secret, 'content-type': 'application/json' },
        body: JSON.stringify({ friendly_name: `e-${i}` })
      })
      await res.body.dump()
      if (res.statusCode !== 201) throw new Error(`enroll answered ${res.statusCode}`)
      samples.push(Number(process.hrtime.bigint() - t0) / 1e6)
    }
    await pool.close()
    samples.sort((a, b) => a - b)
    const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? NaN
    console.log(
      `enroll: p50 ${fmt(at(0.5))} ms, p95 ${fmt(at(0.95))} ms over ${ENROLLS} sequential requests (token secret cached after the first)`
    )
  } finally {
    await server.close()
  }
}
