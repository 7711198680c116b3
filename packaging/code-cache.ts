// The single executable's warm code cache (src/sea-main.ts says why): the build starts the
// executable it has just made once, in an empty temporary data folder on a loopback port, waits
// for GET /health to answer 200, stops it, and keeps the V8 cache the process wrote on exit. That
// first start runs the migrations, creates the first admin and answers a request, so the cache
// holds everything a start (first or later) runs before its first answer.
import { spawn, type ChildProcessByStdio } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { freePort } from './free-port.js'

const START_TIMEOUT_MS = 120_000 // an arm64 build starts under qemu-user
const LISTENING = /listening on http:\/\/127\.0\.0\.1:(\d+)/

export async function warmCodeCache(command: string, args: string[]): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'patchmon-code-cache-'))
  const cacheFile = join(dir, 'app.code-cache')
  try {
    const child = spawn(command, [...args, 'serve'], {
      cwd: dir,
      env: {
        PATH: '/usr/bin:/bin',
        PATCHMON_DATA_DIR: join(dir, 'data'),
        HOST: '127.0.0.1',
        PORT: String(await freePort()),
        // Given, so the first start prints no password; the folder is deleted afterwards.
        PATCHMON_ADMIN_PASSWORD: 'code-cache-warm-start',
        PATCHMON_BUILD_CODE_CACHE_OUT: cacheFile
      },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    try {
      return await cacheFromStart(child, cacheFile)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function cacheFromStart(child: ChildProcessByStdio<null, Readable, Readable>, cacheFile: string): Promise<Buffer> {
  let output = '' // the server's log, shown when the warm start fails
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`warm start: no "listening" line within ${START_TIMEOUT_MS} ms:\n${output}`)),
      START_TIMEOUT_MS
    )
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = LISTENING.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`warm start: the executable exited with ${code} before listening:\n${output}`))
    })
  })
  const res = await fetch(`http://127.0.0.1:${port}/health`)
  await res.text()
  if (res.status !== 200) throw new Error(`warm start: GET /health answered ${res.status}`)
  child.kill('SIGTERM')
  const code = await exited
  if (code !== 0 || !existsSync(cacheFile)) throw new Error(`warm start: exit ${code}, no code cache written:\n${output}`)
  return readFileSync(cacheFile)
}
