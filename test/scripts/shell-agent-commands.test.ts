// The shell agent's commands other than the report, run by real dash and bash against the stand-in
// server: ping, --version, config show, check-version, serve (with self-update), report --json and
// update-agent.
import t from 'tap'
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { AGENT_PATH, startFakePatchMon } from './helpers/fake-patchmon.js'
import { cleanEnv, runShell, writeAgentConfig } from './helpers/run-script.js'
import { enrolledHost, sandbox } from './helpers/agent-sandbox.js'

t.test('ping sends an empty body with Content-Type application/json and needs exactly 200', async (t) => {
  const server = await startFakePatchMon(t)
  const host = enrolledHost(server)
  const { root, bin } = sandbox(t, server, host, 'debian-12')
  const run = await runShell('dash', [AGENT_PATH, 'ping'], { env: { PATCHMON_ROOT: root }, pathPrefix: [bin] })
  t.equal(run.code, 0, run.stderr)
  const [ping] = server.requestsTo('/api/v1/hosts/ping')
  t.equal(ping?.method, 'POST')
  t.equal(ping?.body, '')
  t.equal(ping?.headers['content-type'], 'application/json')
  t.equal(ping?.headers['content-length'], '0')
  t.equal(ping?.headers['x-api-key'], host.apiKey)
  t.equal(host.pings, 1)

  writeAgentConfig(root, server.url, host.apiId, 'wrong-key')
  const denied = await runShell('dash', [AGENT_PATH, 'ping'], { env: { PATCHMON_ROOT: root }, pathPrefix: [bin] })
  t.equal(denied.code, 1)
  t.match(denied.stderr, 'HTTP 401')
  t.notMatch(denied.stdout + denied.stderr, 'wrong-key', 'the key is never printed')
})

t.test('--version prints "patchmon-agent version <x>" matching AGENT_VERSION', async (t) => {
  const source = readFileSync(AGENT_PATH, 'utf8')
  const version = /^AGENT_VERSION="(\d+\.\d+\.\d+)"$/m.exec(source)?.[1]
  t.ok(version, 'AGENT_VERSION="x.y.z" is on its own line')
  for (const shell of ['dash', 'bash']) {
    const run = await runShell(shell, [AGENT_PATH, '--version'])
    t.equal(run.stdout, `patchmon-agent version ${version}\n`)
  }
})

t.test('config show masks the API key; check-version asks the Go-compatible version URL', async (t) => {
  const server = await startFakePatchMon(t)
  const host = enrolledHost(server)
  const { root } = sandbox(t, server, host, 'debian-12')
  const shown = await runShell('dash', [AGENT_PATH, 'config', 'show'], { env: { PATCHMON_ROOT: root } })
  t.match(shown.stdout, `Server: ${server.url}`)
  t.match(shown.stdout, `API ID: ${host.apiId}`)
  t.notMatch(shown.stdout, host.apiKey)
  const checked = await runShell('dash', [AGENT_PATH, 'check-version'], { env: { PATCHMON_ROOT: root } })
  t.equal(checked.code, 0, checked.stderr)
  t.match(checked.stdout, 'Agent is up to date')
  const [request] = server.requestsTo('/api/v1/hosts/agent/version')
  t.equal(request?.query.get('type'), 'go')
  t.equal(request?.query.get('currentVersion'), '1.1.0')
  // The server offers the shell agent only to callers that say "(shell)": a Go agent must never get a script.
  t.match(request?.headers['user-agent'], /^patchmon-agent\/1\.1\.0 \(shell\)$/)
})

