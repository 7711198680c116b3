// Builds the executable and both packages once (gzip -1: the contents are what is checked, and
// xz would add minutes), inspects them with the tools users and distributions use, and on a root
// CI machine installs, upgrades, removes and purges the .deb for real.
import t from 'tap'
import { execFileSync, spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { buildAll } from '../../packaging/build.js'
import { buildPackages, type PackageResult } from '../../packaging/package.js'
import { settingsReference } from '../../src/config.js'
import { cleanEnv, login, startServer } from './run-binary.js'

mkdirSync(join(__dirname, '../../build'), { recursive: true })
const work = mkdtempSync(join(__dirname, '../../build/package-test-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))
const dist = join(work, 'dist')
let packages: PackageResult

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

t.before(async () => {
  await buildAll(dist)
  packages = buildPackages(dist, true)
})

t.test('the .deb holds the executable unchanged, the unit, the env file as a conffile and its maintainer scripts', async (t) => {
  t.equal(packages.deb, join(dist, 'patchmon_0.1.0_amd64.deb'))
  const listing = run('dpkg-deb', ['-c', packages.deb])
  t.match(listing, /-rwxr-xr-x root\/root .* \.\/usr\/bin\/patchmon\n/)
  t.match(listing, /-rw-r--r-- root\/root .* \.\/usr\/lib\/systemd\/system\/patchmon\.service\n/)
  t.match(listing, /-rw------- root\/root .* \.\/etc\/patchmon\/patchmon\.env\n/)
  t.match(listing, /-rw-r--r-- root\/root .* \.\/usr\/lib\/sysusers\.d\/patchmon\.conf\n/)
  for (const unit of ['patchmon-proxmox-collect.service', 'patchmon-proxmox-collect.timer'])
    t.match(listing, new RegExp(`-rw-r--r-- root/root .* \\./usr/lib/systemd/system/${unit.replace('.', '\\.')}\n`), `ships ${unit}`)
  const info = run('dpkg-deb', ['-I', packages.deb])
  t.match(info, /Package: patchmon\n/)
  t.match(info, /Architecture: amd64\n/)
  // Read from the executable and its addons by dpkg-shlibdeps: a bare Debian lacks libatomic1.
  t.match(info, /\n Depends: adduser, libatomic1 \(>= [\d.]+\), libc6 \(>= 2\.\d+\), libgcc-s1 \(>= [\d.]+\), libstdc\+\+6 \(>= [\d.]+\)\n/)
  t.match(info, /conffiles/)
  t.equal(run('dpkg-deb', ['-f', packages.deb, 'Version']).trim(), '0.1.0')

  const unpacked = join(work, 'deb-tree')
  run('dpkg-deb', ['-R', packages.deb, unpacked])
  t.equal(
    sha256(join(unpacked, 'usr/bin/patchmon')),
    sha256(join(dist, 'patchmon')),
    'the executable is byte-identical (never stripped after the blob is in)'
  )
  t.equal(readFileSync(join(unpacked, 'DEBIAN/conffiles'), 'utf8'), '/etc/patchmon/patchmon.env\n')
  for (const script of ['postinst', 'prerm', 'postrm']) {
    const check = spawnSync('shellcheck', ['-s', 'sh', join(unpacked, 'DEBIAN', script)], { encoding: 'utf8' })
    t.equal(check.status, 0, `shellcheck ${script}: ${check.stdout}`)
  }
  const unit = readFileSync(join(unpacked, 'usr/lib/systemd/system/patchmon.service'), 'utf8')
  for (const line of [
    'User=patchmon',
    'StateDirectory=patchmon patchmon/backups',
    'StartLimitIntervalSec=60',
    'StartLimitBurst=5',
    'EnvironmentFile=-/etc/patchmon/local.env',
    'ConfigurationDirectory=patchmon',
    'EnvironmentFile=-/etc/patchmon/patchmon.env',
    'ExecStart=/usr/bin/patchmon serve',
    'NoNewPrivileges=yes',
    'ProtectSystem=strict'
  ]) {
    t.match(unit, new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')}$`, 'm'), line)
  }
  t.notMatch(unit, /^MemoryDenyWriteExecute/m, 'no MDWE: V8 needs writable+executable pages')
})

t.test('the env file lists every setting, commented out', async (t) => {
  const env = execFileSync('sh', ['-c', `dpkg-deb --fsys-tarfile "${packages.deb}" | tar -xO ./etc/patchmon/patchmon.env`], {
    encoding: 'utf8'
  })
  for (const setting of settingsReference()) t.match(env, new RegExp(`^#${setting.env}=`, 'm'), setting.env)
  t.notMatch(env, /^[A-Z_]+=/m, 'nothing is set by default')
  t.match(env, /^#PORT=3000$/m)
})

t.test('the .rpm holds the same files, a noreplace config file and guarded scriptlets', async (t) => {
  t.equal(packages.rpm, join(dist, 'patchmon-0.1.0.x86_64.rpm'))
  const files = run('rpm', ['-qpl', packages.rpm]).trim().split('\n')
  for (const f of [
    '/usr/bin/patchmon',
    '/usr/lib/systemd/system/patchmon.service',
    '/usr/lib/sysusers.d/patchmon.conf',
    '/etc/patchmon/patchmon.env',
    '/var/lib/patchmon',
    '/var/lib/patchmon/backups'
  ])
    t.ok(files.includes(f), f)
  const requires = run('rpm', ['-qp', '--requires', packages.rpm]).trim().split('\n')
  for (const soname of ['libatomic.so.1()(64bit)', 'libstdc++.so.6()(64bit)', 'libgcc_s.so.1()(64bit)', 'libc.so.6()(64bit)'])
    t.ok(requires.includes(soname), `requires ${soname}`)
  t.ok(
    requires.some((r) => /^libc\.so\.6\(GLIBC_2\.\d+\)\(64bit\)$/.test(r)),
    'and the glibc symbol versions used'
  )
  t.notOk(
    requires.some((r) => /shadow-utils/.test(r)),
    'no shadow-utils: openSUSE calls it shadow'
  )
  t.ok(requires.includes('(/usr/bin/systemd-sysusers or /usr/sbin/useradd)'), 'the user is created by whichever tool the distribution has')
  t.same(run('rpm', ['-qp', '--configfiles', packages.rpm]).trim().split('\n'), ['/etc/patchmon/patchmon.env'])
  const perms = run('rpm', ['-qp', '--queryformat', '[%{FILEMODES:perms} %{FILEUSERNAME} %{FILENAMES}\n]', packages.rpm])
  t.match(perms, /drwxr-x--- patchmon \/var\/lib\/patchmon/)
  t.match(perms, /-rw------- root \/etc\/patchmon\/patchmon\.env/)
  const scripts = run('rpm', ['-qp', '--scripts', packages.rpm])
  t.match(scripts, /preinstall scriptlet[^]*systemd-sysusers --replace=\/usr\/lib\/sysusers\.d\/patchmon\.conf -[^]*useradd -r -g patchmon/)
  t.match(scripts, /postinstall scriptlet[^]*systemctl enable --now patchmon/)
  t.match(scripts, /preuninstall scriptlet[^]*disable --now patchmon/)
  for (const name of ['postinstall', 'preuninstall', 'postuninstall']) {
    t.match(scripts, new RegExp(`${name} scriptlet[^]*?\\[ -d /run/systemd/system \\]`), `${name} only calls systemctl where systemd runs`)
  }
  t.match(scripts, /posttrans scriptlet[^]*pre-upgrade snapshot/, 'the upgrade says where the snapshot is')
  t.match(perms, /-rw-r--r-- root \/usr\/lib\/systemd\/system\/patchmon-proxmox-collect\.timer/)
  for (const name of ['pre', 'post', 'preun', 'postun', 'posttrans']) {
    const check = spawnSync('shellcheck', ['-s', 'sh', join(__dirname, '../../packaging/rpm', `${name}.sh`)], { encoding: 'utf8' })
    t.equal(check.status, 0, `shellcheck %${name}: ${check.stdout}`)
  }
  // rpm records each file's SHA-256: the payload's executable is the one that was built.
  const dump = run('rpm', ['-qp', '--dump', packages.rpm])
    .split('\n')
    .find((l) => l.startsWith('/usr/bin/patchmon '))
  t.equal(dump?.split(' ')[3], sha256(join(dist, 'patchmon')), 'rpm did not strip or rewrite the executable')
})

function installSkipReason(): string | false {
  if (process.getuid?.() !== 0) return 'dpkg -i needs root (CI runs as root on a fresh Debian)'
  if (spawnSync('dpkg', ['-s', 'patchmon']).status === 0) return 'a patchmon package is already installed on this machine; not touching it'
  return false
}

t.test(
  'the .deb installs, runs, upgrades keeping data and settings, removes keeping data, and purges',
  { skip: installSkipReason() },
  async (t) => {
    const systemd = existsSync('/run/systemd/system')
    t.teardown(() => spawnSync('dpkg', ['-P', 'patchmon']))

    const install = spawnSync('dpkg', ['-i', packages.deb], { encoding: 'utf8' })
    t.equal(install.status, 0, install.stderr)
    t.match(install.stdout, /journalctl -u patchmon/, 'tells where the first admin password goes')
    t.match(install.stdout, /patchmon admin reset-password admin/)
    const uid = Number(run('id', ['-u', 'patchmon']))
    const gid = Number(run('id', ['-g', 'patchmon']))
    t.ok(uid > 0, 'a system user patchmon exists')
    const state = statSync('/var/lib/patchmon')
    t.equal(state.mode & 0o777, 0o750)
    t.equal(state.uid, uid)
    t.equal(run('/usr/bin/patchmon', ['--version']).trim(), 'patchmon 0.1.0')

    // The installed executable, as the service user, on a temp data folder.
    const dataDir = mkdtempSync(join(work, 'installed-data-'))
    chownSync(dataDir, uid, gid)
    const server = await startServer('/usr/bin/patchmon', ['serve', '--data-dir', dataDir], '/', {
      ...cleanEnv({ PATCHMON_ADMIN_PASSWORD: 'installed-admin-pw' })
    })
    t.teardown(() => server.child.kill('SIGKILL'))
    t.ok(await login(server.port, 'admin', 'installed-admin-pw'))
    server.child.kill('SIGTERM')
    t.equal(await server.exited, 0)

    if (!systemd) {
      // Data in the service's folder, then a reinstall (dpkg runs postinst as an upgrade).
      const asService = (args: string[]) =>
        spawnSync('/usr/bin/patchmon', args, {
          uid,
          gid,
          cwd: '/',
          encoding: 'utf8',
          env: cleanEnv({ PATCHMON_DATA_DIR: '/var/lib/patchmon', PATCHMON_ADMIN_PASSWORD: 'operator-password' })
        })
      t.equal(asService(['migrate']).status, 0)
      t.equal(asService(['admin', 'create', 'operator', 'user']).status, 0)
    }
    appendFileSync('/etc/patchmon/patchmon.env', 'LOG_LEVEL=warn\n')
    const upgrade = spawnSync('dpkg', ['-i', packages.deb], { encoding: 'utf8' })
    t.equal(upgrade.status, 0, upgrade.stderr)
    if (!systemd) t.match(upgrade.stdout, /is at the latest schema/, 'the upgrade ran the migrations')
    t.match(readFileSync('/etc/patchmon/patchmon.env', 'utf8'), /^LOG_LEVEL=warn$/m, 'the edited env file was kept')
    t.ok(existsSync('/var/lib/patchmon/patchmon.db'), 'the data was kept')

    const remove = spawnSync('dpkg', ['-r', 'patchmon'], { encoding: 'utf8' })
    t.equal(remove.status, 0, remove.stderr)
    t.notOk(existsSync('/usr/bin/patchmon'), 'remove deletes the program')
    t.ok(existsSync('/var/lib/patchmon/patchmon.db'), 'remove keeps the data')
    t.ok(existsSync('/etc/patchmon/patchmon.env'), 'remove keeps the settings')

    const purge = spawnSync('dpkg', ['-P', 'patchmon'], { encoding: 'utf8' })
    t.equal(purge.status, 0, purge.stderr)
    t.notOk(existsSync('/var/lib/patchmon'), 'purge deletes the data')
    t.notOk(existsSync('/etc/patchmon'), 'purge deletes the settings')
    t.not(spawnSync('id', ['patchmon']).status, 0, 'purge deletes the service user')
  }
)
