// One run of agentless Proxmox collection: list the LXC containers, skip stopped and excluded
// ones, and for each of the others pipe our shell agent into `pct exec <vmid> -- sh -s collect`
// (POSIX sh: Alpine has no bash; it uses whatever the container has: dpkg-query/apt, apk,
// rpm/dnf, zypper, pacman). A container without stored credentials is enrolled with the
// auto-enrollment token first; the report then goes to the server exactly as an agent's would.
// Containers are handled one after another: pct exec and apt are heavy on a small host.
import { hostname } from 'node:os'
import { readAsset } from '../assets/read-asset.js'
import { SHELL_AGENT_ASSET } from '../agent/served-agent.js'
import type { CollectConfig } from './collect-config.js'
import { isExcluded } from './collect-config.js'
import { loadCredentials, saveCredentials, type ContainerCredentials } from './credentials-store.js'
import { listContainers, runPct, type Container } from './pct.js'
import { serverClient, type ServerClient } from './server-client.js'

export interface CollectSummary {
  found: number
  reported: number
  enrolled: number
  skipped: number
  failed: { vmid: number; name: string; reason: string }[]
}

interface CollectedReport {
  payload: string
  hostname: string
  machineId: string
  ip: string
  os: string
  packages: number
}

type Say = (level: 'INFO' | 'WARN' | 'ERROR' | 'SUCCESS', line: string) => void

const shorten = (s: string) => s.trim().split('\n').slice(-3).join(' | ').slice(0, 300)

async function collectInside(config: CollectConfig, c: Container, script: string): Promise<CollectedReport> {
  const r = await runPct(config.pct, ['exec', String(c.vmid), '--', 'sh', '-s', 'collect'], script, config.execTimeoutMs)
  if (r.timedOut) throw new Error(`package listing took longer than ${config.execTimeoutMs / 1000} s`)
  if (r.code !== 0) throw new Error(`pct exec failed (exit ${r.code}): ${shorten(r.stderr)}`)
  let report: Record<string, unknown>
  try {
    report = JSON.parse(r.stdout) as Record<string, unknown>
  } catch {
    throw new Error(`the container printed no report: ${shorten(r.stderr || r.stdout)}`)
  }
  const text = (k: string) => (typeof report[k] === 'string' ? (report[k] as string) : '')
  const packages = Array.isArray(report.packages) ? report.packages.length : 0
  return {
    payload: r.stdout,
    hostname: text('hostname'),
    machineId: text('machineId'),
    ip: text('ip'),
    os: [text('osType'), text('osVersion')].filter(Boolean).join(' '),
    packages
  }
}

/** Enrolls a container; returns its credentials, or a reason (and whether later enrollments will fail too). */
async function enroll(
  client: ServerClient,
  config: CollectConfig,
  c: Container,
  report: CollectedReport
): Promise<ContainerCredentials | { reason: string; stopEnrolling: boolean }> {
  const friendlyName = `${config.hostPrefix}${report.hostname || c.name}`
  const reply = await client.enroll({
    friendly_name: friendlyName,
    ...(report.machineId ? { machine_id: report.machineId.slice(0, 255) } : {}),
    metadata: { vmid: String(c.vmid), proxmox_node: hostname(), ip_address: report.ip, os_info: report.os, collector: 'proxmox-collect' }
  })
  if (reply.status === 201) {
    const host = (JSON.parse(reply.body) as { host?: { api_id?: string; api_key?: string } }).host
    if (host?.api_id && host.api_key)
      return {
        api_id: host.api_id,
        api_key: host.api_key,
        friendly_name: friendlyName,
        container_name: c.name,
        enrolled_at: new Date().toISOString()
      }
    return { reason: 'enrollment reply without credentials', stopEnrolling: false }
  }
  const stop = reply.status === 429 || reply.status === 401 || reply.status === 403
  return { reason: `enrollment failed: HTTP ${reply.status} ${shorten(reply.body)}`, stopEnrolling: stop }
}

export async function collectFromProxmox(config: CollectConfig, say: Say): Promise<CollectSummary> {
  const summary: CollectSummary = { found: 0, reported: 0, enrolled: 0, skipped: 0, failed: [] }
  const containers = await listContainers(config.pct)
  summary.found = containers.length
  say('INFO', `Found ${containers.length} LXC container(s)`)
  const script = readAsset(SHELL_AGENT_ASSET).toString('utf8')
  const client = serverClient(config.serverUrl, config.tokenKey, config.tokenSecret, config.skipTlsVerify)
  const creds = loadCredentials(config.credentialsFile)
  let enrollStopped: string | undefined
  for (const c of containers) {
    const label = `LXC ${c.vmid}: ${c.name}`
    if (isExcluded(config.exclude, c.vmid, c.name)) {
      say('INFO', `${label} excluded - skipping`)
      summary.skipped++
      continue
    }
    if (c.status !== 'running') {
      say('WARN', `${label} is ${c.status} - skipping`)
      summary.skipped++
      continue
    }
    const fail = (reason: string) => {
      say('ERROR', `${label}: ${reason}`)
      summary.failed.push({ vmid: c.vmid, name: c.name, reason })
    }
    let report: CollectedReport
    try {
      report = await collectInside(config, c, script)
    } catch (err) {
      fail((err as Error).message)
      continue
    }
    let mine = creds[String(c.vmid)]
    if (config.dryRun) {
      say(
        'INFO',
        `[DRY RUN] ${label}: ${report.packages} packages; would ${mine ? 'report' : `enroll ${config.hostPrefix}${report.hostname || c.name} and report`}`
      )
      continue
    }
    try {
      if (!mine) {
        if (enrollStopped) {
          fail(`not enrolled: ${enrollStopped}`)
          continue
        }
        const result = await enroll(client, config, c, report)
        if ('reason' in result) {
          if (result.stopEnrolling) enrollStopped = result.reason
          fail(result.reason)
          continue
        }
        mine = result
        creds[String(c.vmid)] = result
        saveCredentials(config.credentialsFile, creds)
        summary.enrolled++
        say('SUCCESS', `${label} enrolled as ${result.friendly_name} (${result.api_id})`)
      }
      const reply = await client.report(mine.api_id, mine.api_key, report.payload)
      if (reply.status === 401) {
        fail(
          `the server refused its credentials (host deleted on the server?): remove vmid ${c.vmid} from ${config.credentialsFile} to enroll it again, or exclude it`
        )
        continue
      }
      if (reply.status !== 200) {
        fail(`report failed: HTTP ${reply.status} ${shorten(reply.body)}`)
        continue
      }
      const r = JSON.parse(reply.body) as { packagesProcessed?: number; updatesAvailable?: number; securityUpdates?: number }
      say('SUCCESS', `${label}: ${r.packagesProcessed} packages reported (${r.updatesAvailable} updates, ${r.securityUpdates} security)`)
      summary.reported++
    } catch (err) {
      fail(`cannot reach ${config.serverUrl}: ${(err as Error).message}`)
    }
  }
  return summary
}
