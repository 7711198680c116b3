// `patchmon health`, the container image's HEALTHCHECK: a real process asking a real listening
// server, and the same command when nothing listens. It never creates a data folder.
import t from 'tap'
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildTestApp } from './helpers/test-app.js'
import { freePort } from './packaging/run-binary.js'

const TSX = join(__dirname, '../node_modules/.bin/tsx')
const MAIN = join(__dirname, '../src/main.ts')

/** Runs the CLI without blocking this process's event loop (the server under test lives here). */
function health(cwd: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const { PATH = '/usr/bin:/bin', HOME = tmpdir() } = process.env
    execFile(TSX, [MAIN, 'health'], { cwd, env: { PATH, HOME, ...env }, encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr })
    )
  })
}

t.test('health exits 0 with the body of /health when the server answers, 1 with the reason when not', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'patchmon-health-'))
  t.teardown(() => rmSync(cwd, { recursive: true, force: true }))
  const ctx = await buildTestApp(t)
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const address = ctx.app.server.address()
  const port = typeof address === 'object' && address ? address.port : 0

  // HOST=0.0.0.0 (the image's) is reached through loopback.
  const up = await health(cwd, { PORT: String(port), HOST: '0.0.0.0' })
  t.equal(up.code, 0, up.stderr)
  t.match(up.stdout, new RegExp(`^http://127\\.0\\.0\\.1:${port}/health: 200 \\{"status":"ok"`))

  const closed = await freePort()
  const down = await health(cwd, { PORT: String(closed) })
  t.equal(down.code, 1)
  t.match(down.stderr, new RegExp(`^patchmon: http://127\\.0\\.0\\.1:${closed}/health: .*ECONNREFUSED`))
  t.same(readdirSync(cwd), [], 'no data folder, no generated keys')
})