t.test('serve reads the update interval, then reports (one bounded cycle)', async (t) => {
  const server = await startFakePatchMon(t)
  const host = enrolledHost(server)
  const { root, bin } = sandbox(t, server, host, 'alpine-3.20')
  const run = await runShell('dash', [AGENT_PATH, 'serve'], {
    env: { PATCHMON_ROOT: root, PATCHMON_AGENT_MAX_CYCLES: '1' },
    pathPrefix: [bin]
  })
  t.equal(run.code, 0, run.stderr)
  t.same(
    server.requests.map((r) => r.path),
    ['/api/v1/settings/update-interval', '/api/v1/hosts/update', '/api/v1/hosts/agent/version']
  )
  t.equal(host.reports.length, 1)
})

t.test('serve updates itself when the server offers a newer agent and carries on as that version', async (t) => {
  const server = await startFakePatchMon(t)
  const host = enrolledHost(server)
  const { root, bin } = sandbox(t, server, host, 'alpine-3.20')
  const installed = join(root, 'usr/local/bin/patchmon-agent')
  mkdirSync(join(root, 'usr/local/bin'), { recursive: true })
  copyFileSync(AGENT_PATH, installed)
  chmodSync(installed, 0o755)
  const newer = readFileSync(AGENT_PATH, 'utf8').replace(/^AGENT_VERSION=".*"$/m, 'AGENT_VERSION="1.1.1"')
  server.newerAgent = { version: '1.1.1', body: newer, hash: createHash('sha256').update(newer).digest('hex') }
  const run = await runShell('dash', [installed, 'serve'], {
    env: { PATCHMON_ROOT: root, PATCHMON_AGENT_MAX_CYCLES: '1' },
    pathPrefix: [bin]
  })
  t.equal(run.code, 0, run.stderr)
  t.match(run.stdout, 'Restarting as the updated agent')
  t.same(
    host.reports.map((r) => r.agentVersion),
    ['1.1.0', '1.1.1']
  )
  t.equal(server.requestsTo('/api/v1/hosts/agent/download').length, 1, 'downloaded once, no update loop')
})

t.test('report --json prints valid JSON with hostile characters escaped', async (t) => {
  const server = await startFakePatchMon(t)
  const host = enrolledHost(server)
  const { root, bin } = sandbox(t, server, host, 'debian-12')
  const osRelease = join(root, 'etc/os-release')
  const original = readFileSync(osRelease, 'utf8')
  const { writeFileSync } = await import('node:fs')
  writeFileSync(osRelease, original.replace('VERSION="12 (bookworm)"', 'VERSION="12 \\"quoted\\" back\\\\slash\ttab"'))
  const run = await runShell('bash', [AGENT_PATH, 'report', '--json'], { env: { PATCHMON_ROOT: root }, pathPrefix: [bin] })
  t.equal(run.code, 0, run.stderr)
  const report = JSON.parse(run.stdout) as { osVersion: string }
  t.match(report.osVersion, /^12 .*quoted.* back.*slash/)
  t.equal(server.requests.length, 0, '--json sends nothing')
})

t.test('update-agent installs a newer agent only when its SHA-256 matches, keeping a backup', async (t) => {
  const server = await startFakePatchMon(t)
  const host = enrolledHost(server)
  const { root } = sandbox(t, server, host, 'debian-12')
  const installed = join(root, 'usr/local/bin/patchmon-agent')
  mkdirSync(join(root, 'usr/local/bin'), { recursive: true })
  copyFileSync(AGENT_PATH, installed)
  chmodSync(installed, 0o755)
  const newer = readFileSync(AGENT_PATH, 'utf8').replace(/^AGENT_VERSION=".*"$/m, 'AGENT_VERSION="1.1.1"')

  server.newerAgent = { version: '1.1.1', body: newer, hash: 'f'.repeat(64) }
  const refused = await runShell('dash', [installed, 'update-agent'], { env: { PATCHMON_ROOT: root } })
  t.equal(refused.code, 1)
  t.match(refused.stderr, 'does not match')
  t.equal(readFileSync(installed, 'utf8'), readFileSync(AGENT_PATH, 'utf8'), 'a mismatching download is not installed')

  server.newerAgent = { version: '1.1.1', body: newer, hash: createHash('sha256').update(newer).digest('hex') }
  const updated = await runShell('dash', [installed, 'update-agent'], { env: { PATCHMON_ROOT: root } })
  t.equal(updated.code, 0, updated.stderr)
  t.match(updated.stdout, 'Agent updated: patchmon-agent version 1.1.1')
  t.equal(readFileSync(installed, 'utf8'), newer)
  t.equal(
    readdirSync(join(root, 'usr/local/bin')).filter((f) => f.startsWith('patchmon-agent.backup.')).length,
    1,
    'the old agent is kept as a backup'
  )
  t.notOk(existsSync(`${installed}.new`))
  const [download] = server.requestsTo('/api/v1/hosts/agent/download')
  t.equal(download?.headers['content-type'], undefined, 'version and download calls carry no Content-Type, like the Go agent')
})

