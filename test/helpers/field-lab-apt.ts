// Debian packages for the field lab. The lab has no network (--private-network), as a test must not
// depend on the Internet once its cache exists: the packages a real machine would fetch from its
// mirror (libatomic1 for our executable, sudo for the README's commands) are downloaded once into a
// cache beside the rootfs tarball, and served inside the lab from a flat local apt repository that
// stands in for the mirror.
import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { ensureRootfsTarball, ROOTFS_TARBALL, type FieldLab } from './field-lab.js'

const REPO_IN_LAB = '/srv/field-lab-repo'

function debsIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.deb'))
    .sort()
    .map((f) => join(dir, f))
}

/**
 * The trixie .debs that installing `packages` on the bare rootfs needs (the packages and whichever of
 * their dependencies the rootfs lacks), downloaded once with apt inside a chroot of the rootfs and
 * cached; a killed download never leaves a half folder (temporary name, then rename).
 */
export async function ensureLabDebs(packages: string[]): Promise<string[]> {
  const names = [...packages].sort()
  const cache = join(dirname(ROOTFS_TARBALL), `trixie-debs-${names.join('+')}`)
  if (existsSync(cache)) return debsIn(cache)
  const tarball = await ensureRootfsTarball()
  const work = mkdtempSync(join(dirname(ROOTFS_TARBALL), 'debs-build-'))
  try {
    const root = join(work, 'root')
    mkdirSync(root)
    execFileSync('tar', ['-C', root, '--numeric-owner', '-xf', tarball])
    copyFileSync('/etc/resolv.conf', join(root, 'etc/resolv.conf'))
    // `clean` first: the archive folder then holds exactly what these packages add to the rootfs.
    execFileSync(
      'chroot',
      [
        root,
        'sh',
        '-c',
        `apt-get clean && apt-get update -qq && apt-get install --download-only -y -qq --no-install-recommends ${names.join(' ')}`
      ],
      {
        env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', DEBIAN_FRONTEND: 'noninteractive' },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 10 * 60_000
      }
    )
    const partial = join(work, 'debs')
    mkdirSync(partial)
    for (const deb of debsIn(join(root, 'var/cache/apt/archives'))) copyFileSync(deb, join(partial, basename(deb)))
    renameSync(partial, cache)
    return debsIn(cache)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** One Packages stanza: the .deb's control fields plus where it is and its checksum. */
function packagesStanza(deb: string): string {
  const control = execFileSync('dpkg-deb', ['-f', deb], { encoding: 'utf8' }).trimEnd()
  const sha256 = createHash('sha256').update(readFileSync(deb)).digest('hex')
  return `${control}\nFilename: ./${basename(deb)}\nSize: ${statSync(deb).size}\nSHA256: ${sha256}\n`
}

/**
 * Puts `debs` in a flat apt repository inside the lab and makes it the lab's only source (the
 * rootfs's own mirror is unreachable without a network), then runs apt-get update.
 */
export async function addLocalAptRepo(lab: FieldLab, debs: string[]): Promise<void> {
  for (const deb of debs) await lab.copyIn(deb, `${REPO_IN_LAB}/${basename(deb)}`)
  const packages = debs.map(packagesStanza).join('\n')
  const release = 'Origin: field-lab\nLabel: field-lab\nSuite: field-lab\nCodename: field-lab\n'
  const setup = [
    `cat > ${REPO_IN_LAB}/Packages`,
    `printf '%s' '${release}' > ${REPO_IN_LAB}/Release`,
    'mv /etc/apt/sources.list /etc/apt/sources.list.unreachable 2>/dev/null || true',
    `echo 'deb [trusted=yes] file:${REPO_IN_LAB} ./' > /etc/apt/sources.list.d/field-lab.list`,
    'apt-get update -qq'
  ].join(' && ')
  const r = await lab.exec(setup, { input: packages, timeoutMs: 120_000 })
  if (r.code !== 0) throw new Error(`setting up the lab's local apt repository failed: ${r.stdout}${r.stderr}`)
}
