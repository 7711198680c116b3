// Our shell agent patches a bare trixie (field lab) with its real apt-get and dpkg, driven through the
// real server routes: a dry run lists exactly what `apt-get -s upgrade` would upgrade and changes
// nothing, a real run upgrades those packages while one held with `apt-mark hold` stays, the host's
// counts on the server afterwards match dpkg, and Stop during a slow upgrade ends the run `cancelled`.
import t from 'tap'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { bootFieldLab, exposeHostPort, fieldLabUnavailable, type FieldLab } from '../helpers/field-lab.js'
import { buildDeb, buildFlatRepo, type DebSpec } from '../helpers/local-apt-repo.js'
import { bearer, buildTestApp, type TestApp } from '../helpers/test-app.js'
import { createHost } from '../../src/hosts/host-service.js'
import { AGENT_PATH } from '../scripts/helpers/fake-patchmon.js'

const unavailable = fieldLabUnavailable()
const LAB_PORT = 3000
const A = 'patchmon-lab-a'
const B = 'patchmon-lab-b'
const SEC = 'patchmon-lab-sec'
const HELD = 'patchmon-lab-held'
const SLOW = 'patchmon-lab-slow'

interface RunDetail {
  status: string
  shell_output: string
  error_message: string | null
  packages_affected: string[] | null
  reboot_required: boolean | null
}

async function must(lab: FieldLab, cmd: string, timeoutMs = 120_000): Promise<string> {
  const r = await lab.exec(cmd, { timeoutMs })
  if (r.code !== 0) throw new Error(`in the lab, \`${cmd}\` failed (${r.code}):\n${r.stdout}\n${r.stderr}`)
  return r.stdout
}

async function until<T>(probe: () => Promise<T | undefined | false>, what: string, limitMs: number): Promise<T> {
  const started = Date.now()
  let last: unknown
  while (Date.now() - started < limitMs) {
    const value = await probe()
    if (value) return value
    last = value
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`timed out after ${limitMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`)
}

/** Names `apt-get -s upgrade` would upgrade, as an administrator would ask. */
async function aptWouldUpgrade(lab: FieldLab): Promise<string[]> {
  const out = await must(lab, 'apt-get -s upgrade')
  return [...out.matchAll(/^Inst (\S+)/gm)].map((m) => m[1] as string).sort()
}

async function version(lab: FieldLab, name: string): Promise<string> {
  return (await must(lab, `dpkg-query -W -f '\${Version}' ${name}`)).trim()
}

