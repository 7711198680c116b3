// A throwaway PostgreSQL for the import tests: Debian's postgresql package (installed by .ci/run),
// a cluster in a temp folder started by an unprivileged user (`nobody` when the suite runs as root,
// since initdb refuses root), listening on a free loopback port with password auth and no Unix
// socket. Removed when the test ends.
import { spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

export const PG_PASSWORD = 'upstream-db-password-7c1e'

/** The bin folder of the newest installed PostgreSQL, or undefined. */
export function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] ? join(root, versions[0], 'bin') : undefined
}

/** Why these tests cannot run here, or undefined when they can. */
export function postgresUnavailable(): string | undefined {
  if (!postgresBin()) return 'PostgreSQL is not installed (apt-get install postgresql; .ci/run does)'
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'nobody']).status !== 0) return 'running as root without a nobody user'
  return undefined
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

export interface UpstreamPostgres {
  port: number
  /** A URL for a database of this cluster (created by createDatabase). */
  url(database: string): string
  createDatabase(name: string): Promise<string>
  /** Runs SQL as the cluster's superuser in one database. */
  exec(database: string, sql: string, values?: unknown[]): Promise<pg.QueryResult>
}

function run(bin: string, args: string[], asNobody: boolean): void {
  const cmd = asNobody ? 'runuser' : join(bin, args[0] as string)
  const argv = asNobody ? ['-u', 'nobody', '--', join(bin, args[0] as string), ...args.slice(1)] : args.slice(1)
  const res = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 120_000 })
  if (res.status !== 0) throw new Error(`${args[0]} failed (${res.status}): ${res.stderr || res.stdout}`)
}

/** `owner.teardown` stops the cluster and removes its folder (a tap Test, or the benchmark's own list). */
export async function startUpstreamPostgres(t: { teardown(fn: () => void): void }): Promise<UpstreamPostgres> {
  const bin = postgresBin() as string
  const asNobody = process.getuid?.() === 0
  const dir = mkdtempSync(join(tmpdir(), 'patchmon-upstream-pg-'))
  chmodSync(dir, 0o755)
  const data = join(dir, 'data')
  const pwfile = join(dir, 'pwfile')
  writeFileSync(pwfile, `${PG_PASSWORD}\n`, { mode: 0o600 })
  if (asNobody) {
    const { uid, gid } = { uid: Number(spawnSync('id', ['-u', 'nobody']).stdout), gid: Number(spawnSync('id', ['-g', 'nobody']).stdout) }
    chownSync(dir, uid, gid)
    chownSync(pwfile, uid, gid)
  }
  const port = await freePort()
  let started = false
  t.teardown(() => {
    if (started)
      spawnSync(
        asNobody ? 'runuser' : join(bin, 'pg_ctl'),
        [...(asNobody ? ['-u', 'nobody', '--', join(bin, 'pg_ctl')] : []), 'stop', '-D', data, '-m', 'immediate', '-w'],
        { timeout: 60_000 }
      )
    rmSync(dir, { recursive: true, force: true })
  })
  run(
    bin,
    ['initdb', '-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-instructions'],
    asNobody
  )
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off -c shared_buffers=16MB`
  run(bin, ['pg_ctl', 'start', '-D', data, '-w', '-t', '60', '-l', join(dir, 'server.log'), '-o', options], asNobody)
  started = true
  const url = (database: string) => `postgresql://postgres:${PG_PASSWORD}@127.0.0.1:${port}/${database}`
  const exec = async (database: string, sql: string, values?: unknown[]) => {
    const client = new pg.Client({ connectionString: url(database) })
    await client.connect()
    try {
      return await client.query(sql, values)
    } finally {
      await client.end()
    }
  }
  return {
    port,
    url,
    exec,
    async createDatabase(name) {
      await exec('postgres', `CREATE DATABASE ${name}`)
      return url(name)
    }
  }
}
