// History of what the server pushed to agents (report_now, update_agent, ...), one row per push.
// The Integration API's /hosts/:id/agent_queue reads it through listAgentJobs.
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { newId } from '../security/random-tokens.js'

export interface AgentJob {
  id: string
  host_id: string
  job_name: string
  status: 'completed' | 'failed'
  attempt: number
  created_at: string
  completed_at: string | null
  error_message: string | null
  output: unknown
}

export async function recordAgentJob(
  db: Kysely<DB>,
  job: { hostId: string; jobName: string; delivered: boolean; error?: string; output?: unknown; at: Date }
): Promise<string> {
  const id = newId()
  const at = job.at.toISOString()
  await db
    .insertInto('agent_jobs')
    .values({
      id,
      host_id: job.hostId,
      job_name: job.jobName,
      status: job.delivered ? 'completed' : 'failed',
      attempt: 1,
      created_at: at,
      completed_at: job.delivered ? at : null,
      error_message: job.error ?? null,
      output: job.output === undefined ? null : JSON.stringify(job.output)
    })
    .execute()
  return id
}

/** A host's most recent jobs, newest first. */
export async function listAgentJobs(db: Kysely<DB>, hostId: string, limit = 50): Promise<AgentJob[]> {
  const rows = await db
    .selectFrom('agent_jobs')
    .selectAll()
    .where('host_id', '=', hostId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(Math.max(1, Math.min(limit, 500)))
    .execute()
  return rows.map((r) => ({
    ...r,
    status: r.status === 'completed' ? 'completed' : 'failed',
    output: r.output === null ? null : safeJson(r.output)
  }))
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** The Integration API's agent_queue view: pushes are immediate, so nothing waits in a queue. */
export async function agentQueueSummary(db: Kysely<DB>, hostId: string, limit: number) {
  const history = await listAgentJobs(db, hostId, limit)
  const counts = await db
    .selectFrom('agent_jobs')
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'failed').then(1).else(0).end()).as('failed')
    ])
    .where('host_id', '=', hostId)
    .executeTakeFirstOrThrow()
  return {
    queue_status: { waiting: 0, active: 0, delayed: 0, failed: Number(counts.failed ?? 0) },
    job_history: history.map((j) => ({ ...j, job_id: j.id })),
    total_jobs: Number(counts.total)
  }
}
