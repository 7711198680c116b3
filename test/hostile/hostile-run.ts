// Hostile-input suite: every operation of the served OpenAPI document gets generated abuse.
// Asserts, for every case: no 500, no stack trace or internal path in the body, the documented
// error shape for 4xx JSON replies, and — for every rejected request — an unchanged database
// (content hash before and after). The operations are dealt into shards (hostile-input-N.test.ts)
// so no one file nears tap's timeout as the API grows. Run alone with `npm run test:hostile`.
import type { Test } from 'tap'
import { createHash } from 'node:crypto'
import type { Store } from '../../src/store/open-database.js'
import { createHost } from '../../src/hosts/host-service.js'
import { bearer, buildTestApp } from '../helpers/test-app.js'
import { hostileCases, operationsOf, type HostileCase } from './hostile-requests.js'

// Columns a rejected request may legitimately touch: the spec writes last_used_at after
// authentication and before the scope check, so a scope refusal (403) still records use.
// A session's last_seen_at is refreshed (at most once a minute) by any authenticated request.
// A host's api_key_digest is stored after its first bcrypt-verified request, whatever that request's answer.
const VOLATILE_COLUMNS = new Set(['last_used_at', 'last_seen_at', 'api_key_digest'])
// The audit log records refused and failed requests on purpose (docs/audit-and-sessions.md).
const RECORDS_REFUSALS = new Set(['audit_log'])

function databaseHash(store: Store): string {
  const hash = createHash('sha256')
  const tables = store.sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%' ORDER BY name")
    .all() as Array<{ name: string }>
  for (const { name } of tables) {
    if (RECORDS_REFUSALS.has(name)) continue
    const rows = store.sqlite.prepare(`SELECT * FROM "${name}" ORDER BY 1`).all() as Array<Record<string, unknown>>
    hash.update(name)
    for (const row of rows) {
      for (const column of Object.keys(row).sort())
        if (!VOLATILE_COLUMNS.has(column)) hash.update(`${column}=${JSON.stringify(row[column])};`)
    }
  }
  return hash.digest('hex')
}

/** Rows written on this connection so far: unchanged means the database is unchanged, so the
 * content hash (the slow part, it reads every table) is only recomputed after a write. */
function changesSoFar(store: Store): number {
  return (store.sqlite.prepare('SELECT total_changes() AS n').get() as { n: number }).n
}

function databaseState(store: Store): () => string {
  let known = { changes: -1, hash: '' }
  return () => {
    const changes = changesSoFar(store)
    if (changes !== known.changes) known = { changes, hash: databaseHash(store) }
    return known.hash
  }
}

// Grows with the API: every feature's routes add their own cases through the OpenAPI document.
const MIN_CASES = 1000
export const SHARDS = 4

const LEAK = /\bat [\w.<>]+ \(|\.(ts|js):\d+:\d+|node_modules|\/work\/|\/home\/|SqliteError|SQLITE_|TypeError|ReferenceError/

/** Runs the cases of every operation whose index in the document is `shard` modulo SHARDS. */
export async function runHostileShard(t: Test, shard: number): Promise<void> {
  const ctx = await buildTestApp(t, {
    // The same junk strings go into secret and non-secret fields alike, so the secrets audit
    // would see its own junk echoed back; the suite-wide audit covers real flows.
    skipSecretsAudit: true,
    env: {
      AUTH_RATE_LIMIT_MAX: '1000000',
      RATE_LIMIT_MAX: '1000000',
      AGENT_RATE_LIMIT_MAX: '1000000',
      GETHOMEPAGE_RATE_LIMIT_MAX: '1000000',
      LOG_LEVEL: 'warn'
    }
  })
  const host = await createHost(ctx.store.db, { friendlyName: 'hostile-target' })
  const authFor: Record<string, Record<string, string>> = {
    bearerAuth: bearer(ctx.adminToken),
    agentApiId: { 'x-api-id': host.host.api_id, 'x-api-key': host.apiKey },
    agentApiKey: { 'x-api-id': host.host.api_id, 'x-api-key': host.apiKey },
    basicAuth: { authorization: `Basic ${Buffer.from('patchmon_ae_00000000000000000000000000000000:wrong').toString('base64')}` }
  }
  // Operations that would end the admin session the rest of the suite relies on.
  const sessionEnding = new Set(['POST /api/v1/auth/logout'])

  const doc = ctx.app.swagger() as unknown as Parameters<typeof operationsOf>[0]
  const operations = operationsOf(doc)
  t.ok(operations.length >= 10, `${operations.length} operations in the OpenAPI document`)

  const cases: HostileCase[] = []
  const allCases = operations.reduce((sum, op) => sum + hostileCases(op, {}).length, 0)
  t.ok(allCases >= MIN_CASES, `${allCases} hostile cases generated over all shards (at least ${MIN_CASES})`)
  for (const op of operations.filter((_, index) => index % SHARDS === shard)) {
    const scheme = op.security[0]
    const auth = sessionEnding.has(`${op.method} ${op.path}`) || !scheme ? {} : (authFor[scheme] ?? {})
    cases.push(...hostileCases(op, auth))
  }
  t.ok(cases.length >= MIN_CASES / SHARDS / 2, `shard ${shard + 1}/${SHARDS}: ${cases.length} cases`)

  const currentHash = databaseState(ctx.store)
  const failures: string[] = []
  const statusCounts = new Map<number, number>()
  for (const c of cases) {
    const before = currentHash()
    const res = await ctx.app.inject(c.request)
    statusCounts.set(res.statusCode, (statusCounts.get(res.statusCode) ?? 0) + 1)
    if (res.statusCode >= 500) failures.push(`${c.name}: ${res.statusCode} ${res.body.slice(0, 200)}`)
    if (LEAK.test(res.body)) failures.push(`${c.name}: internal detail in body ${res.body.slice(0, 200)}`)
    if (res.statusCode >= 400 && /json/.test(String(res.headers['content-type']))) {
      const body = res.json() as Record<string, unknown>
      if (typeof body.error !== 'string' && !Array.isArray(body.errors))
        failures.push(`${c.name}: undocumented error shape ${res.body.slice(0, 200)}`)
    }
    if (res.statusCode >= 400 && currentHash() !== before)
      failures.push(`${c.name}: rejected with ${res.statusCode} but changed the database`)
  }
  t.comment(
    `status codes: ${[...statusCounts.entries()]
      .sort()
      .map(([s, n]) => `${s}×${n}`)
      .join(' ')}`
  )
  t.same(failures, [], `${cases.length} cases: no 500, no leak, documented shapes, nothing stored by rejected requests`)
  const serverErrors = ctx.logs.filter((l) => l.includes('"level":50'))
  t.same(serverErrors, [], 'no error-level log line (no unhandled exception) during the run')
}
