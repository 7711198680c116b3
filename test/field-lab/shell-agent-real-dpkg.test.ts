// Our shell agent inside a bare trixie (field lab) against its real dpkg and apt databases, with
// updates from local flat repositories: the server stores exactly what dpkg and apt say.
import t from 'tap'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { bootFieldLab, exposeHostPort, fieldLabUnavailable, type FieldLab } from '../helpers/field-lab.js'
import { buildDeb, buildFlatRepo, type DebSpec } from '../helpers/local-apt-repo.js'
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

/** `name version` of a package the rootfs really has, read from its dpkg database. */
async function installedVersion(lab: FieldLab, name: string): Promise<string> {
  return (await must(lab, `dpkg-query -W -f '\${Version}' ${name}`)).trim()
}

t.test(
  'the shell agent in a bare trixie reports what dpkg and apt say: counts, security flags, no :arch duplicates, :i386 kept',
  { skip: unavailable },
  async (t) => {
    const started = Date.now()
    const lab = await bootFieldLab(t)

    // A foreign architecture and a Multi-Arch: same package installed for both, as on a host with i386 libraries.
    await must(lab, 'dpkg --add-architecture i386')
    const localDebs = join(lab.root, 'root/lab-debs')
    for (const arch of ['amd64', 'i386'] as const)
      buildDeb(localDebs, { name: 'patchmon-lab-multi', version: '1.0-1', arch, multiArch: 'same' })
    await must(lab, 'dpkg -i /root/lab-debs/patchmon-lab-multi_1.0-1_amd64.deb /root/lab-debs/patchmon-lab-multi_1.0-1_i386.deb')

    // Newer versions of packages the rootfs really has: libacl1 (Multi-Arch: same, dpkg calls it
    // libacl1:amd64) from a -security suite, debconf (arch all) and libgmp10 from a normal one; the
    // i386 package's update; and a package nobody has installed.
    const bump = (v: string) => `${v}.lab1`
    const main: DebSpec[] = [
      { name: 'debconf', version: bump(await installedVersion(lab, 'debconf')), arch: 'all', multiArch: 'foreign' },
      { name: 'libgmp10', version: bump(await installedVersion(lab, 'libgmp10')), arch: 'amd64', multiArch: 'same' },
      { name: 'patchmon-lab-multi', version: '1.0-2', arch: 'amd64', multiArch: 'same' },
      { name: 'patchmon-lab-multi', version: '1.0-2', arch: 'i386', multiArch: 'same' },
      { name: 'patchmon-lab-new', version: '1.0-1', arch: 'all' }
    ]
    const security: DebSpec[] = [
      { name: 'libacl1', version: bump(await installedVersion(lab, 'libacl1')), arch: 'amd64', multiArch: 'same' }
    ]
    const mainRepo = buildFlatRepo(join(lab.root, 'srv/repo/main'), '/srv/repo/main', 'trixie-lab', main)
    const securityRepo = buildFlatRepo(join(lab.root, 'srv/repo/security'), '/srv/repo/security', 'trixie-lab-security', security)
    await must(lab, `printf '%s\\n' '${mainRepo.sourcesLine}' '${securityRepo.sourcesLine}' > /etc/apt/sources.list.d/patchmon-lab.list`)
    await must(lab, 'apt-get update -o Dir::Etc::SourceList=/etc/apt/sources.list.d/patchmon-lab.list -o Dir::Etc::SourceParts=- -qq')

    // What dpkg and apt say, asked the way an administrator would.
    const dpkgCount = Number((await must(lab, 'dpkg-query -W | wc -l')).trim())
    const installedCount = Number((await must(lab, "dpkg-query -W -f '${db:Status-Status}\\n' | grep -c '^installed$'")).trim())
    t.equal(installedCount, dpkgCount, 'the bare rootfs has no removed-but-configured packages, so both counts agree')
    const upgradable = (await must(lab, 'apt list --upgradable 2>/dev/null'))
      .split('\n')
      .filter((l) => l.includes('[upgradable from:'))
      .map((l) => {
        const [nameSuite = '', version = '', arch = ''] = l.split(' ')
        const [name = '', suites = ''] = nameSuite.split('/')
        return { name: arch === 'i386' ? `${name}:i386` : name, version, security: suites.split(',').some((s) => s.endsWith('-security')) }
      })
    t.same(
      upgradable.map((u) => u.name).sort(),
      ['debconf', 'libacl1', 'libgmp10', 'patchmon-lab-multi', 'patchmon-lab-multi:i386'],
      'apt sees the updates'
    )
    t.match(
      await must(lab, "dpkg-query -W -f '${binary:Package}\\n' libacl1"),
      /^libacl1:amd64$/m,
      'dpkg qualifies the Multi-Arch: same name'
    )

    // The server on the host, reachable from the lab on its loopback.
    const ctx = await buildTestApp(t)
    await ctx.app.listen({ port: 0, host: '127.0.0.1' })
    await exposeHostPort(lab, (ctx.app.server.address() as AddressInfo).port, LAB_PORT)
    const { host, apiKey } = await createHost(ctx.store.db, { friendlyName: 'field-lab' })
    await lab.copyIn(AGENT_PATH, '/usr/local/bin/patchmon-agent')
    await must(lab, 'chmod 755 /usr/local/bin/patchmon-agent && mkdir -p /etc/patchmon')
    await must(lab, `printf 'patchmon_server: "http://127.0.0.1:${LAB_PORT}"\\napi_version: "v1"\\n' > /etc/patchmon/config.yml`)
    await must(lab, `umask 077; printf 'api_id: "${host.api_id}"\\napi_key: "${apiKey}"\\n' > /etc/patchmon/credentials.yml`)

    const run = await lab.exec('/usr/local/bin/patchmon-agent report', { timeoutMs: 120_000 })
    t.equal(run.code, 0, run.stderr)
    t.match(
      run.stdout,
      `Report sent: ${dpkgCount} packages processed (${upgradable.length} updates, ${upgradable.filter((u) => u.security).length} security)`
    )

    const stored = await ctx.store.db
      .selectFrom('host_packages')
      .innerJoin('packages', 'packages.id', 'host_packages.package_id')
      .select([
        'packages.name',
        'host_packages.current_version',
        'host_packages.available_version',
        'host_packages.needs_update',
        'host_packages.is_security_update'
      ])
      .where('host_packages.host_id', '=', host.id)
      .execute()
    t.equal(stored.length, dpkgCount, `stored ${stored.length} packages = dpkg-query -W | wc -l (${dpkgCount})`)
    const names = stored.map((p) => p.name)
    t.equal(new Set(names).size, names.length, 'no package twice')
    t.same(
      names.filter((n) => n.endsWith(':amd64')),
      [],
      'no :amd64 duplicates'
    )
    t.ok(
      names.includes('patchmon-lab-multi') && names.includes('patchmon-lab-multi:i386'),
      'the :i386 package is its own entry, named as dpkg names it'
    )
    t.notOk(names.includes('patchmon-lab-new'), 'a package only in the repository is not installed')
    const updates = stored.filter((p) => Boolean(p.needs_update))
    t.same(updates.map((p) => p.name).sort(), upgradable.map((u) => u.name).sort(), 'stored updates = apt list --upgradable')
    for (const u of upgradable) {
      const row = stored.find((p) => p.name === u.name)
      t.equal(row?.available_version, u.version, `${u.name}: available version`)
      t.equal(Boolean(row?.is_security_update), u.security, `${u.name}: security flag ${u.security}`)
    }
    t.same(
      stored.filter((p) => Boolean(p.is_security_update)).map((p) => p.name),
      ['libacl1'],
      'exactly the -security update is flagged'
    )
    t.equal(stored.find((p) => p.name === 'libacl1')?.current_version, await installedVersion(lab, 'libacl1'))
    t.comment(`lab run: ${Date.now() - started} ms`)
  }
)
