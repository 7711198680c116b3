// The package managers' own comparisons, run in as few processes as possible so thousands of pairs stay fast:
// - dpkg: `dpkg --compare-versions` has no batch mode, so one bash process calls it once per pair, asking
//   whether the relation our code found holds (one call settles lt, eq or gt);
// - rpm: one `rpm --eval` whose Lua block reads every pair from a file and calls rpm.vercmp (rpm >= 4.16);
// - pacman: Debian's pacman-package-manager ships libalpm but not the `vercmp` program, so one python3
//   process calls alpm_pkg_vercmp (the function `vercmp` prints) from libalpm through ctypes.
// Pairs travel one a line, split by the ASCII unit separator, which no version contains.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type Pair = [string, string]
const SEP = '\x1f'

// The C locale: dpkg skips loading translations (a third of its start-up), and no tool's answer depends on it.
const ENV = { ...process.env, LC_ALL: 'C' }

function run(command: string, args: string[], input?: string): string {
  const result = spawnSync(command, args, { input, encoding: 'utf8', env: ENV, maxBuffer: 64 * 1024 * 1024 })
  if (result.error) throw result.error
  if (result.status !== 0) throw new Error(`${command} exited ${result.status}: ${result.stderr.slice(0, 500)}`)
  return result.stdout
}

const has = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0

/** Why the dpkg comparison cannot run here, or undefined when it can. */
export const dpkgMissing = (): string | undefined => (has('dpkg') ? undefined : 'dpkg is not installed')

/** Why the rpm comparison cannot run here (.ci/run installs rpm), or undefined when it can. */
export const rpmMissing = (): string | undefined => (has('rpm') ? undefined : 'rpm is not installed (apt-get install rpm)')

const FIND_ALPM = "import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library('alpm') else 1)"

/** Why the pacman comparison cannot run here (.ci/run installs pacman-package-manager), or undefined. */
export function alpmMissing(): string | undefined {
  if (!has('python3')) return 'python3 is not installed'
  if (spawnSync('python3', ['-c', FIND_ALPM]).status !== 0) return 'libalpm is not installed (apt-get install pacman-package-manager)'
  return undefined
}

const RELATION = { '-1': 'lt', '0': 'eq', '1': 'gt' } as const

/** For each pair and our answer, whether `dpkg --compare-versions a <our relation> b` holds. */
export function dpkgConfirms(pairs: Pair[], ours: (-1 | 0 | 1)[]): boolean[] {
  const script = `while IFS="$(printf '\\037')" read -r a op b; do dpkg --compare-versions "$a" "$op" "$b" 2>/dev/null; echo $?; done`
  const input = pairs.map(([a, b], i) => `${a}${SEP}${RELATION[ours[i] as -1 | 0 | 1]}${SEP}${b}\n`).join('')
  const codes = run('bash', ['-c', script], input).trim().split('\n')
  if (codes.length !== pairs.length) throw new Error(`dpkg answered ${codes.length} of ${pairs.length} pairs`)
  return codes.map((code) => code === '0')
}

/** dpkg's own relation for one pair (for failure messages), or 'error' when it refuses a version. */
export function dpkgRelation(a: string, b: string): string {
  for (const op of ['lt', 'eq', 'gt']) {
    const status = spawnSync('dpkg', ['--compare-versions', a, op, b], { env: ENV }).status
    if (status === 0) return op
    if (status !== 1) return 'error'
  }
  return 'none'
}

/** rpm.vercmp for every pair, in one rpm process. */
export function rpmVercmp(pairs: Pair[]): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'rpm-vercmp-'))
  try {
    const file = join(dir, 'pairs')
    writeFileSync(file, pairs.map(([a, b]) => `${a}${SEP}${b}\n`).join(''))
    const lua = `local out = {} for line in io.lines("${file}") do local a, b = line:match("^(.-)\\31(.*)$") out[#out + 1] = rpm.vercmp(a, b) end print(table.concat(out, ","))`
    const answers = run('rpm', ['--eval', `%{lua: ${lua}}`])
      .trim()
      .split(',')
    if (answers.length !== pairs.length) throw new Error(`rpm answered ${answers.length} of ${pairs.length} pairs`)
    return answers.map(Number)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const ALPM_SCRIPT = `
import ctypes, ctypes.util, sys
vercmp = ctypes.CDLL(ctypes.util.find_library('alpm')).alpm_pkg_vercmp
vercmp.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
vercmp.restype = ctypes.c_int
out = []
for line in sys.stdin.buffer.read().split(b'\\n')[:-1]:
    a, b = line.split(b'\\x1f')
    out.append(str(vercmp(a, b)))
print(','.join(out))
`

/** libalpm's alpm_pkg_vercmp (what pacman's `vercmp` prints) for every pair, in one python3 process. */
export function alpmVercmp(pairs: Pair[]): number[] {
  const answers = run('python3', ['-c', ALPM_SCRIPT], pairs.map(([a, b]) => `${a}${SEP}${b}\n`).join(''))
    .trim()
    .split(',')
  if (answers.length !== pairs.length) throw new Error(`libalpm answered ${answers.length} of ${pairs.length} pairs`)
  return answers.map(Number)
}
