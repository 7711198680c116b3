// Every served script and the shell agent pass shellcheck in their own dialect, parse under the
// shells that run them, and carry the line the server replaces with its configuration.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { AGENT_PATH, scriptPath } from './helpers/fake-patchmon.js'
import { runShell, tempDir } from './helpers/run-script.js'

const SCRIPTS = [
  { file: scriptPath('proxmox-lxc.sh'), dialect: 'bash', shells: ['bash'], served: true },
  { file: scriptPath('direct-host.sh'), dialect: 'sh', shells: ['dash', 'bash'], served: true },
  { file: scriptPath('install-agent.sh'), dialect: 'sh', shells: ['dash', 'bash'], served: true },
  { file: scriptPath('remove-agent.sh'), dialect: 'sh', shells: ['dash', 'bash'], served: true },
  { file: AGENT_PATH, dialect: 'sh', shells: ['dash', 'bash'], served: false }
]

for (const script of SCRIPTS) {
  const name = script.file.split('/').slice(-1)[0]
  t.test(`${name} is shellcheck-clean as ${script.dialect} and parses under ${script.shells.join(' and ')}`, async (t) => {
    const lint = await runShell('shellcheck', ['-s', script.dialect, '-S', 'info', script.file])
    t.equal(lint.code, 0, lint.stdout)
    for (const shell of script.shells) {
      const parse = await runShell(shell, ['-n', script.file])
      t.equal(parse.code, 0, `${shell} -n: ${parse.stderr}`)
    }
    const lines = readFileSync(script.file, 'utf8').split('\n')
    t.match(lines[0], script.dialect === 'bash' ? /^#!.*bash$/ : /^#!\/bin\/sh$/)
    if (script.served) t.equal(lines[1], '# @PATCHMON_CONFIG@', 'the configuration line follows the shebang')
  })
}

t.test('remove-agent.sh removes the agent, its service and configuration, keeping backups unless asked', async (t) => {
  const root = tempDir(t, 'patchmon-remove-')
  const { mkdirSync, writeFileSync, existsSync } = await import('node:fs')
  const { join } = await import('node:path')
  for (const dir of ['etc/patchmon/logs', 'usr/local/bin', 'etc/systemd/system']) mkdirSync(join(root, dir), { recursive: true })
  for (const file of [
    'etc/patchmon/config.yml',
    'etc/patchmon/credentials.yml',
    'etc/patchmon/config.yml.backup.20250101_000000',
    'usr/local/bin/patchmon-agent',
    'etc/systemd/system/patchmon-agent.service'
  ]) {
    writeFileSync(join(root, file), 'x')
  }
  const env = { PATCHMON_ROOT: root, PATCHMON_SKIP_SERVICE_START: 'true' }
  const kept = await runShell('dash', [scriptPath('remove-agent.sh')], { env })
  t.equal(kept.code, 0, kept.stderr)
  t.notOk(existsSync(join(root, 'usr/local/bin/patchmon-agent')))
  t.notOk(existsSync(join(root, 'etc/patchmon/credentials.yml')))
  t.notOk(existsSync(join(root, 'etc/systemd/system/patchmon-agent.service')))
  t.ok(existsSync(join(root, 'etc/patchmon/config.yml.backup.20250101_000000')), 'backups kept by default')
  const silent = await runShell('dash', [scriptPath('remove-agent.sh')], { env: { ...env, REMOVE_BACKUPS: '1', SILENT: '1' } })
  t.equal(silent.stdout, '')
  t.notOk(existsSync(join(root, 'etc/patchmon')), 'REMOVE_BACKUPS=1 removes everything')
})
