// The dashboard's requests to a host's agent ("report now", "update agent"), one function each, used
// by the single-host routes (agent-control-routes.ts) and by bulk host actions (src/bulk-actions).
// Every push is recorded in agent_jobs, delivered or not; the caller decides what an undelivered
// request means (the single-host route answers 409, a batch reports the host as skipped or failed).
import type { FastifyInstance } from 'fastify'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { recordAgentJob } from './agent-jobs.js'
import type { ServerToAgentMessage } from './agent-connections.js'
import type { AgentOs } from './served-agent.js'

const NOT_CONNECTED = ERROR_MESSAGES.agentChannel.notConnected.message

const GO_ARCH: Record<string, string> = {
  x86_64: 'amd64',
  amd64: 'amd64',
  aarch64: 'arm64',
  arm64: 'arm64',
  i386: '386',
  i686: '386',
  armv7l: 'arm',
  armv6l: 'arm'
}

export interface AgentPush {
  delivered: boolean
  jobId: string
}

/** What a host's agent needs for an update: its OS and CPU as the host row knows them. */
export interface AgentPlatform {
  os_type: string | null
  architecture: string | null
}

/** Sends the messages to the host's open links and records one job. */
async function push(app: FastifyInstance, hostId: string, jobName: string, messages: ServerToAgentMessage[]): Promise<AgentPush> {
  const at = new Date(app.agentConnections.clock())
  const delivered = messages.map((m) => app.agentConnections.send(hostId, m)).some((n) => n > 0)
  const jobId = await recordAgentJob(app.store.db, {
    hostId,
    jobName,
    delivered,
    at,
    output: { messages: messages.map((m) => m.type) },
    ...(delivered ? {} : { error: NOT_CONNECTED })
  })
  return { delivered, jobId }
}

/** The agent version this server serves to the host's OS and CPU ('' when none is known). */
async function servedAgentVersion(app: FastifyInstance, host: AgentPlatform): Promise<string> {
  const os: AgentOs = /windows/i.test(host.os_type ?? '') ? 'windows' : /freebsd/i.test(host.os_type ?? '') ? 'freebsd' : 'linux'
  const served = await app.agentCatalogue.find(os, GO_ARCH[host.architecture ?? ''] ?? 'amd64', { goOnly: false })
  return served?.version ?? ''
}

/** Asks the connected agent for a full report now. */
export function requestReportNow(app: FastifyInstance, hostId: string): Promise<AgentPush> {
  return push(app, hostId, 'report_now', [{ type: 'report_now' }])
}

/** Asks the connected agent to update itself: update_agent (2.x agents) and a forced update_notification (1.3.x agents). */
export async function requestAgentUpdate(app: FastifyInstance, hostId: string, host: AgentPlatform): Promise<AgentPush> {
  const version = await servedAgentVersion(app, host)
  return push(app, hostId, 'update_agent', [
    { type: 'update_agent' },
    { type: 'update_notification', version, force: true, message: `Update to PatchMon Agent v${version} requested from the dashboard` }
  ])
}
