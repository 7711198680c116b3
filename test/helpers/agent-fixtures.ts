// Realistic agent traffic for tests and benches: hosts created through the API, Debian-like
// package lists and report bodies shaped exactly like the Go agent's (facts: agent-protocol §2.2).
import type { FastifyInstance } from 'fastify'
import { bearer, type TestApp } from './test-app.js'

export interface TestHost {
  id: string
  apiId: string
  apiKey: string
}

export async function createHostViaApi(
  app: FastifyInstance,
  adminToken: string,
  friendlyName: string,
  hostGroupIds: string[] = []
): Promise<TestHost> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/hosts',
    headers: bearer(adminToken),
    payload: { friendly_name: friendlyName, host_group_ids: hostGroupIds }
  })
  if (res.statusCode !== 201) throw new Error(`creating host ${friendlyName} failed: ${res.statusCode} ${res.body}`)
  const body = res.json() as { id: string; api_id: string; api_key: string }
  return { id: body.id, apiId: body.api_id, apiKey: body.api_key }
}

/** Headers as the Go agent sends them (canonical header case, JSON content type, resty UA). */
export function agentHeaders(host: Pick<TestHost, 'apiId' | 'apiKey'>): Record<string, string> {
  return {
    'X-Api-Id': host.apiId,
    'X-Api-Key': host.apiKey,
    'Content-Type': 'application/json',
    Accept: 'application/json',
    'User-Agent': 'go-resty/2.16.5'
  }
}

export interface AgentPackage {
  name: string
  currentVersion: string
  availableVersion?: string
  needsUpdate: boolean
  isSecurityUpdate: boolean
}

const PREFIXES = ['lib', 'python3-', 'node-', 'golang-', 'ruby-', 'perl-', 'fonts-', 'x11-', 'gir1.2-', '']
const STEMS = [
  'ssl',
  'curl',
  'xml2',
  'systemd',
  'glib',
  'gtk',
  'pam',
  'krb5',
  'ldap',
  'sqlite3',
  'zstd',
  'lzma',
  'apt',
  'dpkg',
  'bash',
  'coreutils',
  'openssh',
  'nginx',
  'postgres',
  'redis',
  'vim',
  'git',
  'tar',
  'gzip',
  'util-linux',
  'e2fsprogs',
  'iproute2',
  'dbus',
  'udev',
  'perl'
]

/**
 * `count` Debian-like packages: the first `updates` need an update (every `securityEvery`-th of
 * those is a security update), upgradable ones first as the agent lists them. Deterministic.
 */
export function debianPackages(
  count: number,
  options: { updates?: number; securityEvery?: number; versionSalt?: string } = {}
): AgentPackage[] {
  const updates = options.updates ?? Math.floor(count / 20)
  const securityEvery = options.securityEvery ?? 4
  const salt = options.versionSalt ?? ''
  const packages: AgentPackage[] = []
  for (let i = 0; i < count; i++) {
    const name = `${PREFIXES[i % PREFIXES.length]}${STEMS[Math.floor(i / PREFIXES.length) % STEMS.length]}${Math.floor(i / (PREFIXES.length * STEMS.length)) || ''}-${i}`
    const current = `${1 + (i % 9)}.${i % 23}.${i % 7}-${1 + (i % 4)}+deb12u${i % 3}${salt}`
    if (i < updates) {
      packages.push({
        name,
        currentVersion: current,
        availableVersion: `${current}.1`,
        needsUpdate: true,
        isSecurityUpdate: i % securityEvery === 0
      })
    } else {
      packages.push({ name, currentVersion: current, needsUpdate: false, isSecurityUpdate: false })
    }
  }
  return packages
}

/** A full report as the Go agent 1.3.x/2.x marshals it (no needsReboot unless given). */
export function agentReport(packages: readonly unknown[] | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    packages,
    repositories: [
      {
        name: 'deb.debian.org-bookworm',
        url: 'http://deb.debian.org/debian',
        distribution: 'bookworm',
        components: 'main',
        repoType: 'deb',
        isEnabled: true,
        isSecure: false
      },
      {
        name: 'security.debian.org',
        url: 'http://security.debian.org/debian-security',
        distribution: 'bookworm-security',
        components: 'main',
        repoType: 'deb',
        isEnabled: true,
        isSecure: true
      }
    ],
    osType: 'Debian GNU/Linux',
    osVersion: '12 (bookworm)',
    hostname: 'web01.example.com',
    ip: '192.168.1.100',
    architecture: 'x86_64',
    agentVersion: '1.3.0',
    machineId: '4c4c4544-0042-3510-8052-b4c04f4e3732',
    kernelVersion: '6.1.0-18-amd64',
    selinuxStatus: 'disabled',
    systemUptime: '3 hours, 5 minutes',
    loadAverage: [0.52, 0.31, 0.2],
    cpuModel: 'Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz',
    cpuCores: 4,
    ramInstalled: 7.765625,
    swapSize: 0.9990234375,
    diskDetails: [{ name: '/dev/sda1', size: '251.97GB (22.07GB used, 79.40GB free, 21.7% used)', mountpoint: '/' }],
    gatewayIp: '192.168.1.1',
    dnsServers: ['192.168.1.1'],
    networkInterfaces: [{ name: 'eth0', type: 'ethernet', addresses: [{ address: '192.168.1.100', family: 'inet' }] }],
    executionTime: 4.271,
    ...extra
  }
}

/** POST /hosts/update as the agent; a string payload is sent verbatim (invalid JSON, empty body). */
export async function postReport(ctx: TestApp, host: TestHost, payload: unknown) {
  return ctx.app.inject({
    method: 'POST',
    url: '/api/v1/hosts/update',
    headers: agentHeaders(host),
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload)
  })
}

export interface StoredPackage {
  name: string
  current_version: string
  available_version: string | null
  needs_update: number
  is_security_update: number
}

/** The host's package rows as stored, by name. */
export function storedPackages(ctx: TestApp, hostId: string): StoredPackage[] {
  return ctx.store.sqlite
    .prepare(
      `select p.name, hp.current_version, hp.available_version, hp.needs_update, hp.is_security_update
    from host_packages hp join packages p on p.id = hp.package_id where hp.host_id = ? order by p.name`
    )
    .all(hostId) as StoredPackage[]
}
