// A stand-in PatchMon server on 127.0.0.1 for the script tests: it records every request and
// answers the documented replies (enroll 201/429/401, install script with a bootstrap token, the
// exchange, agent download, ping/update 200, update-interval). The real server is exercised by the
// end-to-end test; this one lets the scripts' own behaviour be tested in isolation.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Test } from 'tap'
import { injectScriptConfig } from './script-config.js'

export const PROJECT_ROOT = join(__dirname, '../../..')
export const scriptPath = (name: string): string => join(PROJECT_ROOT, 'src/enrollment/scripts', name)
export const AGENT_PATH = join(PROJECT_ROOT, 'src/agent/shell-agent/patchmon-agent.sh')

export interface RecordedRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingMessage['headers']
  body: string
}

export interface FakeHost {
  apiId: string
  apiKey: string
  friendlyName: string
  enrollBody: unknown
  reports: Record<string, unknown>[]
  pings: number
}

/** One stage an agent POSTed for a patch run (the JSON body as sent). */
export interface PatchStage {
  stage: string
  output?: string
  error_message?: string
  packages_affected?: string[]
  reboot_required?: boolean
  pre_patch_hook?: { exit_code: number; output: string }
}

export interface FakePatchMon {
  url: string
  tokenKey: string
  tokenSecret: string
  requests: RecordedRequest[]
  hosts: FakeHost[]
  /** Hosts the token may still create before enroll answers 429. */
  enrollAllowance: number
  /** Forces every enroll reply to this status (e.g. 401 or 403). */
  enrollStatus?: number
  /** Bootstrap tokens handed out and not yet exchanged. */
  bootstrapTokens: Map<string, FakeHost>
  updateInterval: number
  /** A newer agent to offer: the version reply announces it (with `hash`), the download serves it. */
  newerAgent?: { version: string; body: string; hash: string }
  /** Forces the agent download reply to this status (an error page instead of the agent). */
  agentDownloadStatus?: number
  /** Commands the next `GET /api/v1/agents/poll` hands out (held ~300 ms when empty, then 204). */
  commands: Record<string, unknown>[]
  /** Forces every poll reply to this status (a server that is down or restarting). */
  pollStatus?: number
  /** Bodies POSTed to /api/v1/patching/runs/{id}/output, by run id, in arrival order. */
  patchStages: Map<string, PatchStage[]>
  /** Forces the patch output endpoint's reply status (a run the server does not know: 404). */
  patchOutputStatus?: number
  /** Extra config the install script gets in its header (like the server's settings). */
  installExtra: Record<string, string>
  requestsTo(path: string): RecordedRequest[]
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify(body))
}

