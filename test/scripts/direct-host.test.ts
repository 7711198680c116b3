// The direct-host enrollment script as served (`curl ... | sh`), run by real dash and bash on a
// sandbox root against the stand-in server's compact JSON replies.
import t, { type Test } from 'tap'
import { readFileSync } from 'node:fs'
import { startFakePatchMon, scriptPath, type FakePatchMon } from './helpers/fake-patchmon.js'
import { injectScriptConfig } from './helpers/script-config.js'
import { distroSandbox, runShell, tempDir } from './helpers/run-script.js'

function servedScript(server: FakePatchMon, secret = server.tokenSecret): string {
  return injectScriptConfig(readFileSync(scriptPath('direct-host.sh'), 'utf8'), {
    PATCHMON_URL: server.url,
    AUTO_ENROLLMENT_KEY: server.tokenKey,
    AUTO_ENROLLMENT_SECRET: secret,
    CURL_FLAGS: '-s',
    FORCE_INSTALL: 'false'
  })
}

async function setup(t: Test) {
  const server = await startFakePatchMon(t)
  const root = tempDir(t, 'patchmon-direct-')
  const bin = distroSandbox(root, 'debian-12')
  const env = { PATCHMON_ROOT: root, PATCHMON_SERVICE_MANAGER: 'none', PATCHMON_SKIP_REFRESH: 'true' }
  return { server, root, bin, env }
}

for (const shell of ['dash', 'bash']) {
  t.test(`${shell}: enrolls the host, finds the credentials in the compact reply with grep, installs the agent`, async (t) => {
    const { server, bin, env } = await setup(t)
    const run = await runShell(shell, ['-s'], {
      stdin: servedScript(server),
      env: { ...env, FRIENDLY_NAME: 'My "quoted" Server' },
      pathPrefix: [bin]
    })
    t.equal(run.code, 0, run.stderr)
    t.equal(run.stdout.trimEnd().split('\n').pop(), 'Auto-enrollment complete!')
    t.match(run.stdout, 'PatchMon Agent installation completed successfully!')

    const [enroll] = server.requestsTo('/api/v1/auto-enrollment/enroll')
    t.equal(enroll?.headers['x-auto-enrollment-key'], server.tokenKey)
    t.equal(enroll?.headers['x-auto-enrollment-secret'], server.tokenSecret)
    t.equal(enroll?.headers['content-type'], 'application/json')
    const body = JSON.parse(enroll?.body ?? '{}') as { friendly_name: string; machine_id: string; metadata: Record<string, string> }
    t.equal(body.friendly_name, 'My "quoted" Server')
    t.equal(body.machine_id, '8f2c1e7a9b3d4c5e6f708192a3b4c5d6')
    t.equal(body.metadata.os_info, 'Debian GNU/Linux 12 (bookworm)')
    t.match(body.metadata.architecture, /^(amd64|arm64|386|arm)$/)
    t.type(body.metadata.hostname, 'string')
    t.type(body.metadata.ip_address, 'string')

    const host = server.hosts[0]
    const [install] = server.requestsTo('/api/v1/hosts/install')
    t.equal(install?.headers['x-api-id'], host?.apiId, 'the api_id grep found is the one the server issued')
    t.equal(install?.headers['x-api-key'], host?.apiKey)
    t.equal(install?.query.get('os'), 'linux')
    t.equal(host?.reports.length, 1, 'the new host reported')
    t.notMatch(run.stdout + run.stderr, server.tokenSecret, 'the token secret is never printed')
  })
}

t.test('a second run finds the working agent and does nothing', async (t) => {
  const { server, bin, env } = await setup(t)
  t.equal((await runShell('dash', ['-s'], { stdin: servedScript(server), env, pathPrefix: [bin] })).code, 0)
  const again = await runShell('dash', ['-s'], { stdin: servedScript(server), env, pathPrefix: [bin] })
  t.equal(again.code, 0)
  t.match(again.stdout, 'Host already enrolled and agent ping successful - nothing to do')
  t.equal(server.requestsTo('/api/v1/auto-enrollment/enroll').length, 1)
})

t.test('a refused enrollment prints the status and the server reply, and exits 1', async (t) => {
  const { server, bin, env } = await setup(t)
  const run = await runShell('dash', ['-s'], {
    stdin: servedScript(server, 'wrong-secret'),
    env: { ...env, FRIENDLY_NAME: 'web1' },
    pathPrefix: [bin]
  })
  t.equal(run.code, 1)
  t.match(run.stderr, 'Failed to enroll web1 - HTTP 401')
  t.match(run.stderr, 'Response: {"error":"Invalid token secret"}')
  t.notMatch(run.stdout, 'Auto-enrollment complete!')
})

t.test('an unreachable server is named in the error', async (t) => {
  const { server, bin, env } = await setup(t)
  const run = await runShell('dash', ['-s'], {
    stdin: servedScript(server),
    env: { ...env, PATCHMON_URL: 'http://127.0.0.1:9' },
    pathPrefix: [bin]
  })
  t.equal(run.code, 1)
  t.match(run.stderr, 'Could not reach http://127.0.0.1:9')
})
