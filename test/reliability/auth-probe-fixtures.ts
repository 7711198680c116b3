// Fixtures of the authentication probes (auth-probes.test.ts): the documented refusals, credentials
// of each integration type made through the admin API, and builders of GET/POST/enroll probes.
import { createHmac } from 'node:crypto'
import { bearer, type TestApp } from '../helpers/test-app.js'
import { agentHeaders, agentReport, debianPackages } from '../helpers/agent-fixtures.js'
import { basicAuth, type Expected, type Probe } from './probe-table.js'

export const UNLIMITED = {
  CREDENTIAL_FAILURE_LIMIT_MAX: '1000000',
  RATE_LIMIT_MAX: '1000000',
  AUTH_RATE_LIMIT_MAX: '1000000',
  AGENT_RATE_LIMIT_MAX: '1000000',
  GETHOMEPAGE_RATE_LIMIT_MAX: '1000000'
}
export const API = '/api/v1/api/hosts'
export const HOMEPAGE = '/api/v1/gethomepage/stats'
export const PING = '/api/v1/hosts/ping'
export const UPDATE = '/api/v1/hosts/update'
export const ENROLL = '/api/v1/auto-enrollment/enroll'
export const OUTSIDE = '203.0.113.0/24'

export type CredentialType = 'api' | 'gethomepage' | 'proxmox-lxc' | 'direct-host'
export interface Credential {
  id: string
  key: string
  secret: string
}

export const err = (status: number, error: string): Expected => ({ status, body: { error } })
export const E = {
  noBasic: err(401, 'Missing or invalid authorization header'),
  unknownKey: err(401, 'Invalid API key'),
  wrongType: err(401, 'Invalid API key type'),
  disabled: err(401, 'API key is disabled'),
  expired: err(401, 'API key has expired'),
  ipBasic: err(403, 'IP address not allowed'),
  agentInvalid: err(401, 'Invalid API credentials'),
  agentRequired: err(401, 'API credentials required'),
  enrollInvalid: err(401, 'Invalid or inactive token'),
  enrollExpired: err(401, 'Token expired'),
  enrollWrongType: err(403, 'This token cannot enroll hosts (only proxmox-lxc and direct-host tokens can)'),
  enrollIp: err(403, 'IP address not authorized for this token'),
  sessionExpired: err(401, 'Session expired'),
  invalidToken: err(401, 'Invalid token'),
  noPermission: err(403, 'Insufficient permissions')
}

export async function credential(ctx: TestApp, type: CredentialType, extra: Record<string, unknown> = {}): Promise<Credential> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auto-enrollment/tokens',
    headers: bearer(ctx.adminToken),
    payload: {
      token_name: `probe ${type}`,
      metadata: { integration_type: type },
      ...(type === 'api' ? { scopes: { host: ['get'] } } : {}),
      ...extra
    }
  })
  if (res.statusCode !== 201) throw new Error(`creating a ${type} credential failed: ${res.statusCode} ${res.body}`)
  const token = (res.json() as { token: { id: string; token_key: string; token_secret: string } }).token
  return { id: token.id, key: token.token_key, secret: token.token_secret }
}

export async function admin(
  ctx: TestApp,
  method: 'PATCH' | 'DELETE' | 'POST' | 'PUT',
  url: string,
  payload?: Record<string, unknown>
): Promise<void> {
  const res = await ctx.app.inject({ method, url, headers: bearer(ctx.adminToken), ...(payload ? { payload } : {}) })
  if (res.statusCode >= 300) throw new Error(`${method} ${url} failed: ${res.statusCode} ${res.body}`)
}

export const basic = (c: Credential) => ({ authorization: basicAuth(c.key, c.secret) })
export const asAgent = (c: Credential) => agentHeaders({ apiId: c.key, apiKey: c.secret })
export const asEnrollment = (key: string, secret: string) => ({ 'x-auto-enrollment-key': key, 'x-auto-enrollment-secret': secret })
export const report = JSON.stringify(agentReport(debianPackages(5)))

export const get = (name: string, url: string, headers: Record<string, string>, expect: Expected, remoteAddress = '127.0.0.1'): Probe => ({
  name,
  request: { method: 'GET', url, headers, remoteAddress },
  expect
})
export const post = (
  name: string,
  url: string,
  headers: Record<string, string>,
  payload: string | Record<string, unknown>,
  expect: Expected,
  remoteAddress = '127.0.0.1'
): Probe => ({
  name,
  request: { method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload, remoteAddress },
  expect
})
export const enroll = (name: string, headers: Record<string, string>, expect: Expected, remoteAddress = '127.0.0.1') =>
  post(name, ENROLL, headers, { friendly_name: 'probe-enrolled' }, expect, remoteAddress)

/** An HS256 session token signed with the server's key, for claims no login would issue. */
export function signJwt(secret: string, claims: Record<string, unknown>): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`
}
export const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8')) as Record<string, unknown>
