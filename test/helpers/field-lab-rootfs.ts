// The field lab's root filesystem: a Debian trixie minbase tarball, built once with debootstrap from
// the mirror the host's apt already uses and cached, so each lab unpacks a fresh copy in seconds.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** What a finished host command printed, and its exit code (null when it was killed). */
export interface CommandResult {
  code: number | null
  stdout: string
  stderr: string
}

export const ROOTFS_TARBALL = process.env.PATCHMON_FIELD_LAB_TARBALL ?? '/var/cache/patchmon-field-lab/trixie-minbase.tar'
const SUITE = 'trixie'
const INCLUDED_PACKAGES = 'systemd,systemd-sysv,dbus,curl,ca-certificates,adduser'

/** The Debian mirror the host's apt already uses (debootstrap needs one; deb.debian.org otherwise). */
export function hostDebianMirror(): string {
  const candidates: string[] = []
  const partsDir = '/etc/apt/sources.list.d'
  if (existsSync(partsDir)) {
    for (const name of readdirSync(partsDir)
      .filter((n) => n.endsWith('.sources'))
      .sort()) {
      for (const m of readFileSync(join(partsDir, name), 'utf8').matchAll(/^URIs:\s*(.+)$/gm))
        candidates.push(...(m[1] ?? '').trim().split(/\s+/))
    }
  }
  if (existsSync('/etc/apt/sources.list')) {
    for (const m of readFileSync('/etc/apt/sources.list', 'utf8').matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/gm)) candidates.push(m[1] ?? '')
  }
  // The security archive has no full suite to bootstrap from.
  return candidates.find((uri) => /^https?:\/\//.test(uri) && !/security/.test(uri)) ?? 'http://deb.debian.org/debian'
}

export function runToEnd(command: string, args: string[], timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

/**
 * The path of the trixie minbase rootfs tarball, building it with debootstrap when it is not cached.
 * Written to a temporary name and renamed, so a killed build never leaves a half tarball in the cache.
 */
export async function ensureRootfsTarball(): Promise<string> {
  if (existsSync(ROOTFS_TARBALL)) return ROOTFS_TARBALL
  mkdirSync(dirname(ROOTFS_TARBALL), { recursive: true })
  const build = mkdtempSync(join(dirname(ROOTFS_TARBALL), `${SUITE}-build-`))
  const partial = `${ROOTFS_TARBALL}.partial-${process.pid}`
  try {
    const boot = await runToEnd(
      'debootstrap',
      ['--variant=minbase', `--include=${INCLUDED_PACKAGES}`, SUITE, build, hostDebianMirror()],
      20 * 60_000
    )
    if (boot.code !== 0) throw new Error(`debootstrap ${SUITE} failed (exit ${boot.code}):\n${(boot.stdout + boot.stderr).slice(-4000)}`)
    const tar = await runToEnd('tar', ['-C', build, '--numeric-owner', '-cf', partial, '.'], 10 * 60_000)
    if (tar.code !== 0) throw new Error(`tar of the ${SUITE} rootfs failed: ${tar.stderr}`)
    renameSync(partial, ROOTFS_TARBALL)
    return ROOTFS_TARBALL
  } finally {
    rmSync(partial, { force: true })
    rmSync(build, { recursive: true, force: true })
  }
}