function api(ctx: TestApp) {
  const headers = bearer(ctx.adminToken)
  return {
    trigger: async (payload: Record<string, unknown>): Promise<string> => {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/patching/trigger', headers, payload })
      if (res.statusCode !== 200) throw new Error(`trigger answered ${res.statusCode}: ${res.body}`)
      return res.json<{ patch_run_id: string }>().patch_run_id
    },
    run: async (id: string): Promise<RunDetail> =>
      (await ctx.app.inject({ method: 'GET', url: `/api/v1/patching/runs/${id}`, headers })).json<RunDetail>(),
    stop: (id: string) => ctx.app.inject({ method: 'POST', url: `/api/v1/patching/runs/${id}/stop`, headers }),
    connected: async (hostId: string): Promise<boolean> =>
      (await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${hostId}/connection`, headers })).json<{ connected: boolean }>().connected
  }
}

t.test(
  'the shell agent patches a bare trixie through the real routes: dry run = apt-get -s upgrade, real run upgrades, held stays, counts match dpkg, stop cancels',
  { skip: unavailable },
  async (t) => {
    const started = Date.now()
    const lab = await bootFieldLab(t)

    // Our own packages (a real upgrade of the rootfs's packages with file-less .debs would break it):
    // version 1.0-1 installed with dpkg, 1.0-2 in the repositories, one of them held.
    const localDebs = join(lab.root, 'root/lab-debs')
    const v1 = [A, B, SEC, HELD, SLOW].map((name) => buildDeb(localDebs, { name, version: '1.0-1', arch: 'all' }))
    await must(lab, `dpkg -i ${v1.map((f) => `/root/lab-debs/${f.split('/').pop() ?? ''}`).join(' ')}`)
    await must(lab, `apt-mark hold ${HELD}`)
    const next = (name: string, extra: Partial<DebSpec> = {}): DebSpec => ({ name, version: '1.0-2', arch: 'all', ...extra })
    const main = buildFlatRepo(join(lab.root, 'srv/repo/main'), '/srv/repo/main', 'trixie-lab', [next(A), next(B), next(HELD)])
    const security = buildFlatRepo(join(lab.root, 'srv/repo/security'), '/srv/repo/security', 'trixie-lab-security', [next(SEC)])
    // The slow one's repository is added only for the stop test, so the full upgrade leaves it alone.
    const slow = buildFlatRepo(join(lab.root, 'srv/repo/slow'), '/srv/repo/slow', 'trixie-lab', [
      next(SLOW, { postinst: 'echo "configuring slowly"; sleep 600' })
    ])
    await must(lab, 'rm -f /etc/apt/sources.list /etc/apt/sources.list.d/*')
    await must(lab, `printf '%s\\n' '${main.sourcesLine}' '${security.sourcesLine}' > /etc/apt/sources.list.d/patchmon-lab.list`)
    await must(lab, 'apt-get update -qq')
    const wouldUpgrade = await aptWouldUpgrade(lab)
    t.same(wouldUpgrade, [A, B, SEC], 'apt-get -s upgrade: the held package is kept back')

    // The server, the agent installed as the install script does, serving as a systemd unit.
    const ctx = await buildTestApp(t)
    await ctx.app.listen({ port: 0, host: '127.0.0.1' })
    await exposeHostPort(lab, (ctx.app.server.address() as AddressInfo).port, LAB_PORT)
    const { host, apiKey } = await createHost(ctx.store.db, { friendlyName: 'field-lab-patching' })
    await lab.copyIn(AGENT_PATH, '/usr/local/bin/patchmon-agent')
    await must(lab, 'chmod 755 /usr/local/bin/patchmon-agent && mkdir -p /etc/patchmon')
    await must(lab, `printf 'patchmon_server: "http://127.0.0.1:${LAB_PORT}"\\napi_version: "v1"\\n' > /etc/patchmon/config.yml`)
    await must(lab, `umask 077; printf 'api_id: "${host.api_id}"\\napi_key: "${apiKey}"\\n' > /etc/patchmon/credentials.yml`)
    await must(lab, 'systemd-run --unit=patchmon-agent --property=Restart=always /usr/local/bin/patchmon-agent serve')
    const routes = api(ctx)
    await until(() => routes.connected(host.id), 'the agent on its live channel', 60_000)

    const hostRows = () =>
      ctx.store.db
        .selectFrom('host_packages')
        .innerJoin('packages', 'packages.id', 'host_packages.package_id')
        .select(['packages.name', 'host_packages.current_version', 'host_packages.needs_update'])
        .where('host_packages.host_id', '=', host.id)
        .execute()
    const outdated = (await hostRows())
      .filter((p) => Boolean(p.needs_update))
      .map((p) => p.name)
      .sort()
    t.same(outdated, wouldUpgrade, "the server's outdated list = apt-get -s upgrade")

    // Dry run, as the dashboard does it: the host's outdated packages by name.
    const dryClicked = Date.now()
    const dryId = await routes.trigger({ host_id: host.id, patch_type: 'patch_package', package_names: outdated, dry_run: true })
    const dry = await until(
      async () => {
        const run = await routes.run(dryId)
        return ['validated', 'failed'].includes(run.status) && run
      },
      'the dry run',
      60_000
    )
    t.comment(`dry run: trigger -> validated ${Date.now() - dryClicked} ms`)
    t.equal(dry.status, 'validated', dry.error_message ?? 'the dry run is validated')
    t.same(dry.packages_affected, wouldUpgrade, 'the dry run lists exactly what apt-get -s upgrade would upgrade')
    t.match(dry.shell_output, `$ apt-get -s --only-upgrade install ${outdated.join(' ')}\n`)
    t.match(dry.shell_output, /--- Dry run completed at .* ---\n$/)
    t.equal(await version(lab, A), '1.0-1', 'a dry run changes nothing')

    // The real run: everything apt upgrades, the held package stays.
    const before = (await ctx.store.db.selectFrom('hosts').select('last_update').where('id', '=', host.id).executeTakeFirstOrThrow())
      .last_update
    const realClicked = Date.now()
    const realId = await routes.trigger({ host_id: host.id, patch_type: 'patch_all' })
    const real = await until(
      async () => {
        const run = await routes.run(realId)
        return ['completed', 'failed', 'cancelled'].includes(run.status) && run
      },
      'the real run',
      120_000
    )
    t.comment(`real run: trigger -> completed ${Date.now() - realClicked} ms`)
    t.equal(
      real.status,
      'completed',
      real.status === 'completed' ? 'the real run completed' : `${real.error_message ?? ''}\n${real.shell_output}`
    )
    t.match(
      real.shell_output,
      '$ apt-get -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold --with-new-pkgs upgrade -y\n'
    )
    t.same(real.packages_affected, wouldUpgrade, 'packages_affected = what was upgraded')
    t.equal(real.reboot_required, false)
    for (const name of [A, B, SEC]) t.equal(await version(lab, name), '1.0-2', `${name} upgraded (dpkg-query)`)
    t.equal(await version(lab, HELD), '1.0-1', 'the held package stays')
    t.same(await aptWouldUpgrade(lab), [], 'apt has nothing left to upgrade')

    // The agent's fresh report: the server's counts now match dpkg.
    await until(
      async () => {
        const row = await ctx.store.db.selectFrom('hosts').select('last_update').where('id', '=', host.id).executeTakeFirstOrThrow()
        return row.last_update !== before && (await hostRows()).every((p) => p.name !== A || p.current_version === '1.0-2')
      },
      'the report after the run',
      60_000
    )
    const rows = await hostRows()
    const installed = Number((await must(lab, "dpkg-query -W -f '${db:Status-Status}\\n' | grep -c '^installed$'")).trim())
    t.equal(rows.length, installed, `server packages (${rows.length}) = dpkg installed (${installed})`)
    t.same(
      rows.filter((p) => Boolean(p.needs_update)),
      [],
      'no outdated packages on the server, as apt says'
    )
    t.equal(rows.find((p) => p.name === HELD)?.current_version, '1.0-1', 'the held version on the server')

    // Stop during a slow upgrade (its postinst sleeps): SIGINT reaches dpkg's script, the run is cancelled.
    await must(lab, `echo '${slow.sourcesLine}' >> /etc/apt/sources.list.d/patchmon-lab.list && apt-get update -qq`)
    const slowId = await routes.trigger({ host_id: host.id, patch_type: 'patch_package', package_names: [SLOW] })
    await until(async () => (await routes.run(slowId)).shell_output.includes('configuring slowly'), 'the slow postinst', 60_000)
    const stopRes = await routes.stop(slowId)
    t.equal(stopRes.statusCode, 200, 'Stop answers 200')
    const clicked = Date.now()
    const stopped = await until(
      async () => {
        const run = await routes.run(slowId)
        return run.shell_output.includes('--- Patch run stopped by user at') && run
      },
      "the agent's cancelled report",
      60_000
    )
    t.comment(`Stop -> the agent's cancelled report stored: ${Date.now() - clicked} ms`)
    t.equal(stopped.status, 'cancelled')
    const leftovers = await lab.exec('pgrep -x apt-get; pgrep -f "sleep 600"')
    t.equal(leftovers.stdout.trim(), '', 'no apt-get or maintainer script left running')
    t.comment(`lab run: ${Date.now() - started} ms`)
  }
)
