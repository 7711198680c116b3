// Closing the HTTP server quickly under keep-alive traffic. Node's server.close() closes the
// sockets that are idle at that moment, but a socket whose request is still in flight is kept
// alive after its response (Fastify's keepAliveTimeout is 72 s), so close() waited for it until
// the forced exit. Here: responses still in flight get `Connection: close`, sockets that become
// idle are closed as soon as they do, and whatever is left after the grace period is cut.
import type { Server, ServerResponse } from 'node:http'

/** How often sockets that became idle since close() are closed. */
const IDLE_SWEEP_MS = 50

export interface ConnectionDrain {
  /** Starts draining: call right before the server is closed; returns a function to stop the sweep. */
  begin(graceMs: number): () => void
}

export function trackConnections(server: Server): ConnectionDrain {
  const inFlight = new Set<ServerResponse>()
  let draining = false
  const closeAfterResponse = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close')
  }
  server.on('request', (_req, res: ServerResponse) => {
    if (draining) closeAfterResponse(res)
    inFlight.add(res)
    res.once('close', () => inFlight.delete(res))
  })
  return {
    begin(graceMs) {
      draining = true
      for (const res of inFlight) closeAfterResponse(res)
      server.closeIdleConnections()
      const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS)
      // A request that takes longer than the grace period is cut rather than holding the exit.
      const cut = setTimeout(() => server.closeAllConnections(), graceMs)
      sweep.unref()
      cut.unref()
      return () => {
        clearInterval(sweep)
        clearTimeout(cut)
      }
    }
  }
}
