// Runs a real shell (bash, dash) on a script asynchronously, so the in-process stand-in server
// keeps answering while the script talks to it. Bounded by a timeout; never inherits the
// developer's PATCHMON_* variables.
import { spawn } from 'node:child_process'
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import { PROJECT_ROOT } from './fake-patchmon.js'

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  env?: Record<string, string | undefined>
  stdin?: string
  timeoutMs?: number
  /** Directories put in front of PATH (fake commands). */
  pathPrefix?: string[]
}

export function cleanEnv(extra: Record<string, string | undefined> = {}, pathPrefix: string[] = []): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (
      !/^(PATCHMON_|AUTO_ENROLLMENT_|CURL_FLAGS|DRY_RUN|DEBUG|HOST_PREFIX|SKIP_|FORCE_INSTALL|EXCLUDE_IDS|BOOTSTRAP_TOKEN|API_ID|API_KEY|FAKE_PCT_DIR)/.test(
        k
      )
    )
      env[k] = v
  }
  env.PATH = [...pathPrefix, process.env.PATH ?? '/usr/bin:/bin'].join(':')
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  return env
}

export function runShell(shell: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(shell, args, { env: cleanEnv(options.env, options.pathPrefix), stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
    // A program that exits without reading its stdin closes the pipe early: not an error here.
    child.stdin.on('error', () => undefined)
    child.stdin.end(options.stdin ?? '')
  })
}

export function tempDir(t: Test, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

export const DISTROS_DIR = join(PROJECT_ROOT, 'test/fixtures/distros')
export const PCT_BIN_DIR = join(PROJECT_ROOT, 'test/fixtures/pct')

/** A sandbox root holding a distro fixture's files; returns the fixture's fake-command directory. */
export function distroSandbox(root: string, distro: string): string {
  cpSync(join(DISTROS_DIR, distro, 'root'), root, { recursive: true })
  return join(DISTROS_DIR, distro, 'bin')
}

/** Agent configuration as the install script writes it, inside a sandbox root. */
export function writeAgentConfig(root: string, server: string, apiId: string, apiKey: string): void {
  mkdirSync(join(root, 'etc/patchmon'), { recursive: true })
  writeFileSync(
    join(root, 'etc/patchmon/config.yml'),
    `patchmon_server: "${server}"\napi_version: "v1"\ncredentials_file: "/etc/patchmon/credentials.yml"\n`
  )
  writeFileSync(join(root, 'etc/patchmon/credentials.yml'), `api_id: "${apiId}"\napi_key: "${apiKey}"\n`, { mode: 0o600 })
}

export interface FakeContainer {
  vmid: number
  name: string
  status: 'running' | 'stopped'
  distro: string
  hostname?: string
  ip?: string
  /** Shell source of extra fake commands in the container, e.g. a failing curl. */
  commands?: Record<string, string>
}

/** Lays out $FAKE_PCT_DIR for test/fixtures/pct/pct and returns it. */
export function fakeProxmox(t: Test, containers: FakeContainer[]): string {
  const dir = tempDir(t, 'patchmon-pct-')
  writeFileSync(join(dir, 'containers.tsv'), containers.map((c) => `${c.vmid}\t${c.status}\t${c.name}\n`).join(''))
  for (const c of containers) {
    const base = join(dir, String(c.vmid))
    const bin = join(base, 'bin')
    mkdirSync(join(base, 'root/etc'), { recursive: true })
    cpSync(join(DISTROS_DIR, c.distro, 'root'), join(base, 'root'), { recursive: true })
    cpSync(join(DISTROS_DIR, c.distro, 'bin'), bin, { recursive: true })
    // The fixture's fake commands find their recorded output next to their own bin directory.
    cpSync(join(DISTROS_DIR, c.distro, 'out'), join(base, 'out'), { recursive: true })
    writeFileSync(join(base, 'root/etc/hostname'), `${c.hostname ?? c.name}\n`)
    writeFileSync(join(base, 'ip'), `${c.ip ?? `10.0.0.${c.vmid % 250}`}\n`)
    const scripts: Record<string, string> = {
      hostname: '#!/bin/sh\nd=$(dirname "$0")/..\ncase "${1:-}" in -I) cat "$d/ip" ;; *) cat "$d/root/etc/hostname" ;; esac\n',
      ...c.commands
    }
    for (const [name, source] of Object.entries(scripts)) {
      writeFileSync(join(bin, name), source)
      chmodSync(join(bin, name), 0o755)
    }
  }
  return dir
}
