// A stand-in server with one enrolled host, and a sandbox root per test in which the shell agent
// sees one distribution's recorded package-manager output (shared by the shell-agent tests).
import type { Test } from 'tap'
import type { FakeHost, FakePatchMon } from './fake-patchmon.js'
import { distroSandbox, tempDir, writeAgentConfig } from './run-script.js'

/** Registers the host the agent's config names with the stand-in server. */
export function enrolledHost(server: FakePatchMon): FakeHost {
  const host: FakeHost = {
    apiId: 'patchmon_0123456789abcdef',
    apiKey: 'k'.repeat(64),
    friendlyName: 'agent-test',
    enrollBody: {},
    reports: [],
    pings: 0
  }
  server.hosts.push(host)
  return host
}

/** A fresh root whose PATH shims replay `distro`, with the agent's config pointing at `server`. */
export function sandbox(t: Test, server: FakePatchMon, host: FakeHost, distro: string) {
  const root = tempDir(t, 'patchmon-agent-')
  const bin = distroSandbox(root, distro)
  writeAgentConfig(root, server.url, host.apiId, host.apiKey)
  return { root, bin }
}
