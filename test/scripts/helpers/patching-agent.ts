// Helpers for the shell agent's patching tests: fake package-manager commands that log their argv
// and answer from a table (everything else goes to the distro fixture's recorded command), and a
// running `serve` that takes live-channel commands from the stand-in server.
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Test } from 'tap'
import { AGENT_PATH, type FakeHost, type FakePatchMon, type PatchStage } from './fake-patchmon.js'
import { cleanEnv, distroSandbox, tempDir, writeAgentConfig } from './run-script.js'

/** `case "$*" in` arms of a fake command: args pattern (shell glob) -> shell body. */
export type FakeAnswers = Record<string, string>

export interface FakeBin {
  dir: string
  /** Every call so far, as `name args...` lines. */
  calls: () => string[]
}

/** A shell case pattern matching `pattern` literally except for its `*` wildcards. */
const casePattern = (pattern: string): string =>
  pattern
    .split('*')
    .map((part) => (part ? `'${part.replace(/'/g, `'\\''`)}'` : ''))
    .join('*')

const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'dry_run_completed'])

/**
 * A bin folder with a wrapper for every command of the distro fixture (so detection sees the same
 * commands) plus `extra` names; each logs its call, answers from `answers[name]` or falls through to
 * the fixture's command. `omit` leaves fixture commands out (e.g. dnf, to make a yum host).
 */
export function fakeBin(t: Test, fixtureBin: string, answers: Record<string, FakeAnswers>, omit: string[] = []): FakeBin {
  const dir = tempDir(t, 'patchmon-fakebin-')
  const log = join(dir, 'calls.log')
  writeFileSync(log, '')
  const names = new Set([...readdirSync(fixtureBin), ...Object.keys(answers)].filter((n) => !omit.includes(n)))
  for (const name of names) {
    const arms = Object.entries(answers[name] ?? {})
      .map(([pattern, body]) => `  ${casePattern(pattern)}) ${body} ;;`)
      .join('\n')
    const fallback = existsSync(join(fixtureBin, name)) ? `exec "${fixtureBin}/${name}" "$@"` : 'exit 0'
    const script = `#!/bin/sh\nprintf '%s\\n' "${name} $*" >> "${log}"\ncase "$*" in\n${arms}\nesac\n${fallback}\n`
    writeFileSync(join(dir, name), script)
    chmodSync(join(dir, name), 0o755)
  }
  return {
    dir,
    calls: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
  }
}

export interface ServingAgent {
  root: string
  output: () => string
  /** Sends a run_patch (or other) command and waits for the run's terminal stage. */
  run: (command: Record<string, unknown>, limitMs?: number) => Promise<PatchStage[]>
  stagesOf: (id: string) => PatchStage[]
}

export async function until(check: () => boolean, what: string, limitMs: number, detail: () => string = () => ''): Promise<void> {
  const started = Date.now()
  while (Date.now() - started < limitMs) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`timed out after ${limitMs} ms waiting for ${what}\n${detail()}`)
}

/** `serve` of the agent in a sandbox of `distro`, with `bin` first on PATH; waits for its first poll. */
export async function serveForPatching(
  t: Test,
  server: FakePatchMon,
  host: FakeHost,
  distro: string,
  bin: string,
  opts: { shell?: string; env?: Record<string, string> } = {}
): Promise<ServingAgent> {
  const root = tempDir(t, 'patchmon-patch-')
  distroSandbox(root, distro)
  writeAgentConfig(root, server.url, host.apiId, host.apiKey)
  mkdirSync(join(root, 'run'), { recursive: true })
  const child = spawn(opts.shell ?? 'dash', [AGENT_PATH, 'serve'], {
    env: cleanEnv({ PATCHMON_ROOT: root, ...opts.env }, [bin]),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')))
  child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  t.teardown(async () => {
    child.kill('SIGTERM')
    await exited
  })
  const reports = host.reports.length
  await until(
    () => host.reports.length > reports && server.requestsTo('/api/v1/agents/poll').length > 0,
    'the first report and poll',
    20_000,
    () => out
  )
  const stagesOf = (id: string) => server.patchStages.get(id) ?? []
  return {
    root,
    output: () => out,
    stagesOf,
    run: async (command, limitMs = 20_000) => {
      const id = typeof command.patch_run_id === 'string' ? command.patch_run_id : randomUUID()
      server.commands.push({ ...command, patch_run_id: id })
      await until(
        () => stagesOf(id).some((s) => TERMINAL.has(s.stage)),
        `the terminal stage of ${String(command.type)} ${id}`,
        limitMs,
        () => `${out}\n${JSON.stringify(stagesOf(id))}`
      )
      return stagesOf(id)
    }
  }
}

/** The commands a run says it ran (the `$ ` lines of its output). */
export function commandsRun(stages: PatchStage[]): string[] {
  const last = stages[stages.length - 1]
  return (last?.output ?? '')
    .split('\n')
    .filter((l) => l.startsWith('$ '))
    .map((l) => l.slice(2))
}
