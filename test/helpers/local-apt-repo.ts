// Tiny Debian packages built with the real dpkg-deb, and flat `file:` apt repositories made of them
// with a hand-written Packages and Release, so a field lab with no network still has updates to find.
//
// Facts (measured in the trixie lab): `deb [trusted=yes] file:/srv/repo/main ./` works for a flat
// repository; a Release whose `Suite` ends in `-security` makes apt print that suite in
// `apt-get -s upgrade` (what agents flag as a security update); one source can be refreshed alone with
// `apt-get update -o Dir::Etc::SourceList=FILE -o Dir::Etc::SourceParts=-`.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface DebSpec {
  name: string
  version: string
  arch: 'amd64' | 'i386' | 'all'
  multiArch?: 'same' | 'foreign'
  /** The control file's Source field (`name` or `name (version)`), when the source is named differently. */
  source?: string
  /** Body of a `postinst` maintainer script (run by dpkg when the package is configured). */
  postinst?: string
}

/** Builds `<name>_<version>_<arch>.deb` in outDir (no files, only a control file) and returns its path. */
export function buildDeb(outDir: string, spec: DebSpec): string {
  const work = mkdtempSync(join(tmpdir(), 'lab-deb-'))
  try {
    mkdirSync(join(work, 'DEBIAN'))
    const control = [
      `Package: ${spec.name}`,
      ...(spec.source ? [`Source: ${spec.source}`] : []),
      `Version: ${spec.version}`,
      `Architecture: ${spec.arch}`,
      ...(spec.multiArch ? [`Multi-Arch: ${spec.multiArch}`] : []),
      'Maintainer: PatchMon field lab <lab@example.invalid>',
      'Priority: optional',
      'Section: misc',
      `Description: PatchMon field lab package ${spec.name}`,
      ' Built by the test suite; it installs no files.',
      ''
    ].join('\n')
    writeFileSync(join(work, 'DEBIAN/control'), control)
    if (spec.postinst) writeFileSync(join(work, 'DEBIAN/postinst'), `#!/bin/sh\n${spec.postinst}\n`, { mode: 0o755 })
    mkdirSync(outDir, { recursive: true })
    const file = join(outDir, `${spec.name}_${spec.version.replace(/^\d+:/, '')}_${spec.arch}.deb`)
    execFileSync('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', work, file], { stdio: 'pipe' })
    return file
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

export interface FlatRepo {
  /** Host folder holding Packages, Release and the .debs. */
  dir: string
  /** The path apt sees (inside the lab). */
  labPath: string
  suite: string
  /** `deb [trusted=yes] file:<labPath> ./` */
  sourcesLine: string
}

/**
 * A flat repository in hostDir (seen by apt as labPath) holding the given packages, with a Release
 * whose Suite is `suite` (end it in `-security` for a security source).
 */
export function buildFlatRepo(hostDir: string, labPath: string, suite: string, debs: DebSpec[]): FlatRepo {
  mkdirSync(hostDir, { recursive: true })
  const stanzas = debs.map((spec) => {
    const file = buildDeb(hostDir, spec)
    const name = file.slice(hostDir.length + 1)
    const bytes = readFileSync(file)
    const control = execFileSync('dpkg-deb', ['-f', file], { encoding: 'utf8' }).trimEnd()
    return `${control}\nFilename: ./${name}\nSize: ${statSync(file).size}\nSHA256: ${createHash('sha256').update(bytes).digest('hex')}\n`
  })
  const packages = stanzas.join('\n')
  writeFileSync(join(hostDir, 'Packages'), packages)
  const release = [
    'Origin: PatchMon-Lab',
    'Label: PatchMon-Lab',
    `Suite: ${suite}`,
    `Codename: ${suite}`,
    `Date: ${new Date().toUTCString()}`,
    'Architectures: amd64 i386 all',
    'Description: PatchMon field lab repository',
    'SHA256:',
    ` ${createHash('sha256').update(packages).digest('hex')} ${Buffer.byteLength(packages)} Packages`,
    ''
  ].join('\n')
  writeFileSync(join(hostDir, 'Release'), release)
  return { dir: hostDir, labPath, suite, sourcesLine: `deb [trusted=yes] file:${labPath} ./` }
}
