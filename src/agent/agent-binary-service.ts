// The rules behind GET /api/v1/hosts/agent/version and /download (facts: agent-protocol §2.4-2.5):
// which OS and architecture a host gets, whether anything is served for it (404 otherwise, with
// hasUpdate false so an agent never mistakes it for an update), and whether an update is offered
// (strictly newer, and auto-update on for the server and the host).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { errorOf, type ApiError } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { hostColumns } from '../hosts/host-queries.js'
import { agentHostIdOf } from './agent-auth.js'
import { AGENT_OSES, type AgentOs, binaryFileName, type ServedAgent } from './served-agent.js'
import { isNewerVersion } from './version-compare.js'

const E = ERROR_MESSAGES.agentBinary

export interface AgentQuery {
  arch?: string | undefined
  os?: string | undefined
  type?: string | undefined
  currentVersion?: string | undefined
}

export interface Target {
  os: AgentOs
  arch: string
}

export async function targetOf(
  app: FastifyInstance,
  hostId: string,
  query: { os?: string | undefined; arch?: string | undefined }
): Promise<Target> {
  if (query.os !== undefined && !(AGENT_OSES as readonly string[]).includes(query.os)) {
    throw errorOf(E.invalidOs)
  }
  let os = query.os as AgentOs | undefined
  if (!os) {
    const host = await hostColumns(app.store.db, hostId, ['os_type'])
    const osType = host?.os_type ?? ''
    os = /windows/i.test(osType) ? 'windows' : /freebsd/i.test(osType) ? 'freebsd' : 'linux'
  }
  return { os, arch: query.arch?.trim() || 'amd64' }
}

export function notServed(target: Target): ApiError {
  // The arch is echoed only when it is a plain word (it comes from the query string).
  const arch = /^[a-z0-9_]{1,16}$/.test(target.arch) ? target.arch : 'unknown'
  const file = binaryFileName(target.os, arch)
  return errorOf({ ...E.notServed, message: E.notServed.message(target.os, arch, file) }, { hasUpdate: false })
}

async function autoUpdateBlock(app: FastifyInstance, hostAutoUpdate: boolean): Promise<string | null> {
  const server = await app.settings.get('auto_update')
  if (!server && !hostAutoUpdate) return 'Auto-update is disabled in server settings and for this host'
  if (!server) return 'Auto-update is disabled in server settings'
  if (!hostAutoUpdate) return 'Auto-update is disabled for this host'
  return null
}

const agentTypeOf = (served: ServedAgent) => (served.kind === 'binary' ? 'go' : 'shell')

/** The version reply for the calling agent's host. */
export async function agentVersionCheck(app: FastifyInstance, request: FastifyRequest, query: AgentQuery) {
  const hostId = agentHostIdOf(request)
  const target = await targetOf(app, hostId, query)
  // A Go agent must never be offered the shell agent (it would replace its binary with a
  // script). Our shell agent also sends type=go, and says "(shell)" in its User-Agent.
  const shellAgentCaller = /\(shell\)/.test(request.headers['user-agent'] ?? '')
  const served = await app.agentCatalogue.find(target.os, target.arch, { goOnly: query.type === 'go' && !shellAgentCaller })
  if (!served) throw notServed(target)
  const host = await hostColumns(app.store.db, hostId, ['auto_update', 'agent_version'])
  if (!host) throw new Error('agent host vanished')
  const current = query.currentVersion?.trim().replace(/^v/, '') || host.agent_version || null
  const blocked = await autoUpdateBlock(app, host.auto_update === 1)
  const latest = served.version ?? 'unknown'
  return {
    currentVersion: current,
    latestVersion: latest,
    hasUpdate: blocked === null && current !== null && served.version !== undefined && isNewerVersion(served.version, current),
    autoUpdateDisabled: blocked !== null,
    autoUpdateDisabledReason: blocked,
    downloadUrl: `/api/v1/hosts/agent/download?arch=${target.arch}&os=${target.os}`,
    releaseNotes: `PatchMon Agent v${latest}`,
    minServerVersion: null,
    architecture: target.arch,
    agentType: agentTypeOf(served),
    hash: served.sha256
  }
}
