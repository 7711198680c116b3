// The .deb's whole life on a bare Debian trixie with systemd as PID 1, as a new administrator lives
// it: apt install, the journal's first password, restarts and crashes, an upgrade, remove and
// reinstall, a broken setting, the README's backup and restore commands as written, purge, and a
// pre-seeded password with a non-interactive install.
import t from 'tap'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { buildAll } from '../../packaging/build.js'
import { buildPackages } from '../../packaging/package.js'
import { bootFieldLab, fieldLabUnavailable, type FieldLab } from '../helpers/field-lab.js'
import { addLocalAptRepo, ensureLabDebs } from '../helpers/field-lab-apt.js'

// Build (~1 min), the lab's packages (first run only), then the journey itself (~3 min).
t.setTimeout(20 * 60_000)
const unavailable = fieldLabUnavailable()
const README = readFileSync(join(__dirname, '../../README.md'), 'utf8')
const UPGRADE_VERSION = '0.1.1'

/** The ```sh blocks of a README section, verbatim. */
function shellBlocks(heading: string): string[] {
  const start = README.indexOf(`\n${heading}\n`)
  if (start < 0) throw new Error(`README has no section ${heading}`)
  const level = /^#+/.exec(heading)?.[0] ?? '##'
  const rest = README.slice(start + heading.length + 2)
  const next = rest.search(new RegExp(`\\n#{1,${level.length}} `))
  const section = next < 0 ? rest : rest.slice(0, next)
  return [...section.matchAll(/```sh\n([^]*?)```/g)].map((m) => m[1] ?? '')
}