export async function startFakePatchMon(t: Test): Promise<FakePatchMon> {
  const state: FakePatchMon = {
    url: '',
    tokenKey: `patchmon_ae_${randomBytes(16).toString('hex')}`,
    tokenSecret: randomBytes(32).toString('hex'),
    requests: [],
    hosts: [],
    enrollAllowance: 100,
    bootstrapTokens: new Map(),
    updateInterval: 60,
    installExtra: {},
    commands: [],
    patchStages: new Map(),
    requestsTo(path) {
      return this.requests.filter((r) => r.path === path)
    }
  }

  const hostFor = (req: IncomingMessage): FakeHost | undefined =>
    state.hosts.find((h) => h.apiId === req.headers['x-api-id'] && h.apiKey === req.headers['x-api-key'])

  const handle = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const parsed = new URL(req.url ?? '/', 'http://127.0.0.1')
    const path = parsed.pathname.replace(/\/{2,}/g, '/')
    state.requests.push({ method: req.method ?? '', path, query: parsed.searchParams, headers: req.headers, body })
    const route = `${req.method} ${path}`

    if (route === 'POST /api/v1/auto-enrollment/enroll') {
      if (!req.headers['x-auto-enrollment-key'] || !req.headers['x-auto-enrollment-secret']) {
        return json(res, 401, { error: 'Auto-enrollment credentials required' })
      }
      if (req.headers['x-auto-enrollment-key'] !== state.tokenKey) return json(res, 401, { error: 'Invalid or inactive token' })
      if (req.headers['x-auto-enrollment-secret'] !== state.tokenSecret) return json(res, 401, { error: 'Invalid token secret' })
      if (state.enrollStatus === 403) return json(res, 403, { error: 'IP address not authorized for this token' })
      if (state.enrollStatus) return json(res, state.enrollStatus, { error: 'Forced failure' })
      if (state.enrollAllowance <= 0) {
        return json(res, 429, { error: 'Rate limit exceeded', message: 'Maximum 100 hosts per day allowed for this token' })
      }
      let enrollBody: { friendly_name?: string }
      try {
        enrollBody = JSON.parse(body) as { friendly_name?: string }
      } catch {
        return json(res, 400, { error: 'Invalid JSON' })
      }
      state.enrollAllowance--
      const host: FakeHost = {
        apiId: `patchmon_${randomBytes(8).toString('hex')}`,
        apiKey: randomBytes(32).toString('hex'),
        friendlyName: enrollBody.friendly_name ?? '',
        enrollBody,
        reports: [],
        pings: 0
      }
      state.hosts.push(host)
      return json(res, 201, {
        message: 'Host enrolled successfully',
        host: {
          id: randomBytes(16).toString('hex'),
          friendly_name: host.friendlyName,
          api_id: host.apiId,
          api_key: host.apiKey,
          host_group: null,
          status: 'pending'
        }
      })
    }

    if (route === 'POST /api/v1/hosts/bootstrap/exchange') {
      let token: string
      try {
        token = (JSON.parse(body) as { token?: string }).token ?? ''
      } catch {
        return json(res, 400, { error: 'Bootstrap token required' })
      }
      const host = state.bootstrapTokens.get(token)
      if (!host) return json(res, 401, { error: 'Invalid or expired bootstrap token' })
      state.bootstrapTokens.delete(token)
      return json(res, 200, { apiId: host.apiId, apiKey: host.apiKey })
    }

    if (route === 'GET /api/v1/settings/update-interval') return json(res, 200, { updateInterval: state.updateInterval })

    const host = hostFor(req)
    if (path.startsWith('/api/v1/hosts/') && !host) {
      if (!req.headers['x-api-id'] || !req.headers['x-api-key']) return json(res, 401, { error: 'API credentials required' })
      return json(res, 401, { error: 'Invalid API credentials' })
    }
    if (!host) return json(res, 404, { error: 'Not found' })

    if (route === 'GET /api/v1/hosts/install') {
      const token = randomBytes(32).toString('hex')
      state.bootstrapTokens.set(token, host)
      const arch = parsed.searchParams.get('arch') ?? ''
      const config: Record<string, string> = {
        PATCHMON_URL: state.url,
        PATCHMON_OS: parsed.searchParams.get('os') ?? 'linux',
        BOOTSTRAP_TOKEN: token,
        CURL_FLAGS: '-s',
        SKIP_SSL_VERIFY: 'false',
        FORCE_INSTALL: parsed.searchParams.get('force') === 'true' ? 'true' : 'false',
        ...(/^(amd64|386|arm64|arm)$/.test(arch) ? { ARCHITECTURE: arch } : {}),
        ...state.installExtra
      }
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-disposition': 'inline; filename="patchmon_install.sh"' })
      return void res.end(injectScriptConfig(readFileSync(scriptPath('install-agent.sh'), 'utf8'), config))
    }
    if (route === 'GET /api/v1/hosts/agent/download') {
      if (state.agentDownloadStatus) return json(res, state.agentDownloadStatus, { error: 'Agent binary not found for linux/amd64' })
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      return void res.end(state.newerAgent?.body ?? readFileSync(AGENT_PATH))
    }
    if (route === 'GET /api/v1/hosts/agent/version') {
      const newer = state.newerAgent
      return json(res, 200, {
        currentVersion: parsed.searchParams.get('currentVersion'),
        latestVersion: newer?.version ?? '1.1.0',
        hasUpdate: Boolean(newer) && parsed.searchParams.get('currentVersion') !== newer?.version,
        agentType: 'go',
        hash: newer?.hash ?? ''
      })
    }
    if (route === 'POST /api/v1/hosts/ping') {
      host.pings++
      return json(res, 200, {
        message: 'Ping successful',
        timestamp: new Date().toISOString(),
        friendlyName: host.friendlyName,
        agentStartup: true,
        integrations: { docker: false, compliance: false }
      })
    }
    if (route === 'GET /api/v1/agents/poll') {
      if (state.pollStatus) return json(res, state.pollStatus, { error: 'Forced failure' })
      const answer = (): void => {
        if (state.commands.length === 0) return void res.writeHead(204).end()
        json(res, 200, { commands: state.commands.splice(0) })
      }
      if (state.commands.length > 0) return answer()
      return void setTimeout(answer, 300)
    }
    const output = /^POST \/api\/v1\/patching\/runs\/([^/]+)\/output$/.exec(route)
    if (output?.[1]) {
      if (state.patchOutputStatus) return json(res, state.patchOutputStatus, { error: 'Patch run not found' })
      const stages = state.patchStages.get(output[1]) ?? []
      stages.push(JSON.parse(body) as PatchStage)
      state.patchStages.set(output[1], stages)
      return json(res, 200, { ok: true })
    }
    if (route === 'POST /api/v1/hosts/update') {
      const report = JSON.parse(body) as { packages: { needsUpdate: boolean; isSecurityUpdate: boolean }[] }
      host.reports.push(report as unknown as Record<string, unknown>)
      const updates = report.packages.filter((p) => p.needsUpdate)
      return json(res, 200, {
        message: 'Host updated successfully',
        packagesProcessed: report.packages.length,
        updatesAvailable: updates.length,
        securityUpdates: updates.filter((p) => p.isSecurityUpdate).length
      })
    }
    return json(res, 404, { error: 'Not found' })
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'))
      } catch (err) {
        json(res, 500, { error: String(err) })
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return state
}
