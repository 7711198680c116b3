// The two server calls of agentless collection, on the same wire as the scripts and agents:
// enrollment (POST /api/v1/auto-enrollment/enroll with the token headers) and the report
// (POST /api/v1/hosts/update with the host's X-API-ID / X-API-KEY) — the agent's ingest path.
import type { Dispatcher } from 'undici'
import { loadUndici } from '../http/load-undici.js'
import { USER_AGENT } from '../version.js'

export interface ServerReply {
  status: number
  body: string
}

export interface ServerClient {
  enroll(body: unknown): Promise<ServerReply>
  report(apiId: string, apiKey: string, payload: string): Promise<ServerReply>
}

export function serverClient(serverUrl: string, tokenKey: string, tokenSecret: string, skipTlsVerify: boolean): ServerClient {
  // Self-signed certificates are common in homelabs; verification is only skipped when asked.
  // undici loads on the first call, not when the server starts (src/http/load-undici.ts).
  let dispatcher: Dispatcher | undefined
  const post = async (path: string, headers: Record<string, string>, body: string): Promise<ServerReply> => {
    const { Agent, fetch } = await loadUndici()
    dispatcher ??= new Agent({ connect: { rejectUnauthorized: !skipTlsVerify }, headersTimeout: 60_000, bodyTimeout: 60_000 })
    const res = await fetch(`${serverUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': `${USER_AGENT} proxmox-collect`, ...headers },
      body,
      dispatcher
    })
    return { status: res.status, body: await res.text() }
  }
  return {
    enroll: (body) =>
      post(
        '/api/v1/auto-enrollment/enroll',
        { 'x-auto-enrollment-key': tokenKey, 'x-auto-enrollment-secret': tokenSecret },
        JSON.stringify(body)
      ),
    report: (apiId, apiKey, payload) => post('/api/v1/hosts/update', { 'x-api-id': apiId, 'x-api-key': apiKey }, payload)
  }
}