/** The README's line that finds the generated password in the journal. */
function journalPasswordCommand(): string {
  const line = shellBlocks('## Installation')
    .join('')
    .split('\n')
    .find((l) => l.includes('First start'))
  if (!line) throw new Error('README Installation shows no journal command for the first password')
  return line.replace(/\s+#.*$/, '')
}

async function must(lab: FieldLab, cmd: string, timeoutMs = 120_000): Promise<string> {
  const r = await lab.exec(cmd, { timeoutMs })
  if (r.code !== 0) throw new Error(`in the lab, \`${cmd}\` exited ${r.code}:\n${r.stdout}\n${r.stderr}`)
  return r.stdout
}

async function waitFor(lab: FieldLab, what: string, cmd: string, ok: (out: string) => boolean, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs
  let last = ''
  while (Date.now() < deadline) {
    last = (await lab.exec(cmd, { timeoutMs: 10_000 })).stdout.trim()
    if (ok(last)) return last
    await new Promise((r) => setTimeout(r, 250))
  }
  const journal = (await lab.exec('journalctl -u patchmon -n 30 --no-pager -o cat')).stdout
  throw new Error(`waited ${timeoutMs} ms for ${what}; last: ${last}\n--- journal ---\n${journal}`)
}

const health = (lab: FieldLab) =>
  waitFor(lab, '/health 200', "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:3000/health", (s) => s === '200', 30_000)
const unitShow = async (lab: FieldLab, prop: string) => (await must(lab, `systemctl show -p ${prop} --value patchmon`)).trim()

async function login(lab: FieldLab, username: string, password: string): Promise<{ status: string; token?: string }> {
  const body = JSON.stringify({ username, password })
  const r = await lab.exec(
    `curl -s -w '\\n%{http_code}' -H 'content-type: application/json' --data-binary @- http://127.0.0.1:3000/api/v1/auth/login`,
    { input: body }
  )
  const [json = '', status = ''] = r.stdout.split('\n')
  return { status, token: status === '200' ? (JSON.parse(json) as { token?: string }).token : undefined }
}

async function createUser(lab: FieldLab, token: string, username: string): Promise<void> {
  const body = JSON.stringify({ username, email: `${username}@example.test`, password: `${username}-Passw0rd-long`, role: 'user' })
  const status = (
    await lab.exec(
      `curl -s -o /dev/null -w '%{http_code}' -H "authorization: Bearer ${token}" -H 'content-type: application/json' --data-binary @- http://127.0.0.1:3000/api/v1/users`,
      { input: body }
    )
  ).stdout
  if (status !== '201') throw new Error(`creating user ${username} answered ${status}`)
}

const canLogIn = async (lab: FieldLab, username: string) => (await login(lab, username, `${username}-Passw0rd-long`)).status === '200'

t.test(
  'the .deb on a bare trixie: install, run, crash, upgrade, reinstall, break, back up, restore, purge',
  { skip: unavailable },
  async (t) => {
    const fileStarted = Date.now()
    mkdirSync(join(__dirname, '../../build'), { recursive: true })
    const dist = mkdtempSync(join(__dirname, '../../build/field-lab-package-'))
    t.teardown(() => rmSync(dist, { recursive: true, force: true }))
    await buildAll(dist)
    const first = buildPackages(dist, true)
    const upgrade = buildPackages(dist, true, { version: UPGRADE_VERSION })
    const labDebs = await ensureLabDebs(['libatomic1', 'sudo'])
    t.comment(`build and lab packages: ${((Date.now() - fileStarted) / 1000).toFixed(1)} s`)

    const lab = await bootFieldLab(t)
    await addLocalAptRepo(lab, labDebs)
    // The administrator's machine has sudo (the README's commands use it); it does not pull libatomic1.
    await must(lab, 'apt-get install -y -qq sudo', 120_000)
    await lab.copyIn(first.deb, '/root/patchmon_0.1.0_amd64.deb')
    await lab.copyIn(upgrade.deb, `/root/patchmon_${UPGRADE_VERSION}_amd64.deb`)
    t.equal((await lab.exec('dpkg-query -W libatomic1')).code, 1, 'the bare rootfs has no libatomic1 before the install')

    let adminToken = ''
    await t.test('apt install on the bare machine pulls the libraries, starts the service and prints where the password is', async (t) => {
      const started = Date.now()
      const install = await lab.exec('cd /root && apt install -y ./patchmon_0.1.0_amd64.deb', {
        env: { DEBIAN_FRONTEND: 'noninteractive' },
        timeoutMs: 180_000
      })
      t.equal(install.code, 0, install.stderr)
      await health(lab)
      t.comment(`install -> first /health 200: ${((Date.now() - started) / 1000).toFixed(1)} s`)
      t.match(install.stdout, /sudo journalctl -u patchmon -o cat \| grep -A2 'First start' \| tail -n 3/)
      t.equal((await must(lab, "dpkg-query -W -f '${Status}' libatomic1")).trim(), 'install ok installed', 'Depends pulled libatomic1 in')
      t.equal((await lab.exec('systemctl is-active patchmon')).stdout.trim(), 'active')
      t.equal(await unitShow(lab, 'NRestarts'), '0', 'it started once and stayed up')
      t.equal((await must(lab, 'stat -c %U:%a /var/lib/patchmon/backups')).trim(), 'patchmon:750', 'a backups folder the service user owns')

      const shown = await must(lab, journalPasswordCommand())
      const password = /password: (\S+)/.exec(shown)?.[1] ?? ''
      t.ok(password.length >= 16, `the README's journal command shows the generated password:\n${shown}`)
      const admin = await login(lab, 'admin', password)
      t.equal(admin.status, '200', 'the journal password signs in')
      adminToken = admin.token ?? ''
      await createUser(lab, adminToken, 'alice')
      t.ok(await canLogIn(lab, 'alice'))
    })

    await t.test('a restart keeps the data; a SIGKILL is restarted by systemd with the data intact', async (t) => {
      await must(lab, 'systemctl restart patchmon')
      await health(lab)
      t.ok(await canLogIn(lab, 'alice'), 'alice survives a restart')

      const pid = await unitShow(lab, 'MainPID')
      await must(lab, 'systemctl kill -s KILL patchmon')
      await waitFor(lab, 'a new main process', 'systemctl show -p MainPID --value patchmon', (p) => p !== '0' && p !== pid, 30_000)
      await health(lab)
      t.equal(await unitShow(lab, 'NRestarts'), '1', 'systemd restarted it once')
      t.ok(await canLogIn(lab, 'alice'), 'alice survives a crash')
    })

    await t.test("the README's backup and restore commands, verbatim, back up and bring the data back", async (t) => {
      const [backup, restore] = shellBlocks('### Backup and restore')
      t.ok(backup && restore, 'the section has a backup block and a restore block')
      // The same shell runs both blocks, as an administrator would paste them one after the other;
      // alice2 is created between them, so the restore must make her disappear again.
      const made = await lab.exec(`cd /root\nset -e\n${backup}\necho "$backup" > /root/backup-path\n`, { timeoutMs: 60_000 })
      t.equal(made.code, 0, `backup block:\n${made.stdout}\n${made.stderr}`)
      t.match(made.stdout, /verified: integrity ok/)
      const file = (await must(lab, 'cat /root/backup-path')).trim()
      t.match(file, /^\/var\/lib\/patchmon\/backups\/patchmon-\d{4}-\d\d-\d\d\.db$/)
      t.equal((await must(lab, `stat -c %U:%a ${file}`)).trim(), 'patchmon:600')

      await createUser(lab, adminToken, 'alice2')
      const restored = await lab.exec(`cd /root\nset -e\nbackup=$(cat /root/backup-path)\n${restore}`, { timeoutMs: 60_000 })
      t.equal(restored.code, 0, `restore block:\n${restored.stdout}\n${restored.stderr}`)
      t.match(restored.stdout, /restore complete/)
      await health(lab)
      t.ok(await canLogIn(lab, 'alice'), 'alice, in the backup, is back')
      t.notOk(await canLogIn(lab, 'alice2'), 'alice2, created after the backup, is gone')

      // The folder the old README used is not the service user's: the error says which file and why.
      const old = await lab.exec(
        'cd /root && sudo -u patchmon PATCHMON_DATA_DIR=/var/lib/patchmon patchmon backup /var/backups/patchmon-old.db'
      )
      t.equal(old.code, 1)
      t.match(old.stderr, 'patchmon: cannot write /var/backups/patchmon-old.db.partial: permission denied (EACCES)')
    })

    await t.test('an upgrade restarts the service on the new version, keeping the data', async (t) => {
      const before = await unitShow(lab, 'InvocationID')
      const r = await lab.exec(`cd /root && apt install -y ./patchmon_${UPGRADE_VERSION}_amd64.deb`, {
        env: { DEBIAN_FRONTEND: 'noninteractive' },
        timeoutMs: 180_000
      })
      t.equal(r.code, 0, r.stderr)
      t.equal((await must(lab, "dpkg-query -W -f '${Version}' patchmon")).trim(), UPGRADE_VERSION)
      t.not(await unitShow(lab, 'InvocationID'), before, 'a new run of the service')
      await health(lab)
      t.ok(await canLogIn(lab, 'alice'))
    })

    await t.test('remove stops it and keeps the data; installing again starts it', async (t) => {
      await must(lab, 'apt remove -y patchmon', 120_000)
      t.equal((await lab.exec('systemctl is-active patchmon')).stdout.trim(), 'inactive')
      t.equal((await lab.exec('test -f /var/lib/patchmon/patchmon.db')).code, 0, 'the database is kept')
      const r = await lab.exec(`cd /root && apt install -y ./patchmon_${UPGRADE_VERSION}_amd64.deb`, {
        env: { DEBIAN_FRONTEND: 'noninteractive' },
        timeoutMs: 180_000
      })
      t.equal(r.code, 0, r.stderr)
      t.equal((await lab.exec('systemctl is-active patchmon')).stdout.trim(), 'active', 'started again, not left stopped')
      await health(lab)
      t.ok(await canLogIn(lab, 'alice'))
    })

    await t.test('a package run while the service is stopped starts it; one the administrator disabled stays off', async (t) => {
      const reinstall = () =>
        lab.exec(`cd /root && apt install -y --reinstall ./patchmon_${UPGRADE_VERSION}_amd64.deb`, {
          env: { DEBIAN_FRONTEND: 'noninteractive' },
          timeoutMs: 180_000
        })
      await must(lab, 'systemctl stop patchmon')
      t.equal((await reinstall()).code, 0)
      t.equal((await lab.exec('systemctl is-active patchmon')).stdout.trim(), 'active', 'stopped + upgrade -> running')

      await must(lab, 'systemctl disable --now patchmon')
      t.equal((await reinstall()).code, 0)
      t.equal((await lab.exec('systemctl is-active patchmon')).stdout.trim(), 'inactive', 'disabled stays off')
      t.equal((await lab.exec('systemctl is-enabled patchmon')).stdout.trim(), 'disabled', 'and disabled')
      await must(lab, 'systemctl enable --now patchmon')
      await health(lab)
    })

    await t.test('a bad setting ends in "failed" after a few tries, and a reinstall says the service does not start', async (t) => {
      await must(lab, "printf 'PORT=not-a-port\\n' >> /etc/patchmon/local.env")
      await must(lab, 'systemctl restart patchmon')
      const started = Date.now()
      await waitFor(lab, 'systemctl is-failed to say failed', 'systemctl is-failed patchmon', (s) => s === 'failed', 60_000)
      t.comment(`bad setting -> failed: ${((Date.now() - started) / 1000).toFixed(1)} s`)
      t.equal((await lab.exec('systemctl is-failed patchmon')).code, 0, 'is-failed exits 0: monitoring sees it')
      t.match((await must(lab, 'journalctl -u patchmon -n 50 --no-pager -o cat')).toString(), /PORT/, 'the journal says which setting')

      const reinstall = await lab.exec(`cd /root && apt install -y --reinstall ./patchmon_${UPGRADE_VERSION}_amd64.deb`, {
        env: { DEBIAN_FRONTEND: 'noninteractive' },
        timeoutMs: 180_000
      })
      t.not(reinstall.code, 0, 'apt reports the failure instead of success')
      // dpkg passes the maintainer script's stderr through apt's output.
      t.match(reinstall.stdout + reinstall.stderr, /patchmon: patchmon\.service did not start; its log says:[^]*Invalid PORT/)

      await must(lab, 'rm /etc/patchmon/local.env && systemctl reset-failed patchmon')
      const fixed = await lab.exec('dpkg --configure -a', { timeoutMs: 120_000 })
      t.equal(fixed.code, 0, `once fixed, dpkg finishes the configuration: ${fixed.stderr}`)
      await health(lab)
      t.ok(await canLogIn(lab, 'alice'))
    })

    await t.test('purge removes data, conffile and user; a reinstall shows only its own password in the journal', async (t) => {
      const oldPassword = /password: (\S+)/.exec(await must(lab, journalPasswordCommand()))?.[1] ?? ''
      t.ok(oldPassword)
      await must(lab, 'apt purge -y patchmon', 120_000)
      t.not((await lab.exec('test -e /var/lib/patchmon')).code, 0, 'data folder gone')
      t.not((await lab.exec('test -e /etc/patchmon/patchmon.env')).code, 0, 'conffile gone')
      t.not((await lab.exec('getent passwd patchmon')).code, 0, 'user gone')
      t.not((await lab.exec('getent group patchmon')).code, 0, 'group gone')

      const r = await lab.exec(`cd /root && apt install -y ./patchmon_${UPGRADE_VERSION}_amd64.deb`, {
        env: { DEBIAN_FRONTEND: 'noninteractive' },
        timeoutMs: 180_000
      })
      t.equal(r.code, 0, r.stderr)
      await health(lab)
      const shown = await must(lab, journalPasswordCommand())
      t.notMatch(shown, oldPassword, "the old installation's password is not shown")
      const password = /password: (\S+)/.exec(shown)?.[1] ?? ''
      t.equal((await login(lab, 'admin', password)).status, '200', 'the one shown signs in')
      t.notOk(await canLogIn(lab, 'alice'), 'a fresh database')
    })

    await t.test('a password pre-seeded in /etc/patchmon/local.env before a non-interactive install is the admin password', async (t) => {
      await must(lab, 'apt purge -y patchmon', 120_000)
      // Exactly the README's commands (run as root here, as sudo would).
      const preseed = shellBlocks('## Installation').find((b) => b.includes('local.env'))
      t.ok(preseed, 'the README shows how to pre-seed the password')
      await must(lab, preseed ?? 'false')
      const r = await lab.exec(`cd /root && apt-get install -y ./patchmon_${UPGRADE_VERSION}_amd64.deb </dev/null`, {
        env: { DEBIAN_FRONTEND: 'noninteractive' },
        timeoutMs: 180_000
      })
      t.equal(r.code, 0, r.stderr)
      t.notMatch(r.stdout + r.stderr, /Configuration file|conffile/i, 'no conffile question')
      await health(lab)
      t.equal((await login(lab, 'admin', 'choose-a-long-password')).status, '200')
      t.equal(
        (await must(lab, 'cat /etc/patchmon/local.env')).trim(),
        'PATCHMON_ADMIN_PASSWORD=choose-a-long-password',
        'the package left the file alone'
      )
    })

    t.comment(`whole journey: ${((Date.now() - fileStarted) / 1000).toFixed(1)} s`)
  }
)
