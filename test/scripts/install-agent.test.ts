// The served agent install script, fetched from the stand-in server the way the UI command does
// (`curl ... /api/v1/hosts/install | sh`) and run by real dash and bash on a sandbox root.
import t, { type Test } from 'tap'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { AGENT_PATH, startFakePatchMon, type FakeHost, type FakePatchMon } from './helpers/fake-patchmon.js'
import { distroSandbox, runShell, tempDir } from './helpers/run-script.js'

const SUCCESS = 'PatchMon Agent installation completed successfully!'

async function installScript(server: FakePatchMon, host: FakeHost, query = ''): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/hosts/install${query}`, { headers: { 'X-API-ID': host.apiId, 'X-API-KEY': host.apiKey } })
  return res.text()
}

function newHost(server: FakePatchMon): FakeHost {
  const host: FakeHost = {
    apiId: 'patchmon_00112233aabbccdd',
    apiKey: 'a1'.repeat(32),
    friendlyName: 'web1',
    enrollBody: {},
    reports: [],
    pings: 0
  }
  server.hosts.push(host)
  return host
}

async function setup(t: Test, distro = 'debian-12') {
  const server = await startFakePatchMon(t)
  const host = newHost(server)
  const root = tempDir(t, 'patchmon-install-')
  const bin = distroSandbox(root, distro)
  const env = {
    PATCHMON_ROOT: root,
    PATCHMON_SERVICE_MANAGER: 'systemd',
    PATCHMON_SKIP_SERVICE_START: 'true',
    PATCHMON_SKIP_REFRESH: 'true'
  }
  return { server, host, root, bin, env }
}

const mode = (file: string): number => statSync(file).mode & 0o777

for (const shell of ['dash', 'bash']) {
  t.test(`${shell}: piped install exchanges the token, writes 0600 files, installs the agent, pings and reports`, async (t) => {
    const { server, host, root, bin, env } = await setup(t)
    const script = await installScript(server, host, '?arch=amd64')
    const run = await runShell(shell, ['-s'], { stdin: script, env, pathPrefix: [bin] })
    t.equal(run.code, 0, run.stderr)
    t.match(run.stdout, SUCCESS)

    const [exchange] = server.requestsTo('/api/v1/hosts/bootstrap/exchange')
    t.equal(exchange?.headers['content-type'], 'application/json')
    t.match(JSON.parse(exchange?.body ?? '{}'), { token: /^[0-9a-f]{64}$/ })
    t.equal(server.bootstrapTokens.size, 0, 'the bootstrap token was used up')

    const config = join(root, 'etc/patchmon/config.yml')
    const credentials = join(root, 'etc/patchmon/credentials.yml')
    t.equal(mode(config), 0o600)
    t.equal(mode(credentials), 0o600)
    const configText = readFileSync(config, 'utf8')
    t.match(configText, `patchmon_server: "${server.url}"`)
    t.match(configText, 'api_version: "v1"')
    t.match(configText, 'credentials_file: "/etc/patchmon/credentials.yml"')
    t.match(configText, 'skip_ssl_verify: false')
    const credentialsText = readFileSync(credentials, 'utf8')
    t.match(credentialsText, `api_id: "${host.apiId}"`)
    t.match(credentialsText, `api_key: "${host.apiKey}"`)

    const agent = join(root, 'usr/local/bin/patchmon-agent')
    t.equal(readFileSync(agent, 'utf8'), readFileSync(AGENT_PATH, 'utf8'))
    t.equal(mode(agent), 0o755)
    const [download] = server.requestsTo('/api/v1/hosts/agent/download')
    t.equal(download?.query.get('arch'), 'amd64')
    t.equal(download?.query.get('os'), 'linux')
    t.equal(download?.query.get('force'), 'binary')

    const unit = readFileSync(join(root, 'etc/systemd/system/patchmon-agent.service'), 'utf8')
    t.match(unit, 'ExecStart=/usr/local/bin/patchmon-agent serve')
    t.match(unit, 'Restart=always')
    t.equal(host.pings, 1)
    t.equal(host.reports.length, 1, 'the first report was sent')
    t.notMatch(run.stdout + run.stderr, host.apiKey, 'the API key is never printed')
  })
}

t.test('running the installer again with the same host is a no-op', async (t) => {
  const { server, host, root, bin, env } = await setup(t)
  t.equal((await runShell('dash', ['-s'], { stdin: await installScript(server, host), env, pathPrefix: [bin] })).code, 0)
  const again = await runShell('dash', ['-s'], { stdin: await installScript(server, host), env, pathPrefix: [bin] })
  t.equal(again.code, 0)
  t.match(again.stdout, 'Agent is already configured and ping successful')
  t.equal(host.reports.length, 1)
  t.notOk(existsSync(join(root, 'etc/patchmon/config.yml.backup')), 'nothing moved aside')
})

t.test('a used or expired bootstrap token says so; an unreachable server says that instead', async (t) => {
  const { server, host, bin, env } = await setup(t)
  const script = await installScript(server, host)
  t.equal((await runShell('dash', ['-s'], { stdin: script, env, pathPrefix: [bin] })).code, 0)
  const reused = await runShell('dash', ['-s'], {
    stdin: script,
    env: { ...env, PATCHMON_ROOT: tempDir(t, 'patchmon-install-') },
    pathPrefix: [bin]
  })
  t.equal(reused.code, 1)
  t.match(reused.stderr, 'Bootstrap token may have expired')
  t.match(reused.stderr, 'Please request a new installation script.')

  const unreachable = await runShell('dash', ['-s'], {
    stdin: script,
    env: { ...env, PATCHMON_URL: 'http://127.0.0.1:9', PATCHMON_ROOT: tempDir(t, 'patchmon-install-') },
    pathPrefix: [bin]
  })
  t.equal(unreachable.code, 1)
  t.match(unreachable.stderr, 'Could not reach the PatchMon server at http://127.0.0.1:9')
  t.notMatch(unreachable.stderr, 'expired')
})

t.test('an error reply from the agent download is refused, not installed', async (t) => {
  const { server, host, root, bin, env } = await setup(t)
  server.agentDownloadStatus = 404
  const run = await runShell('dash', ['-s'], { stdin: await installScript(server, host), env, pathPrefix: [bin] })
  t.equal(run.code, 1)
  t.match(run.stderr, 'Agent download failed (HTTP 404)')
  t.notOk(existsSync(join(root, 'usr/local/bin/patchmon-agent')))
})

t.test('Alpine gets an OpenRC service and hosts without an init system an @reboot cron entry', async (t) => {
  const alpine = await setup(t, 'alpine-3.20')
  const run = await runShell('dash', ['-s'], {
    stdin: await installScript(alpine.server, alpine.host),
    env: { ...alpine.env, PATCHMON_SERVICE_MANAGER: 'openrc' },
    pathPrefix: [alpine.bin]
  })
  t.equal(run.code, 0, run.stderr)
  const initScript = readFileSync(join(alpine.root, 'etc/init.d/patchmon-agent'), 'utf8')
  t.match(initScript, '#!/sbin/openrc-run')
  t.match(initScript, 'command_args="serve"')

  const plain = await setup(t, 'arch')
  const { mkdirSync } = await import('node:fs')
  mkdirSync(join(plain.root, 'etc/cron.d'), { recursive: true })
  const cron = await runShell('dash', ['-s'], {
    stdin: await installScript(plain.server, plain.host),
    env: { ...plain.env, PATCHMON_SERVICE_MANAGER: 'cron' },
    pathPrefix: [plain.bin]
  })
  t.equal(cron.code, 0, cron.stderr)
  t.match(readFileSync(join(plain.root, 'etc/cron.d/patchmon-agent'), 'utf8'), '@reboot root /usr/local/bin/patchmon-agent serve')
})
