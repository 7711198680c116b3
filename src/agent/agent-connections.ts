// Registry of live agent channels (WebSockets and held HTTP long-polls), one app-wide instance
// (app.agentConnections). Other features read the state (host lists, host-down hints) and
// subscribe to connects and disconnects; nothing here decides that a host is down — report
// recency does that elsewhere.
import type { WebSocket } from 'ws'

/** Upstream's keep-alive: ping every 30 s, drop a link silent for 90 s. */
export const PING_EVERY_MS = 30_000
export const SILENCE_LIMIT_MS = 90_000
/**
 * Open links of one kind per host credential (hardening: one key cannot hold 500 sockets). A
 * reconnecting agent briefly overlaps its old socket, so WebSockets get a little room; a shell
 * agent holds one poll at a time. Past the cap the oldest link is closed.
 */
export const MAX_LINKS_PER_HOST: Record<AgentLinkKind, number> = { websocket: 3, poll: 1 }
/** Close code for a link pushed out by a newer one of the same host. */
export const REPLACED_CLOSE_CODE = 4002

export type AgentLinkKind = 'websocket' | 'poll'

/** What the registry needs from a channel, whatever carries it. */
export interface AgentLink {
  readonly kind: AgentLinkKind
  isOpen(): boolean
  send(text: string): void
  /** Transport keep-alive (a WebSocket ping); a poll needs none. */
  ping(): void
  terminate(): void
  close(code: number, reason: string): void
  /**
   * What the agent on this link says it can do (our shell agent sends `X-PatchMon-Capabilities`
   * on every poll, e.g. run_patch, reboot_host); stock agents announce nothing.
   */
  readonly capabilities?: ReadonlySet<string>
}

/** A `ws` socket as an AgentLink. */
export function webSocketLink(socket: WebSocket): AgentLink {
  return {
    kind: 'websocket',
    isOpen: () => socket.readyState === socket.OPEN,
    send: (text) => socket.send(text),
    ping: () => socket.ping(),
    terminate: () => socket.terminate(),
    close: (code, reason) => socket.close(code, reason)
  }
}

export interface ServerToAgentMessage {
  type: string
  [key: string]: unknown
}

export interface AgentConnectionState {
  hostId: string
  connected: boolean
  /** Open links of this host (a reconnect may briefly overlap the old one). */
  connections: number
  /** How the agent is connected: WebSocket, held HTTP poll, or both during a switch. */
  transports: AgentLinkKind[]
  connectedAt: string | null
  lastSeenAt: string | null
}

export interface Connection {
  hostId: string
  link: AgentLink
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

  /** Registers a link; past the per-host cap for its kind the oldest links are closed and dropped. */
  add(hostId: string, link: AgentLink): Connection {
    const now = this.clock()
    const conn: Connection = { hostId, link, connectedAt: now, lastSeenAt: now }
    const set = this.byHost.get(hostId) ?? new Set<Connection>()
    const first = set.size === 0
    set.add(conn)
    this.byHost.set(hostId, set)
    // A Set iterates in insertion order, so the first links of this kind are the oldest.
    const sameKind = [...set].filter((c) => c.link.kind === link.kind)
    for (const old of sameKind.slice(0, Math.max(0, sameKind.length - MAX_LINKS_PER_HOST[link.kind]))) {
      // Dropped from the registry at once, so a burst of connects never counts more than the cap
      // while the old link's close handshake runs.
      set.delete(old)
      old.link.close(REPLACED_CLOSE_CODE, 'replaced by a newer connection')
    }
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
    if (!set || set.size === 0) return { hostId, connected: false, connections: 0, transports: [], connectedAt: null, lastSeenAt: null }
    const conns = [...set]
    return {
      hostId,
      connected: true,
      connections: conns.length,
      transports: [...new Set(conns.map((c) => c.link.kind))].sort(),
      connectedAt: new Date(Math.min(...conns.map((c) => c.connectedAt))).toISOString(),
      lastSeenAt: new Date(Math.max(...conns.map((c) => c.lastSeenAt))).toISOString()
    }
  }

  isConnected(hostId: string): boolean {
    return (this.byHost.get(hostId)?.size ?? 0) > 0
  }

  /** The union of the capabilities announced on the host's open links (empty when none). */
  capabilities(hostId: string): Set<string> {
    const out = new Set<string>()
    for (const conn of this.byHost.get(hostId) ?? []) {
      if (!conn.link.isOpen()) continue
      for (const capability of conn.link.capabilities ?? []) out.add(capability)
    }
    return out
  }

  connectedHostIds(): string[] {
    return [...this.byHost.keys()]
  }

  /** Sends a JSON message to every open link of the host; returns how many got it. */
  send(hostId: string, message: ServerToAgentMessage): number {
    const text = JSON.stringify(message)
    let delivered = 0
    for (const conn of this.byHost.get(hostId) ?? []) {
      if (!conn.link.isOpen()) continue
      conn.link.send(text)
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
        if (now - conn.lastSeenAt > SILENCE_LIMIT_MS) conn.link.terminate()
        else if (conn.link.isOpen()) conn.link.ping()
      }
    }
  }

  /** Closes every link of a host (deleted host, revoked credentials). */
  disconnect(hostId: string, reason = 'host removed'): void {
    for (const conn of this.byHost.get(hostId) ?? []) conn.link.close(4001, reason)
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
