// Carries out a bulk action: the plan is recomputed now (bulk-plan.ts), then each host marked "apply"
// goes through the same service its single-host route uses, one host at a time. Each host's change is
// its own transaction (group changes and deletes are all-or-nothing per host) and a host that fails
// is reported with its reason while the batch goes on. Every host acted on gets an audit entry under
// its single-host action name with the batch id; the route's own entry covers the batch.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { COMMON } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { newId } from '../security/random-tokens.js'
import { setHostGroups, UnknownHostGroupError } from '../hosts/host-service.js'
import { removeHost, rotateHostCredentials } from '../hosts/host-actions.js'
import { requestAgentUpdate, requestReportNow } from '../agent/agent-commands.js'
import { recordAudit } from '../audit/record-audit.js'
import type { SelectedHost } from './bulk-selection.js'
import { planBatch, type Plan } from './bulk-plan.js'
import { describePlan } from './bulk-describe.js'
import type { BulkAction, BulkBody, NewCredentials, ResultItem } from './bulk-schemas.js'

const E = ERROR_MESSAGES.hostBulk

/** The audit action of each host's entry: the single-host route's own. */
const HOST_AUDIT_ACTION: Record<BulkAction, string> = {
  assign_groups: 'host.groups_update',
  remove_groups: 'host.groups_update',
  report_now: 'host.report_now',
  update_agent: 'host.agent_update',
  rotate_credentials: 'host.credentials_rotate',
  delete: 'host.delete'
}

type Outcome = Pick<ResultItem, 'status' | 'reason' | 'job_id'>
const succeeded = (jobId: string | null = null): Outcome => ({ status: 'succeeded', reason: null, job_id: jobId })
const failed = (reason: string, jobId: string | null = null): Outcome => ({ status: 'failed', reason, job_id: jobId })

/** One host: the single-host service, translated into an outcome. */
async function applyTo(app: FastifyInstance, plan: Plan, host: SelectedHost, keys: NewCredentials[]): Promise<Outcome> {
  const chosen = plan.groups.map((g) => g.id)
  switch (plan.action) {
    case 'assign_groups':
    case 'remove_groups': {
      const current = plan.currentGroups.get(host.id) ?? []
      const next = plan.action === 'assign_groups' ? [...new Set([...current, ...chosen])] : current.filter((g) => !chosen.includes(g))
      try {
        return (await setHostGroups(app.store.db, host.id, next)) ? succeeded() : failed(COMMON.hostNotFound)
      } catch (err) {
        // A chosen group deleted since the batch started: this host keeps its groups unchanged.
        if (err instanceof UnknownHostGroupError) return failed(COMMON.hostGroupNotFound)
        throw err
      }
    }
    case 'report_now': {
      const pushed = await requestReportNow(app, host.id)
      return pushed.delivered ? succeeded(pushed.jobId) : failed(E.agentNotConnected.message, pushed.jobId)
    }
    case 'update_agent': {
      const pushed = await requestAgentUpdate(app, host.id, host)
      return pushed.delivered ? succeeded(pushed.jobId) : failed(E.agentNotConnected.message, pushed.jobId)
    }
    case 'rotate_credentials': {
      const creds = await rotateHostCredentials(app, host.id)
      if (!creds) return failed(COMMON.hostNotFound)
      keys.push({ host_id: host.id, friendly_name: host.friendly_name, api_id: creds.apiId, api_key: creds.apiKey })
      return succeeded()
    }
    case 'delete':
      return (await removeHost(app, host.id)) ? succeeded() : failed(COMMON.hostNotFound)
  }
}

export async function runBatch(app: FastifyInstance, request: FastifyRequest, body: BulkBody) {
  const plan = await planBatch(app, body)
  const batchId = newId()
  const summary = describePlan(plan)
  const credentials: NewCredentials[] = []
  const results: ResultItem[] = []
  for (const item of plan.items) {
    const host = plan.hosts.get(item.host_id)
    if (item.outcome === 'skip' || !host) {
      results.push({
        host_id: item.host_id,
        friendly_name: item.friendly_name,
        status: 'skipped',
        reason: item.reason,
        warning: null,
        job_id: null
      })
      continue
    }
    let outcome: Outcome
    try {
      outcome = await applyTo(app, plan, host, credentials)
    } catch (err) {
      request.log.error({ err, hostId: host.id, batchId, action: plan.action }, 'bulk host action failed on one host')
      outcome = failed(E.changeFailed.message)
    }
    results.push({ host_id: host.id, friendly_name: host.friendly_name, warning: item.warning, ...outcome })
    await recordAudit(app, request, {
      action: HOST_AUDIT_ACTION[plan.action],
      outcome: outcome.status === 'succeeded' ? 'success' : 'failure',
      reason: outcome.status === 'succeeded' ? null : 'bulk_host_failed',
      target: { type: 'host', id: host.id, label: host.friendly_name },
      details: {
        batch_id: batchId,
        bulk_action: plan.action,
        ...(plan.groups.length > 0 ? { host_group_ids: plan.groups.map((g) => g.id) } : {})
      }
    })
  }
  const count = (status: ResultItem['status']) => results.filter((r) => r.status === status).length
  request.log.info({ batchId, action: plan.action, hosts: results.length }, 'bulk host action done')
  return {
    id: batchId,
    action: plan.action,
    summary,
    total: results.length,
    succeeded: count('succeeded'),
    skipped: count('skipped'),
    failed: count('failed'),
    results,
    credentials
  }
}
