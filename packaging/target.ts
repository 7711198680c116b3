// The CPU architectures the build makes executables and packages for, and what each needs on this
// (x86-64 Debian) build machine. linux-x64 is native; linux-arm64 is cross-built: the pinned Node's
// arm64 build comes from npm (packaging/node-binary.ts), the addons' arm64 prebuilds ship in their
// npm packages, our malloc_trim addon is compiled with Debian's gcc-aarch64-linux-gnu, and the arm64
// node runs under Debian's qemu-user to write the SEA blob (its V8 code cache must be made by the
// same Node build that will read it).
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export type Arch = 'x64' | 'arm64'

export interface Target {
  arch: Arch
  /** Node's name for the platform (`process.arch`), in npm package names: node-linux-<arch>. */
  nodeArch: Arch
  /** Debian's architecture name (the .deb's Architecture field and file name). */
  debArch: string
  /** rpm's architecture name (BuildArch, --target, the .rpm file name). */
  rpmArch: string
  /** ELF e_machine value of the target CPU, to check every binary that goes in. */
  elfMachine: number
  /** C compiler and strip for the target. */
  cc: string
  strip: string
  /** Prefix that runs a target binary on this machine: nothing natively, qemu-user otherwise. */
  runner: string[]
  /** GNU multiarch triplet: where Debian puts the target's libraries (/usr/lib/<triplet>). */
  multiarch: string
}

export const TARGETS: Record<Arch, Target> = {
  x64: {
    arch: 'x64',
    nodeArch: 'x64',
    debArch: 'amd64',
    rpmArch: 'x86_64',
    elfMachine: 62, // EM_X86_64
    cc: 'cc',
    strip: 'strip',
    runner: [],
    multiarch: 'x86_64-linux-gnu'
  },
  arm64: {
    arch: 'arm64',
    nodeArch: 'arm64',
    debArch: 'arm64',
    rpmArch: 'aarch64',
    elfMachine: 183, // EM_AARCH64
    cc: 'aarch64-linux-gnu-gcc',
    strip: 'aarch64-linux-gnu-strip',
    runner: ['qemu-aarch64'],
    multiarch: 'aarch64-linux-gnu'
  }
}

/** Where `npm run build` and `npm run package` put a target's files by default. */
export function distDirFor(target: Target): string {
  const dist = join(__dirname, '..', 'dist')
  return target.arch === 'x64' ? dist : join(dist, `linux-${target.arch}`)
}

/** The target named by `--arch x64|arm64` on the command line (default: x64). */
export function targetFromArgv(argv: string[]): Target {
  const at = argv.indexOf('--arch')
  if (at < 0) return TARGETS.x64
  const name = argv[at + 1]
  if (name !== 'x64' && name !== 'arm64') throw new Error(`--arch must be x64 or arm64, not ${name ?? '(nothing)'}`)
  return TARGETS[name]
}

/** Throws unless `file` is a 64-bit little-endian ELF file for the target's CPU. */
export function assertElfFor(target: Target, file: string): void {
  const head = readFileSync(file).subarray(0, 20)
  const isElf64 = head.subarray(0, 4).toString('latin1') === '\x7fELF' && head[4] === 2 && head[5] === 1
  const machine = head.readUInt16LE(18)
  if (!isElf64 || machine !== target.elfMachine) {
    throw new Error(`${file} is not a ${target.arch} ELF file (e_machine ${machine}, want ${target.elfMachine})`)
  }
}

/** Why this machine cannot build or run the target (a sentence), or undefined when it can. */
export function targetUnavailable(target: Target): string | undefined {
  const tools = [target.cc, target.strip, ...target.runner.slice(0, 1)]
  for (const tool of tools) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0) {
      return `building for ${target.arch} needs ${tool} (apt-get install gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-user)`
    }
  }
  if (target.runner.length > 0 && !existsSync(`/usr/lib/${target.multiarch}/libstdc++.so.6`)) {
    return `running ${target.arch} programs under qemu needs the target's libraries (dpkg --add-architecture ${target.debArch}; apt-get install libc6:${target.debArch} libstdc++6:${target.debArch} libatomic1:${target.debArch} libgcc-s1:${target.debArch})`
  }
  return undefined
}
