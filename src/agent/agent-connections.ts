// Registry of live agent WebSockets, one app-wide instance (app.agentConnections).
// Other features read the state (host lists, host-down hints) and subscribe to connects and
// disconnects; nothing here decides that a host is down — report recency does that elsewhere.
import type { WebSocket } from 'ws'

/** Upstream's keep-alive: ping every 30 s, drop a link silent for 90 s. */
export const PING_EVERY_MS = 30_000
export const SILENCE_LIMIT_MS = 90_000

export interface ServerToAgentMessage {
  type: string
  [key: string]: unknown
}

export interface AgentConnectionState {
  hostId: string
  connected: boolean
  /** Open sockets of this host (a reconnect may briefly overlap the old one). */
  connections: number
  connectedAt: string | null
  lastSeenAt: string | null
}

interface Connection {
  hostId: string
  socket: WebSocket
  connectedAt: number
  lastSeenAt: number
}

type Listener = (hostId: string) => void

export class AgentConnections {
  /** Time source for connect times and the silence limit; tests replace it. */
  clock: () => number = Date.now
  private readonly byHost = new Map<string, Set<Connection>>()
  private readonly connectListeners = new Set<Listener>()
  private readonly disconnectListeners = new Set<Listener>()

  constructor(private readonly onListenerError: (err: unknown) => void) {}

  add(hostId: string, socket: WebSocket): Connection {
    const now = this.clock()
    const conn: Connection = { hostId, socket, connectedAt: now, lastSeenAt: now }
    const set = this.byHost.get(hostId) ?? new Set<Connection>()
    const first = set.size === 0
    set.add(conn)
    this.byHost.set(hostId, set)
    if (first) this.notify(this.connectListeners, hostId)
    return conn
  }

  remove(conn: Connection): void {
    const set = this.byHost.get(conn.hostId)
    if (!set?.delete(conn)) return
    if (set.size === 0) {
      this.byHost.delete(conn.hostId)
      this.notify(this.disconnectListeners, conn.hostId)
    }
  }

  seen(conn: Connection): void {
    conn.lastSeenAt = this.clock()
  }

  state(hostId: string): AgentConnectionState {
    const set = this.byHost.get(hostId)
    if (!set || set.size === 0) return { hostId, connected: false, connections: 0, connectedAt: null, lastSeenAt: null }
    const conns = [...set]
    return {
      hostId,
      connected: true,
      connections: conns.length,
      connectedAt: new Date(Math.min(...conns.map((c) => c.connectedAt))).toISOString(),
      lastSeenAt: new Date(Math.max(...conns.map((c) => c.lastSeenAt))).toISOString()
    }
  }

  isConnected(hostId: string): boolean {
    return (this.byHost.get(hostId)?.size ?? 0) > 0
  }

  connectedHostIds(): string[] {
    return [...this.byHost.keys()]
  }

  /** Sends a JSON text frame to every socket of the host; returns how many got it. */
  send(hostId: string, message: ServerToAgentMessage): number {
    const text = JSON.stringify(message)
    let delivered = 0
    for (const conn of this.byHost.get(hostId) ?? []) {
      if (conn.socket.readyState !== conn.socket.OPEN) continue
      conn.socket.send(text)
      delivered++
    }
    return delivered
  }

  broadcast(message: ServerToAgentMessage): number {
    let delivered = 0
    for (const hostId of this.byHost.keys()) delivered += this.send(hostId, message)
    return delivered
  }

  /** One keep-alive round: terminate links silent for too long, ping the others. */
  keepAlive(): void {
    const now = this.clock()
    for (const set of this.byHost.values()) {
      for (const conn of set) {
        if (now - conn.lastSeenAt > SILENCE_LIMIT_MS) conn.socket.terminate()
        else if (conn.socket.readyState === conn.socket.OPEN) conn.socket.ping()
      }
    }
  }

  /** Closes every socket of a host (deleted host, revoked credentials). */
  disconnect(hostId: string, reason = 'host removed'): void {
    for (const conn of this.byHost.get(hostId) ?? []) conn.socket.close(4001, reason)
  }

  onConnect(listener: Listener): () => void {
    this.connectListeners.add(listener)
    return () => this.connectListeners.delete(listener)
  }

  onDisconnect(listener: Listener): () => void {
    this.disconnectListeners.add(listener)
    return () => this.disconnectListeners.delete(listener)
  }

  private notify(listeners: Set<Listener>, hostId: string): void {
    for (const listener of listeners) {
      try {
        listener(hostId)
      } catch (err) {
        this.onListenerError(err)
      }
    }
  }
}
