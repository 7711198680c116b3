// Reading the audit log back through its own API in tests.
import type { TestApp } from '../helpers/test-app.js'
import { bearer } from '../helpers/test-app.js'
import type { AuditEntryView } from '../../src/audit/audit-schemas.js'

export async function auditEntries(ctx: TestApp, query: Record<string, string> = {}, token = ctx.adminToken): Promise<AuditEntryView[]> {
  const qs = new URLSearchParams({ limit: '500', ...query }).toString()
  const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/audit?${qs}`, headers: bearer(token) })
  if (res.statusCode !== 200) throw new Error(`audit list failed: ${res.statusCode} ${res.body}`)
  return (res.json() as { entries: AuditEntryView[] }).entries
}

export async function lastEntry(ctx: TestApp, action: string, token = ctx.adminToken): Promise<AuditEntryView | undefined> {
  return (await auditEntries(ctx, { action }, token))[0]
}
