// Running out of file descriptors is otherwise silent: libuv accepts and immediately closes the
// connections it has no descriptor for (clients see resets), and nothing is logged. This watches
// the count against the limit — on new connections (at most once a second) and every 10 s — and
// logs one warning a minute while the process is at the limit.
// The soft limit needs no raising here: Node raises RLIMIT_NOFILE's soft limit to the hard limit
// when it starts (src/node.cc), so the limit logged at start is the hard one; raise it with
// LimitNOFILE= in the systemd unit or `ulimit -Hn`.
import { readdirSync, readFileSync } from 'node:fs'
import type { Server } from 'node:net'
import type { FastifyBaseLogger } from 'fastify'

const SAMPLE_EVERY_MS = 10_000
const CHECK_ON_CONNECTION_EVERY_MS = 1_000
const WARN_EVERY_MS = 60_000
/** At or above limit minus this, new connections and files start failing (libuv keeps one spare). */
const HEADROOM = 8

export interface DescriptorLimits {
  soft: number
  hard: number
}

/** RLIMIT_NOFILE as /proc/self/limits shows it; undefined off Linux or when unlimited. */
export function descriptorLimits(): DescriptorLimits | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'))
    const [soft, hard] = (line ?? '').replace('Max open files', '').trim().split(/\s+/).map(Number)
    return soft !== undefined && hard !== undefined && Number.isFinite(soft) && Number.isFinite(hard) ? { soft, hard } : undefined
  } catch {
    return undefined
  }
}

/** Descriptors open now; 'exhausted' when even listing them needs one more than is left. */
export function openDescriptors(): number | 'exhausted' | undefined {
  try {
    return readdirSync('/proc/self/fd').length
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return code === 'EMFILE' || code === 'ENFILE' ? 'exhausted' : undefined
  }
}

/** Starts watching; returns a function that stops it. */
export function watchDescriptors(server: Server, log: FastifyBaseLogger, now: () => number = Date.now): () => void {
  const limits = descriptorLimits()
  if (!limits) return () => undefined
  let lastCheck = 0
  let lastWarning = -Infinity
  const check = () => {
    lastCheck = now()
    const counted = openDescriptors()
    if (counted === undefined || lastCheck - lastWarning < WARN_EVERY_MS) return
    const open = counted === 'exhausted' ? limits.soft : counted
    if (open < limits.soft - HEADROOM) return
    lastWarning = lastCheck
    log.warn(
      { openFiles: open, limit: limits.soft, hardLimit: limits.hard },
      `out of file descriptors: ${counted === 'exhausted' ? 'all' : open} open of ${limits.soft} allowed; new connections are being reset. Raise the limit (LimitNOFILE= in the systemd unit, or ulimit -n)`
    )
  }
  const onConnection = () => {
    if (now() - lastCheck >= CHECK_ON_CONNECTION_EVERY_MS) check()
  }
  server.on('connection', onConnection)
  const timer = setInterval(check, SAMPLE_EVERY_MS)
  timer.unref()
  return () => {
    clearInterval(timer)
    server.off('connection', onConnection)
  }
}
