// Part of the ingest bench: the dashboard's host list and overview with 10,000 hosts, over HTTP.
import { randomUUID } from 'node:crypto'
import type { Store } from '../src/store/open-database.js'

export const FLEET_SIZE = 10_000

/** Adds hosts straight into the database (no bcrypt: these hosts never authenticate). */
export function seedFleet(store: Store, count: number): void {
  const insert = store.sqlite
    .prepare(`insert into hosts (id, friendly_name, api_id, api_key_hash, hostname, ip, os_type, os_version, status, last_update,
    total_packages, outdated_packages, security_updates, created_at, updated_at) values (?, ?, ?, 'unusable', ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?)`)
  const now = Date.now()
  store.sqlite.transaction(() => {
    for (let i = 0; i < count; i++) {
      const at = new Date(now - (i % 500) * 60_000).toISOString()
      insert.run(
        randomUUID(),
        `fleet-${String(i).padStart(5, '0')}`,
        `fleet_${i}`,
        `fleet-${i}.lan`,
        `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        i % 3 === 0 ? 'Ubuntu' : 'Debian GNU/Linux',
        i % 3 === 0 ? '22.04.3 LTS (Jammy Jellyfish)' : '12 (bookworm)',
        at,
        1500,
        i % 40,
        i % 7,
        at,
        at
      )
    }
  })()
}

export async function timeGet(url: string, token: string, trials: number): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < trials; i++) {
    const t0 = performance.now()
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
    await res.text()
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`)
    times.push(performance.now() - t0)
  }
  return times
}
