// Our shell agent inside a bare trixie (field lab) reports each package's source package as the real
// dpkg knows it: libc6 from glibc, a package installed from a local apt repository whose control file
// names a differently named source (with a version, which dpkg strips), and for every other package
// exactly what `dpkg-query -f '${source:Package}'` says. The server stores it in host_packages.source_name.
import t from 'tap'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { bootFieldLab, exposeHostPort, fieldLabUnavailable, type FieldLab } from '../helpers/field-lab.js'
import { buildFlatRepo } from '../helpers/local-apt-repo.js'
import { buildTestApp } from '../helpers/test-app.js'
import { createHost } from '../../src/hosts/host-service.js'
import { AGENT_PATH } from '../scripts/helpers/fake-patchmon.js'

const unavailable = fieldLabUnavailable()
const LAB_PORT = 3000

async function must(lab: FieldLab, cmd: string, timeoutMs = 120_000): Promise<string> {
  const r = await lab.exec(cmd, { timeoutMs })
  if (r.code !== 0) throw new Error(`in the lab, \`${cmd}\` failed (${r.code}):\n${r.stdout}\n${r.stderr}`)
  return r.stdout
}

t.test('the shell agent reports the source package dpkg knows for every installed package', { skip: unavailable }, async (t) => {
  const lab = await bootFieldLab(t)

  const repo = buildFlatRepo(join(lab.root, 'srv/repo/src'), '/srv/repo/src', 'trixie-lab', [
    { name: 'patchmon-lab-libwidget1', version: '2.0-1', arch: 'amd64', source: 'patchmon-lab-widget (2.0-1)' },
    { name: 'patchmon-lab-plain', version: '1.0-1', arch: 'all' }
  ])
  await must(lab, `printf '%s\\n' '${repo.sourcesLine}' > /etc/apt/sources.list.d/patchmon-lab.list`)
  await must(lab, 'apt-get update -o Dir::Etc::SourceList=/etc/apt/sources.list.d/patchmon-lab.list -o Dir::Etc::SourceParts=- -qq')
  await must(lab, 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq patchmon-lab-libwidget1 patchmon-lab-plain')

  // What dpkg says, asked the way an administrator would: binary name (native arch bare) -> source.
  const native = (await must(lab, 'dpkg --print-architecture')).trim()
  const dpkgSources = new Map(
    (await must(lab, "dpkg-query -W -f '${binary:Package}\\t${source:Package}\\n'"))
      .trim()
      .split('\n')
      .map((line) => {
        const [name = '', source = ''] = line.split('\t')
        return [name.endsWith(`:${native}`) ? name.slice(0, -native.length - 1) : name, source] as const
      })
  )
  t.equal(dpkgSources.get('libc6'), 'glibc', 'dpkg: libc6 is built from glibc')
  t.equal(dpkgSources.get('patchmon-lab-libwidget1'), 'patchmon-lab-widget', 'dpkg strips the version from Source')

  const ctx = await buildTestApp(t)
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  await exposeHostPort(lab, (ctx.app.server.address() as AddressInfo).port, LAB_PORT)
  const { host, apiKey } = await createHost(ctx.store.db, { friendlyName: 'field-lab-sources' })
  await lab.copyIn(AGENT_PATH, '/usr/local/bin/patchmon-agent')
  await must(lab, 'chmod 755 /usr/local/bin/patchmon-agent && mkdir -p /etc/patchmon')
  await must(lab, `printf 'patchmon_server: "http://127.0.0.1:${LAB_PORT}"\\napi_version: "v1"\\n' > /etc/patchmon/config.yml`)
  await must(lab, `umask 077; printf 'api_id: "${host.api_id}"\\napi_key: "${apiKey}"\\n' > /etc/patchmon/credentials.yml`)

  const run = await lab.exec('PATCHMON_SKIP_REFRESH=true /usr/local/bin/patchmon-agent report', { timeoutMs: 120_000 })
  t.equal(run.code, 0, run.stderr)

  const stored = await ctx.store.db
    .selectFrom('host_packages')
    .innerJoin('packages', 'packages.id', 'host_packages.package_id')
    .select(['packages.name', 'host_packages.source_name'])
    .where('host_packages.host_id', '=', host.id)
    .execute()
  const storedSources = new Map(stored.map((p) => [p.name, p.source_name]))
  t.equal(storedSources.get('libc6'), 'glibc', 'libc6 -> glibc')
  t.equal(storedSources.get('patchmon-lab-libwidget1'), 'patchmon-lab-widget', 'local repo package -> its differently named source')
  t.equal(storedSources.get('patchmon-lab-plain'), 'patchmon-lab-plain', 'no Source field: dpkg names the package itself')
  t.equal(stored.length, dpkgSources.size, 'every installed package stored')
  const differing = stored.filter((p) => p.source_name !== dpkgSources.get(p.name)).map((p) => `${p.name}: ${p.source_name}`)
  t.same(differing, [], 'every stored source name is the one dpkg-query reports')
})
