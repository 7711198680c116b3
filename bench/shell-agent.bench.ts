// How long the shell agent takes to build a full report on hosts with many packages, under dash
// and bash, next to a baseline measured in the same run: jq turning the same package list into the
// same JSON array (what the agent would cost if it leaned on jq instead of awk).
// Run: npx tsx bench/shell-agent.bench.ts
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const AGENT = join(__dirname, '../src/agent/shell-agent/patchmon-agent.sh')

/** A Debian-like sandbox with `count` packages, a tenth upgradable and half of those security fixes. */
function syntheticHost(dir: string, count: number): { root: string; bin: string; tsv: string } {
  const root = join(dir, 'root')
  const bin = join(dir, 'bin')
  mkdirSync(join(root, 'etc/patchmon'), { recursive: true })
  mkdirSync(bin)
  writeFileSync(join(root, 'etc/os-release'), 'NAME="Debian GNU/Linux"\nVERSION="12 (bookworm)"\nID=debian\n')
  writeFileSync(join(root, 'etc/patchmon/config.yml'), 'patchmon_server: "http://127.0.0.1:9"\n')
  writeFileSync(join(root, 'etc/patchmon/credentials.yml'), 'api_id: "bench"\napi_key: "bench"\n')
  const installed: string[] = []
  const upgrades: string[] = []
  for (let i = 0; i < count; i++) {
    installed.push(`install ok installed\tlib-bench-${i}\t1.${i}.0-1+deb12u1`)
    if (i % 10 === 0) {
      const origin = i % 20 === 0 ? 'Debian-Security:12/stable-security' : 'Debian:12.6/stable'
      upgrades.push(`Inst lib-bench-${i} [1.${i}.0-1+deb12u1] (1.${i}.0-1+deb12u2 ${origin} [amd64])`)
    }
  }
  writeFileSync(join(dir, 'dpkg.out'), `${installed.join('\n')}\n`)
  writeFileSync(join(dir, 'apt.out'), `${upgrades.join('\n')}\n`)
  const tsv = join(dir, 'packages.tsv')
  writeFileSync(tsv, installed.map((l) => l.split('\t').slice(1).join('\t')).join('\n') + '\n')
  writeFileSync(join(bin, 'dpkg-query'), `#!/bin/sh\ncat '${join(dir, 'dpkg.out')}'\n`)
  writeFileSync(join(bin, 'apt-get'), `#!/bin/sh\ncase "$*" in *upgrade*) cat '${join(dir, 'apt.out')}' ;; esac\n`)
  chmodSync(join(bin, 'dpkg-query'), 0o755)
  chmodSync(join(bin, 'apt-get'), 0o755)
  return { root, bin, tsv }
}

function medianMs(runs: number, fn: () => void): number {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint()
    fn()
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] as number
}

export async function runShellAgentBench(): Promise<void> {
  for (const count of [1_000, 10_000]) {
    const dir = mkdtempSync(join(tmpdir(), 'patchmon-agent-bench-'))
    try {
      const { root, bin, tsv } = syntheticHost(dir, count)
      const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, PATCHMON_ROOT: root, PATCHMON_SKIP_REFRESH: 'true' }
      const baseline = medianMs(3, () =>
        execFileSync(
          'jq',
          [
            '-R',
            '-s',
            '-c',
            'split("\\n") | map(select(length > 0) | split("\\t") | {name: .[0], currentVersion: .[1], needsUpdate: false, isSecurityUpdate: false})',
            tsv
          ],
          { maxBuffer: 1 << 26 }
        )
      )
      const line = [`${count} packages: jq baseline ${baseline.toFixed(0)} ms`]
      for (const shell of ['dash', 'bash']) {
        let bytes = 0
        const ms = medianMs(3, () => {
          bytes = execFileSync(shell, [AGENT, 'report', '--json'], { env, maxBuffer: 1 << 26 }).length
        })
        line.push(
          `${shell} report ${ms.toFixed(0)} ms (${((ms * 1000) / count).toFixed(0)} µs/package, ${(bytes / 1024).toFixed(0)} KiB, ${(ms / baseline).toFixed(1)}x baseline)`
        )
      }
      console.log(line.join('; '))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

if (require.main === module) {
  runShellAgentBench().catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}