t.test(
  'serve holds the live channel: report_now reports, update_agent updates and restarts, a failing server is retried with back-off',
  async (t) => {
    const server = await startFakePatchMon(t)
    const host = enrolledHost(server)
    const { root, bin } = sandbox(t, server, host, 'alpine-3.20')
    const installed = join(root, 'usr/local/bin/patchmon-agent')
    mkdirSync(join(root, 'usr/local/bin'), { recursive: true })
    copyFileSync(AGENT_PATH, installed)
    chmodSync(installed, 0o755)
    const child = spawn('dash', [installed, 'serve'], { env: cleanEnv({ PATCHMON_ROOT: root }, [bin]), stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')))
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')))
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    t.teardown(async () => {
      child.kill('SIGTERM')
      await exited
    })
    const until = async (check: () => boolean, what: string, limitMs: number): Promise<number> => {
      const started = Date.now()
      while (Date.now() - started < limitMs) {
        if (check()) return Date.now() - started
        await new Promise((r) => setTimeout(r, 25))
      }
      throw new Error(`timed out after ${limitMs} ms waiting for ${what}\n${output}`)
    }
    const polls = () => server.requestsTo('/api/v1/agents/poll')

    await until(() => host.reports.length === 1 && polls().length > 0, 'the first report and a poll', 15_000)
    t.equal(polls()[0]?.headers['x-api-key'], host.apiKey, 'the poll is agent-authenticated')
    server.commands.push({ type: 'report_now' })
    t.ok((await until(() => host.reports.length === 2, 'the requested report', 5_000)) < 5_000, 'report_now answered within 5 s')

    const newer = readFileSync(AGENT_PATH, 'utf8').replace(/^AGENT_VERSION=".*"$/m, 'AGENT_VERSION="1.1.1"')
    server.newerAgent = { version: '1.1.1', body: newer, hash: createHash('sha256').update(newer).digest('hex') }
    server.commands.push(
      { type: 'update_agent' },
      { type: 'update_notification', version: '1.1.1', force: true, message: 'Update requested' }
    )
    await until(() => host.reports.some((r) => r.agentVersion === '1.1.1'), 'a report from the updated agent', 5_000)
    t.match(output, 'Restarting as the updated agent')
    t.equal(readFileSync(installed, 'utf8'), newer, 'the new agent is installed')
    t.equal(server.requestsTo('/api/v1/hosts/agent/download').length, 1, 'downloaded once for the two update messages')

    // The server fails (restart, proxy error): the poller backs off 1, 2, 4 s instead of spinning.
    await until(() => polls().length > 0, 'a poll from the new agent', 5_000)
    server.pollStatus = 503
    const before = polls().length
    await new Promise((r) => setTimeout(r, 7_500))
    const failed = polls().length - before
    t.ok(failed >= 3 && failed <= 6, `${failed} polls in 7.5 s while the server answers 503`)
    server.pollStatus = undefined
    const reports = host.reports.length
    server.commands.push({ type: 'report_now' })
    await until(() => host.reports.length === reports + 1, 'a report once the server is back', 15_000)
    t.pass('the channel came back')
  }
)
