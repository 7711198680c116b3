// `patchmon health`: asks the server running on this machine for GET /health over loopback and
// exits 0 only when it answers 200. The container image's HEALTHCHECK runs it (the image has no
// shell or curl). Reads PORT and HOST like `serve`, and nothing else: no data folder, no secrets.
import type { Source } from './config/setting.js'

const TIMEOUT_MS = 5_000

/** Where a server started with this HOST is reached from the same machine. */
function loopbackFor(host: string | undefined): string {
  if (!host || host === '0.0.0.0') return '127.0.0.1'
  if (host === '::' || host === '[::]') return '[::1]'
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
}

export interface HealthProbe {
  healthy: boolean
  /** What to print: the server's /health body, or why it could not be read. */
  line: string
}

export async function probeHealth(env: Source, flags: Source): Promise<HealthProbe> {
  const port = flags['--port'] ?? env.PORT ?? '3000'
  const url = `http://${loopbackFor(flags['--host'] ?? env.HOST)}:${port}/health`
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) })
    const body = (await res.text()).trim()
    return { healthy: res.status === 200, line: `${url}: ${res.status} ${body}` }
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : err instanceof Error ? err.message : String(err)
    return { healthy: false, line: `${url}: ${cause}` }
  }
}
