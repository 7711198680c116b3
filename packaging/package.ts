// npm run package: dist/patchmon_<version>_amd64.deb and dist/patchmon-<version>.x86_64.rpm around
// the single executable built by `npm run build`; with `--arch arm64` (npm run package:arm64)
// dist/linux-arm64/patchmon_<version>_arm64.deb and patchmon-<version>.aarch64.rpm around the
// executable cross-built there. `--dist DIR` reads and writes another folder
// (tests); `--fast` compresses with gzip -1 instead of xz -6 (same contents, much faster);
// `--package-version V` stamps another package version (tests build an upgrade from the same binary).
import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { renderEnvFile } from './env-file.js'
import { debianShlibsDepends, elfNeeds, rpmElfRequires } from './shared-libraries.js'
import { assertElfFor, distDirFor, targetFromArgv, TARGETS, type Target } from './target.js'

const ROOT = join(__dirname, '..')
const HERE = join(ROOT, 'packaging')

export interface PackageResult {
  deb: string
  rpm: string
}

export interface PackageOptions {
  /** Package version (default: package.json's); the executable inside is the same either way. */
  version?: string
  /** The architecture of the executable in distDir (default x64); checked against the file. */
  target?: Target
}

function packageJsonVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
}

/** The ELF files the service loads: the executable and the native addons it extracts at start. */
function elfFiles(distDir: string): string[] {
  return [
    join(distDir, 'patchmon'),
    ...readdirSync(join(distDir, 'native'))
      .filter((f) => f.endsWith('.node'))
      .sort()
      .map((f) => join(distDir, 'native', f))
  ]
}

function put(file: string, content: string | Buffer, mode: number): void {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, content)
  chmodSync(file, mode)
}

function buildDeb(distDir: string, stage: string, fast: boolean, version: string, target: Target): string {
  const root = join(stage, 'deb')
  const binary = join(distDir, 'patchmon')
  mkdirSync(join(root, 'usr/bin'), { recursive: true })
  copyFileSync(binary, join(root, 'usr/bin/patchmon'))
  chmodSync(join(root, 'usr/bin/patchmon'), 0o755)
  put(join(root, 'usr/lib/systemd/system/patchmon.service'), readFileSync(join(HERE, 'systemd/patchmon.service')), 0o644)
  put(join(root, 'usr/lib/sysusers.d/patchmon.conf'), readFileSync(join(HERE, 'systemd/patchmon.sysusers')), 0o644)
  put(join(root, 'etc/patchmon/patchmon.env'), renderEnvFile(), 0o600)
  put(join(root, 'usr/share/doc/patchmon/README.md'), readFileSync(join(ROOT, 'README.md')), 0o644)
  for (const f of PROXMOX_COLLECT_FILES) put(join(root, f.dest), readFileSync(join(ROOT, f.src)), 0o644)
  put(join(root, 'usr/share/doc/patchmon/copyright'), 'PatchMon appliance\nLicense: MIT\n', 0o644)
  chmodSync(join(root, 'etc/patchmon'), 0o750)
  const installedKb = Math.ceil(statSync(binary).size / 1024) + 64
  put(
    join(root, 'DEBIAN/control'),
    [
      'Package: patchmon',
      `Version: ${version}`,
      `Architecture: ${target.debArch}`,
      'Maintainer: PatchMon appliance maintainers <patchmon@localhost>',
      'Section: admin',
      'Priority: optional',
      `Depends: adduser, ${debianShlibsDepends(elfFiles(distDir), target)}`,
      `Installed-Size: ${installedKb}`,
      'Description: self-hosted Linux patch monitoring server in one process',
      ' One executable with SQLite inside: hosts report their packages with the PatchMon',
      ' agent, people see the fleet on a dashboard, tools read it through the Integration',
      ' API, gethomepage and Ansible. Runs as the systemd service patchmon.service.',
      ''
    ].join('\n'),
    0o644
  )
  put(join(root, 'DEBIAN/conffiles'), '/etc/patchmon/patchmon.env\n', 0o644)
  for (const script of ['postinst', 'prerm', 'postrm']) put(join(root, 'DEBIAN', script), readFileSync(join(HERE, 'deb', script)), 0o755)
  const out = join(distDir, `patchmon_${version}_${target.debArch}.deb`)
  const compression = fast ? ['-Zgzip', '-z1'] : ['-Zxz', '-z6']
  execFileSync('dpkg-deb', ['--root-owner-group', ...compression, '--build', root, out], { stdio: ['ignore', 'ignore', 'inherit'] })
  return out
}

