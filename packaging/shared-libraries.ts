// The shared libraries the executable and its native addons load, read from the ELF files at build
// time, so the packages' dependencies follow the binary instead of a hand-kept list (a bare Debian
// lacks libatomic1, which the SEA executable needs: a package that forgot it crash-looped).
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { TARGETS, type Target } from './target.js'

export interface ElfNeeds {
  /** DT_NEEDED sonames, e.g. libatomic.so.1. */
  sonames: string[]
  /** Symbol versions needed per soname (from .gnu.version_r), e.g. libc.so.6 -> GLIBC_2.34. */
  versions: Map<string, string[]>
}

export function elfNeeds(files: string[]): ElfNeeds {
  const sonames = new Set<string>()
  const versions = new Map<string, Set<string>>()
  for (const file of files) {
    const dynamic = execFileSync('readelf', ['-d', '--wide', file], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })
    for (const m of dynamic.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)) sonames.add(m[1] ?? '')
    const needs = execFileSync('readelf', ['-V', '--wide', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    const section = needs.slice(needs.indexOf(".gnu.version_r'"))
    let current: string | undefined
    for (const line of section.split('\n')) {
      const fileLine = /File: (\S+)/.exec(line)
      if (fileLine) {
        current = fileLine[1]
        continue
      }
      const nameLine = /Name: (\S+)/.exec(line)
      if (nameLine && current) {
        const set = versions.get(current) ?? new Set<string>()
        set.add(nameLine[1] ?? '')
        versions.set(current, set)
      }
    }
  }
  sonames.delete('')
  return {
    sonames: [...sonames].sort(),
    versions: new Map([...versions].map(([soname, set]) => [soname, [...set].sort()]))
  }
}

/**
 * The Debian Depends for these ELF files, computed by dpkg-shlibdeps from the build machine's
 * libraries and their symbols files (package names and the lowest versions that have every
 * symbol used), e.g. `libatomic1 (>= 4.8), libc6 (>= 2.34), libgcc-s1 (>= 4.2), libstdc++6 (>= 11)`.
 * For another architecture it reads that architecture's libraries and symbols files, installed
 * with Debian multiarch (`dpkg --add-architecture arm64; apt-get install libc6:arm64 ...`).
 */
export function debianShlibsDepends(files: string[], target: Target = TARGETS.x64): string {
  // dpkg-shlibdeps wants a source tree: debian/control naming the package, the files inside it.
  const tree = mkdtempSync(join(tmpdir(), 'patchmon-shlibdeps-'))
  try {
    mkdirSync(join(tree, 'debian'))
    writeFileSync(join(tree, 'debian/control'), `Source: patchmon\n\nPackage: patchmon\nArchitecture: ${target.debArch}\n`)
    const copies = files.map((file, i) => {
      const copy = join(tree, `${i}-${basename(file)}`)
      copyFileSync(file, copy)
      return copy
    })
    // Warnings are about the N-API symbols the addons take from the executable itself: expected.
    const out = execFileSync('dpkg-shlibdeps', ['-O', '--warnings=0', ...copies.map((c) => `-e${c}`)], {
      cwd: tree,
      env: { ...process.env, DEB_HOST_ARCH: target.debArch, DEB_HOST_MULTIARCH: target.multiarch },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const line = out.split('\n').find((l) => l.startsWith('shlibs:Depends='))
    if (!line) throw new Error(`dpkg-shlibdeps printed no shlibs:Depends for ${files.join(', ')}:\n${out}`)
    return line.slice('shlibs:Depends='.length).trim()
  } finally {
    rmSync(tree, { recursive: true, force: true })
  }
}

/**
 * rpm Requires in the form rpm's own ELF dependency generator writes them (`libatomic.so.1()(64bit)`,
 * `libc.so.6(GLIBC_2.34)(64bit)`): sonames, not package names, so they resolve on Fedora, RHEL and
 * openSUSE alike whatever each calls the package.
 */
export function rpmElfRequires(needs: ElfNeeds): string[] {
  const requires: string[] = []
  for (const soname of needs.sonames) {
    requires.push(`${soname}()(64bit)`)
    for (const version of needs.versions.get(soname) ?? []) requires.push(`${soname}(${version})(64bit)`)
  }
  return requires
}
