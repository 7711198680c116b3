// A stand-in for a stock upstream 2.x agent, for the patching browser journeys: it holds the real
// agent WebSocket (/api/v1/agents/ws, X-API-ID/X-API-KEY), records the frames the server pushes
// (run_patch, patch_run_stop), and reports stages and output the way the agent does, with
// POST /api/v1/patching/runs/{id}/output (facts/patching.md §5).
import WebSocket from 'ws'
import type { TestHost } from '../helpers/agent-fixtures.js'

export interface PushedFrame {
  type: string
  patch_run_id?: string
  patch_type?: string
  dry_run?: boolean
  package_names?: string[]
  package_name?: string
  [key: string]: unknown
}

export interface StandInAgent {
  frames: PushedFrame[]
  /** Waits for the next frame of this type (and run, when given) that was not taken yet. */
  nextFrame(type: string, runId?: string): Promise<PushedFrame>
  /** POSTs one stage, as the agent does; resolves with the HTTP status. */
  report(runId: string, body: Record<string, unknown>): Promise<number>
  close(): void
}

export async function connectStandInAgent(base: string, host: TestHost): Promise<StandInAgent> {
  const headers = { 'X-Api-Id': host.apiId, 'X-Api-Key': host.apiKey }
  const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/api/v1/agents/ws`, { headers })
  const frames: PushedFrame[] = []
  const taken = new Set<PushedFrame>()
  socket.on('message', (data) => frames.push(JSON.parse(data.toString()) as PushedFrame))
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  return {
    frames,
    async nextFrame(type, runId) {
      for (let i = 0; i < 1000; i++) {
        const frame = frames.find((f) => !taken.has(f) && f.type === type && (runId === undefined || f.patch_run_id === runId))
        if (frame) {
          taken.add(frame)
          return frame
        }
        await new Promise((r) => setTimeout(r, 10))
      }
      throw new Error(`the agent received no ${type} frame${runId ? ` for run ${runId}` : ''} within 10 s`)
    },
    async report(runId, body) {
      const res = await fetch(`${base}/api/v1/patching/runs/${runId}/output`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json', 'User-Agent': 'go-resty/2.16.5' },
        body: JSON.stringify(body)
      })
      await res.text()
      return res.status
    },
    close: () => socket.close()
  }
}
