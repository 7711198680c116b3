// The data folder: where it is (flag, env, systemd's STATE_DIRECTORY, ./data), proving it writable
// before anything is written there, and the secrets generated in it on first start.
import { randomBytes, createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { ConfigError, type Source } from './setting.js'

/** An absolute data-folder path; relative ones are taken from the working folder. */
export const absoluteFrom = (path: string, cwd: string): string => (isAbsolute(path) ? path : resolve(cwd, path))

/** systemd's StateDirectory= exports STATE_DIRECTORY; an explicit setting still wins over it. */
export function defaultDataDir(env: Source, cwd: string): string {
  return absoluteFrom(env.STATE_DIRECTORY?.split(':')[0] ?? './data', cwd)
}

/** 64 hex characters are used as the raw key; anything else is stretched with SHA-256. */
export function keyFromString(raw: string): Buffer {
  const v = raw.trim()
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, 'hex')
  return createHash('sha256').update(v, 'utf8').digest()
}

/** Reads a generated secret from the data folder, creating it (mode 0600) on first use. */
export function generatedSecret(dataDir: string, file: string): string {
  const path = join(dataDir, file)
  if (existsSync(path)) return readFileSync(path, 'utf8').trim()
  const value = randomBytes(32).toString('hex')
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, value + '\n', { mode: 0o600 })
  renameSync(tmp, path) // atomic: two processes starting together never see a half-written key
  chmodSync(path, 0o600)
  return readFileSync(path, 'utf8').trim()
}

/** One sentence for a file-system error on `path`, without our temp file names. */
function fsCause(code: string | undefined, path: string): string {
  if (code === 'EROFS') return `${path} is on a read-only file system (EROFS)`
  if (code === 'EACCES' || code === 'EPERM') {
    const me = userInfo()
    return `user ${me.username} (uid ${me.uid}) may not write in ${path} (${code}); give the folder to that user or choose another`
  }
  if (code === 'ENOSPC') return `the disk holding ${path} is full (ENOSPC)`
  if (code === 'ENOTDIR' || code === 'EEXIST') return `${path} is in the way and is not a folder (${code})`
  return `${path}: ${code ?? 'error'}`
}

/** Error code of creating a file in `dir`, or undefined when that works. */
function writeProblem(dir: string): string | undefined {
  const probe = join(dir, `.patchmon-write-test-${process.pid}`)
  try {
    writeFileSync(probe, '', { flag: 'wx', mode: 0o600 })
    rmSync(probe, { force: true })
    return undefined
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'error'
  }
}

/**
 * Creates the data folder and proves it writable before anything is written there, so a refusal
 * names the setting and the real cause: Node's recursive mkdir reports ENOENT where a parent is
 * read-only, and a failed key write would otherwise show a raw "EACCES ... jwt-secret.123.tmp".
 */
export function ensureDataDir(dataDir: string, setting: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o750 })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    let ancestor = dirname(dataDir)
    while (!existsSync(ancestor) && dirname(ancestor) !== ancestor) ancestor = dirname(ancestor)
    // The nearest folder that exists is where creating failed: its own error is the real cause.
    const atAncestor = writeProblem(ancestor)
    throw new ConfigError(
      `Invalid ${setting}: cannot create ${dataDir}: ${atAncestor ? fsCause(atAncestor, ancestor) : fsCause(code, dataDir)}`
    )
  }
  const problem = writeProblem(dataDir)
  if (problem) throw new ConfigError(`Invalid ${setting}: cannot write in ${dataDir}: ${fsCause(problem, dataDir)}`)
}
