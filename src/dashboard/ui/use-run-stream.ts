// Follows one patch run over GET /api/v1/patching/runs/{id}/stream (a WebSocket; the session
// cookie authenticates it like any other same-origin request): the snapshot replaces what we
// have, chunks append, `done` settles the status. A link that drops before `done` is reopened
// (its snapshot carries everything missed), a few times, then the page falls back to reloading.
import { useEffect, useState } from 'preact/hooks'
import type { StreamFrame } from './patching-types'

export interface RunStream {
  /** connecting → live → done; `lost` when the link could not be kept. */
  state: 'connecting' | 'live' | 'done' | 'lost'
  output: string
  /** The run's status as the stream last told it (undefined before the snapshot). */
  stage: string | undefined
  errorMessage: string | null
}

const RETRIES = 5
const RETRY_MS = 1500

export function streamUrl(runId: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${location.host}/api/v1/patching/runs/${encodeURIComponent(runId)}/stream`
}

function parseFrame(data: unknown): StreamFrame | null {
  if (typeof data !== 'string') return null
  try {
    const frame = JSON.parse(data) as StreamFrame
    return typeof frame === 'object' && frame !== null && typeof frame.type === 'string' ? frame : null
  } catch {
    return null
  }
}

export function useRunStream(runId: string): RunStream {
  const [stream, setStream] = useState<RunStream>({ state: 'connecting', output: '', stage: undefined, errorMessage: null })
  useEffect(() => {
    let socket: WebSocket | undefined
    let timer: ReturnType<typeof setTimeout> | undefined
    let finished = false
    let attempts = 0
    setStream({ state: 'connecting', output: '', stage: undefined, errorMessage: null })
    const open = () => {
      attempts += 1
      socket = new WebSocket(streamUrl(runId))
      socket.onmessage = (event) => {
        const frame = parseFrame(event.data)
        if (!frame) return
        if (frame.type === 'snapshot') {
          attempts = 0
          setStream({ state: 'live', output: frame.shell_output ?? '', stage: frame.stage, errorMessage: frame.error_message || null })
        } else if (frame.type === 'chunk') {
          setStream((s) => ({ ...s, state: 'live', output: s.output + (frame.chunk ?? ''), stage: 'running' }))
        } else if (frame.type === 'started') {
          setStream((s) => ({ ...s, state: 'live', stage: 'running' }))
        } else if (frame.type === 'done') {
          finished = true
          setStream((s) => ({ ...s, state: 'done', stage: frame.stage ?? s.stage, errorMessage: frame.error_message || s.errorMessage }))
        }
      }
      socket.onclose = () => {
        if (finished) return
        if (attempts >= RETRIES) return setStream((s) => ({ ...s, state: 'lost' }))
        timer = setTimeout(open, RETRY_MS)
      }
    }
    open()
    return () => {
      finished = true
      if (timer) clearTimeout(timer)
      socket?.close()
    }
  }, [runId])
  return stream
}
