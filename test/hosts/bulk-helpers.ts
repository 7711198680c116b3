// Set-up shared by the bulk host action tests: the real app listening on loopback (beyondApp), hosts
// that reported as a given agent version, and the preview and run calls.
import { agentReport, createHostViaApi, postReport, type TestHost } from '../helpers/agent-fixtures.js'
import { pkg, type BeyondApp } from '../patching/beyond-helpers.js'

export interface NamedHost extends TestHost {
  name: string
}

/** A host that reported once as agent `agentVersion` (null: created but never reported). */
export async function fleetHost(
  ctx: BeyondApp,
  name: string,
  groups: string[] = [],
  agentVersion: string | null = '2.1.3'
): Promise<NamedHost> {
  const host = await createHostViaApi(ctx.app, ctx.adminToken, name, groups)
  if (agentVersion !== null) {
    const res = await postReport(ctx, host, agentReport([pkg(`${name}-pkg`)], { agentVersion, hostname: name }))
    if (res.statusCode !== 200) throw new Error(`report failed: ${res.statusCode} ${res.body}`)
  }
  return { ...host, name }
}

export const preview = (ctx: BeyondApp, body: object, token?: string) => ctx.api('POST', '/api/v1/hosts/bulk/preview', body, token)
export const run = (ctx: BeyondApp, body: object, token?: string) => ctx.api('POST', '/api/v1/hosts/bulk', body, token)

/** A preview's per-host decisions as the statuses the action then reports (apply → succeeded, skip → skipped). */
export function expectedResults(hosts: Array<{ host_id: string; outcome: string; reason: string | null }>) {
  return hosts.map((h) => ({ host_id: h.host_id, status: h.outcome === 'apply' ? 'succeeded' : 'skipped', reason: h.reason }))
}

export const resultsOf = (body: { results: Array<{ host_id: string; status: string; reason: string | null }> }) =>
  body.results.map((r) => ({ host_id: r.host_id, status: r.status, reason: r.reason }))
