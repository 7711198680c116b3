// Which packages a run touched, read from its output (facts/patching.md §2.3): a dry run lists what
// apt would install (`Inst <pkg>`), dnf/yum's transaction table, or FreeBSD pkg's "to be upgraded"
// section; a real run lists apt's `Unpacking`/`Setting up`, dnf/yum's `Upgrading : name-ver.arch`,
// pkg's `[n/m] Upgrading name from ...` lines, and `freebsd-base` when freebsd-update installed updates.
// Architecture suffixes (`:amd64`, `.x86_64`) are stripped.

const ARCHES = ['x86_64', 'noarch', 'aarch64', 'i686', 'i386', 'armv7hl', 'ppc64le', 's390x', 'src']

function bareName(name: string): string {
  const noColon = name.replace(/:(amd64|arm64|i386|armhf|all|ppc64el|s390x)$/, '')
  for (const arch of ARCHES) if (noColon.endsWith(`.${arch}`)) return noColon.slice(0, -(arch.length + 1))
  return noColon
}

/** dnf/yum's `name-version-release.arch` → name (the version starts at the first `-<digit>`). */
function rpmName(nevra: string): string {
  const bare = bareName(nevra)
  const m = /^(.+?)-\d[^-]*-[^-]+$/.exec(bare)
  return m ? (m[1] as string) : bare.replace(/-\d.*$/, '')
}

export function packagesAffected(output: string, dryRun: boolean): string[] {
  const found = new Set<string>()
  let inPkgSection = false
  for (const raw of output.split('\n')) {
    const line = raw.trimEnd()
    let m: RegExpExecArray | null
    if (dryRun) {
      if ((m = /^Inst (\S+)/.exec(line))) found.add(bareName(m[1] as string))
      if (/to be (upgraded|installed|reinstalled):\s*$/i.test(line)) {
        inPkgSection = true
        continue
      }
      if (inPkgSection) {
        if ((m = /^\s+(\S+?)(?::| \(|-\d)/.exec(raw))) found.add(m[1] as string)
        else if (line.trim() === '') inPkgSection = false
      }
      if ((m = /^\s(?:Upgrading|Installing|Updating)\s*:?\s+(\S+)\s+\S+\s+\S+/.exec(raw)) && !/^\s(Upgrading|Installing):\s*$/.test(raw)) {
        const name = (m[1] as string).replace(/:$/, '')
        if (name && name !== ':') found.add(bareName(name))
      }
    } else {
      if ((m = /^(?:Unpacking|Setting up) (\S+)/.exec(line))) found.add(bareName(m[1] as string))
      if ((m = /^\s*(?:Upgrading|Installing|Updating|Upgraded|Installed)\s*:\s+(\S+)/.exec(line))) found.add(rpmName(m[1] as string))
      if ((m = /^\[\d+\/\d+\] (?:Upgrading|Installing|Reinstalling) (\S+?)(?: from| to|-\d|:)/.exec(line))) found.add(m[1] as string)
    }
  }
  // freebsd-update prints this while installing base-system updates.
  if (!dryRun && /^\$ freebsd-update install/m.test(output) && /Installing updates\.\.\./.test(output)) found.add('freebsd-base')
  return [...found].filter(Boolean).sort()
}
