// Shared by the trends tests: a clock the trends feature reads, hosts in groups, and reports that
// list chosen outdated and security packages, sent through the real agent endpoint.
import type { TestApp } from '../helpers/test-app.js'
import { bearer } from '../helpers/test-app.js'
import { agentReport, createHostViaApi, postReport, type TestHost } from '../helpers/agent-fixtures.js'
import { TRENDS_TIMER } from '../../src/trends/trends-plugin.js'

export function setClock(ctx: TestApp, iso: string): void {
  ctx.app.trends.now = () => new Date(iso)
}

export async function group(ctx: TestApp, name: string): Promise<string> {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/host-groups', headers: bearer(ctx.adminToken), payload: { name } })
  if (res.statusCode !== 201) throw new Error(`group ${name}: ${res.statusCode} ${res.body}`)
  return (res.json() as { id: string }).id
}

export async function host(ctx: TestApp, name: string, groups: string[] = []): Promise<TestHost> {
  return createHostViaApi(ctx.app, ctx.adminToken, name, groups)
}

/** A report with `outdated` plain updates plus one security update per name in `security`. */
export async function report(ctx: TestApp, h: TestHost, outdated: number, security: string[] = [], extra: Record<string, unknown> = {}) {
  const packages = [
    { name: 'base-files', currentVersion: '12.4', needsUpdate: false, isSecurityUpdate: false },
    ...Array.from({ length: outdated }, (_, i) => ({
      name: `plain-${i}`,
      currentVersion: '1.0',
      availableVersion: '1.1',
      needsUpdate: true,
      isSecurityUpdate: false
    })),
    ...security.map((name) => ({ name, currentVersion: '2.0', availableVersion: '2.0+deb12u1', needsUpdate: true, isSecurityUpdate: true }))
  ]
  const res = await postReport(ctx, h, agentReport(packages, extra))
  if (res.statusCode !== 200) throw new Error(`report: ${res.statusCode} ${res.body}`)
  await ctx.app.trends.settled()
}

export async function tick(ctx: TestApp): Promise<void> {
  await ctx.app.timers.runNow(TRENDS_TIMER)
}

export function rowCount(ctx: TestApp, table: 'trend_host_days' | 'trend_fleet_days'): number {
  return (ctx.store.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n
}

export async function getJson<T>(ctx: TestApp, url: string, token = ctx.adminToken): Promise<{ status: number; body: T }> {
  const res = await ctx.app.inject({ method: 'GET', url, headers: bearer(token) })
  return { status: res.statusCode, body: res.json() as T }
}
