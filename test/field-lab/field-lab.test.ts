// The field lab itself: a bare trixie boots with systemd as PID 1, runs commands, takes files, and
// reaches a server on the host's loopback through exposeHostPort.
import t from 'tap'
import { createServer } from 'node:http'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { bootFieldLab, exposeHostPort, fieldLabUnavailable } from '../helpers/field-lab.js'

const unavailable = fieldLabUnavailable()

t.test('a bare trixie boots, runs commands, takes files and reaches the host through loopback only', { skip: unavailable }, async (t) => {
  const started = Date.now()
  const lab = await bootFieldLab(t)
  t.comment(`booted in ${Date.now() - started} ms`)

  const pid1 = await lab.exec('cat /proc/1/comm')
  t.equal(pid1.stdout.trim(), 'systemd', 'systemd is PID 1')
  const os = await lab.exec('. /etc/os-release && echo "$VERSION_CODENAME"')
  t.equal(os.stdout.trim(), 'trixie')
  const packages = await lab.exec("dpkg-query -W -f '${Package}\\n'")
  t.equal(packages.code, 0, packages.stderr)
  const names = packages.stdout.trim().split('\n')
  t.ok(names.includes('systemd') && names.includes('curl'), 'the minbase rootfs has systemd and curl')
  t.notOk(names.includes('libatomic1'), 'and is bare: no libatomic1 (what a fresh machine lacks)')

  const env = await lab.exec('echo "$GREETING"; env | sort', { env: { GREETING: 'hello lab' } })
  t.equal(env.stdout.split('\n')[0], 'hello lab')
  t.notMatch(env.stdout, /^HOME=/m, 'a clean environment: nothing of the host leaks in')
  const input = await lab.exec('wc -c', { input: 'twelve bytes' })
  t.equal(input.stdout.trim(), '12')
  const failing = await lab.exec('echo oops >&2; exit 3')
  t.same([failing.code, failing.stderr.trim()], [3, 'oops'])
  const slow = await lab.exec('sleep 30', { timeoutMs: 500 })
  t.not(slow.code, 0, 'a command past its timeout is killed')

  const hostDir = mkdtempSync(join(tmpdir(), 'field-lab-copy-'))
  t.teardown(() => rmSync(hostDir, { recursive: true, force: true }))
  writeFileSync(join(hostDir, 'note.txt'), 'copied in\n')
  await lab.copyIn(join(hostDir, 'note.txt'), '/srv/notes/note.txt')
  t.equal((await lab.exec('cat /srv/notes/note.txt')).stdout, 'copied in\n')

  const isolated = await lab.exec('cat /sys/class/net/*/operstate 2>/dev/null | wc -l; ls /sys/class/net')
  t.equal(isolated.stdout.trim().split('\n').slice(1).join(' '), 'lo', 'the lab has only loopback (--private-network)')

  const seen: string[] = []
  const server = createServer((req, res) => {
    seen.push(`${req.socket.remoteAddress} ${req.method} ${req.url}`)
    res.end('hello from the host\n')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const hostPort = (server.address() as AddressInfo).port
  await exposeHostPort(lab, hostPort, 3000)
  const viaLoopback = await lab.exec('curl -sS --max-time 10 http://127.0.0.1:3000/from-lab')
  t.equal(viaLoopback.stdout, 'hello from the host\n', viaLoopback.stderr)
  t.same(seen, ['127.0.0.1 GET /from-lab'], 'the host server saw a loopback peer')
  const second = await lab.exec('curl -sS --max-time 10 http://127.0.0.1:3000/again')
  t.equal(second.stdout, 'hello from the host\n', 'every connection is relayed, not only the first')

  const root = lab.root
  await lab.shutdown()
  t.notOk(await import('node:fs').then((fs) => fs.existsSync(root)), 'shutdown removes the lab folder')
  t.comment(`whole lab test ${Date.now() - started} ms`)
})