/**
 * Agentless Proxmox collection (docs/proxmox.md): a oneshot unit and its hourly timer, shipped
 * disabled (they only run on a configured Proxmox host), the settings example and the docs.
 */
const PROXMOX_COLLECT_FILES = [
  { src: 'packaging/systemd/patchmon-proxmox-collect.service', dest: 'usr/lib/systemd/system/patchmon-proxmox-collect.service' },
  { src: 'packaging/systemd/patchmon-proxmox-collect.timer', dest: 'usr/lib/systemd/system/patchmon-proxmox-collect.timer' },
  { src: 'packaging/proxmox-collect.conf.example', dest: 'usr/share/doc/patchmon/proxmox-collect.conf.example' },
  { src: 'docs/proxmox.md', dest: 'usr/share/doc/patchmon/proxmox.md' },
  { src: 'docs/upgrades.md', dest: 'usr/share/doc/patchmon/upgrades.md' }
]

function buildRpm(distDir: string, stage: string, fast: boolean, version: string, target: Target): string {
  const top = join(stage, 'rpm')
  const sources = join(top, 'SOURCES')
  mkdirSync(sources, { recursive: true })
  copyFileSync(join(distDir, 'patchmon'), join(sources, 'patchmon'))
  copyFileSync(join(HERE, 'systemd/patchmon.service'), join(sources, 'patchmon.service'))
  copyFileSync(join(HERE, 'systemd/patchmon.sysusers'), join(sources, 'patchmon.sysusers'))
  copyFileSync(join(ROOT, 'README.md'), join(sources, 'README.md'))
  for (const f of PROXMOX_COLLECT_FILES) copyFileSync(join(ROOT, f.src), join(sources, basename(f.dest)))
  writeFileSync(join(sources, 'patchmon.env'), renderEnvFile())
  const scriptlet = (name: string) => readFileSync(join(HERE, 'rpm', `${name}.sh`), 'utf8').trimEnd()
  const spec = readFileSync(join(HERE, 'rpm/patchmon.spec.in'), 'utf8')
    .replace('@VERSION@', version)
    .replace(
      '@REQUIRES@',
      rpmElfRequires(elfNeeds(elfFiles(distDir)))
        .map((r) => `Requires:       ${r}`)
        .join('\n')
    )
    .replace('@PRE@', scriptlet('pre'))
    .replace('@POST@', scriptlet('post'))
    .replace('@PREUN@', scriptlet('preun'))
    .replace('@POSTUN@', scriptlet('postun'))
    .replace('@POSTTRANS@', scriptlet('posttrans'))
  const specFile = join(top, 'patchmon.spec')
  writeFileSync(specFile, spec)
  execFileSync(
    'rpmbuild',
    [
      '-bb',
      '--quiet',
      '--define',
      `_topdir ${top}`,
      '--define',
      `_binary_payload ${fast ? 'w1.gzdio' : 'w6.xzdio'}`,
      '--target',
      target.rpmArch,
      specFile
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] }
  )
  const out = join(distDir, `patchmon-${version}.${target.rpmArch}.rpm`)
  copyFileSync(join(top, 'RPMS', target.rpmArch, `patchmon-${version}-1.${target.rpmArch}.rpm`), out)
  return out
}

export function buildPackages(distDir: string, fast = false, options: PackageOptions = {}): PackageResult {
  const version = options.version ?? packageJsonVersion()
  const target = options.target ?? TARGETS.x64
  if (!existsSync(join(distDir, 'patchmon'))) throw new Error(`${join(distDir, 'patchmon')} is missing: run npm run build first`)
  assertElfFor(target, join(distDir, 'patchmon'))
  const stage = mkdtempSync(join(tmpdir(), 'patchmon-package-'))
  try {
    return { deb: buildDeb(distDir, stage, fast, version, target), rpm: buildRpm(distDir, stage, fast, version, target) }
  } finally {
    rmSync(stage, { recursive: true, force: true })
  }
}

if (require.main === module) {
  const at = process.argv.indexOf('--dist')
  const versionAt = process.argv.indexOf('--package-version')
  const started = Date.now()
  try {
    const target = targetFromArgv(process.argv)
    const distDir = resolve((at > 0 ? process.argv[at + 1] : undefined) ?? distDirFor(target))
    const version = versionAt > 0 ? process.argv[versionAt + 1] : undefined
    const r = buildPackages(distDir, process.argv.includes('--fast'), { target, ...(version ? { version } : {}) })
    const mb = (f: string) => `${(statSync(f).size / 1e6).toFixed(1)} MB`
    console.log(`built ${r.deb} (${mb(r.deb)}) and ${r.rpm} (${mb(r.rpm)}) in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  } catch (err) {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  }
}
