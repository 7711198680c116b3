// The long-poll side of the live channel: agents whose curl cannot speak WebSocket (bookworm, RHEL 9)
// hold `GET /api/v1/agents/poll` open instead. One PollChannel per host outlives the single
// requests, so the host stays "connected" in the registry between two polls (no connect/disconnect
// flapping every 25 s) and a command sent in that gap waits for the next poll.
import type { ServerResponse } from 'node:http'
import type { AgentConnections, AgentLink, Connection, ServerToAgentMessage } from './agent-connections.js'
import { REPLACED_CLOSE_CODE } from './agent-connections.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'

/** What a poll request ends with: the commands (200), nothing (204) or an error. */
export type PollOutcome =
  { status: 200; body: { commands: ServerToAgentMessage[] } } | { status: 204 } | { status: 409 | 503; body: { error: string } }

interface Held {
  finish: (outcome: PollOutcome) => void
  gone: () => boolean
  timer: NodeJS.Timeout
}

/** Commands kept for an agent between polls; older ones are dropped past this. */
const MAX_QUEUED = 32
export const REPLACED_POLL = ERROR_MESSAGES.agentChannel.replacedPoll.message
export const SHUTTING_DOWN = ERROR_MESSAGES.agentChannel.shuttingDown.message

export function errorBody(error: string): { error: string } {
  return { error }
}

export class PollChannel implements AgentLink {
  readonly kind = 'poll' as const
  /** Refreshed from each poll's X-PatchMon-Capabilities header (agent-poll-routes.ts). */
  capabilities: ReadonlySet<string> = new Set()
  private held: Held | null = null
  private queue: string[] = []
  private closed = false
  private flushScheduled = false
  private readonly conn: Connection

  constructor(
    readonly hostId: string,
    private readonly registry: AgentConnections,
    private readonly onClosed: (channel: PollChannel) => void
  ) {
    this.conn = registry.add(hostId, this)
  }

  /**
   * Holds one poll request until a command arrives or `waitMs` passes. A poll already held for
   * this host is answered 409 (so two agents sharing a key back off instead of spinning).
   * `gone` reports whether the client has hung up.
   */
  attach(waitMs: number, gone: () => boolean): Promise<PollOutcome> {
    this.registry.seen(this.conn)
    this.held?.finish({ status: 409, body: errorBody(REPLACED_POLL) })
    return new Promise<PollOutcome>((resolve) => {
      const held: Held = {
        gone,
        timer: setTimeout(() => held.finish({ status: 204 }), waitMs),
        finish: (outcome) => {
          if (this.held !== held) return
          this.held = null
          clearTimeout(held.timer)
          this.registry.seen(this.conn)
          resolve(outcome)
        }
      }
      this.held = held
      if (this.queue.length > 0) this.scheduleFlush()
    })
  }

  /** The client hung up while its poll was held: queued commands wait for the next poll. */
  detach(): void {
    this.held?.finish({ status: 204 })
  }

  isOpen(): boolean {
    return !this.closed
  }

  send(text: string): void {
    if (this.closed) return
    this.queue.push(text)
    if (this.queue.length > MAX_QUEUED) this.queue.splice(0, this.queue.length - MAX_QUEUED)
    this.scheduleFlush()
  }

  ping(): void {
    // Nothing to do: every poll is a sign of life and the next one comes within the hold time.
  }

  terminate(): void {
    this.close(1006, 'silent')
  }

  close(code: number, _reason: string): void {
    if (this.closed) return
    this.closed = true
    this.held?.finish(code === REPLACED_CLOSE_CODE ? { status: 409, body: errorBody(REPLACED_POLL) } : { status: 204 })
    this.registry.remove(this.conn)
    this.onClosed(this)
  }

  /** Server shutdown: the agent retries with back-off until the server is back. */
  shutdown(): void {
    this.held?.finish({ status: 503, body: errorBody(SHUTTING_DOWN) })
    this.close(1001, 'shutdown')
  }

  // Messages sent in one tick (update-agent sends two) leave in one reply.
  private scheduleFlush(): void {
    if (this.flushScheduled) return
    this.flushScheduled = true
    setImmediate(() => {
      this.flushScheduled = false
      const held = this.held
      if (!held || this.queue.length === 0) return
      if (held.gone()) return void held.finish({ status: 204 })
      const commands = this.queue
      this.queue = []
      held.finish({ status: 200, body: { commands: commands.map((text) => JSON.parse(text) as ServerToAgentMessage) } })
    })
  }
}

/** The poll channels of every host, and whether the server is closing (new polls get 503 then). */
export class PollChannels {
  private readonly channels = new Map<string, PollChannel>()
  private closing = false

  constructor(private readonly registry: AgentConnections) {}

  /**
   * Holds a poll of `hostId` (see PollChannel.attach); `response` is the raw reply, whose early
   * close means the agent hung up. Answers 503 at once while the server shuts down.
   */
  async hold(hostId: string, waitMs: number, response: ServerResponse, capabilities: ReadonlySet<string>): Promise<PollOutcome> {
    if (this.closing) return { status: 503, body: errorBody(SHUTTING_DOWN) }
    let channel = this.channels.get(hostId)
    if (!channel?.isOpen()) {
      channel = new PollChannel(hostId, this.registry, (closed) => {
        if (this.channels.get(closed.hostId) === closed) this.channels.delete(closed.hostId)
      })
      this.channels.set(hostId, channel)
    }
    channel.capabilities = capabilities
    const held = channel
    const onHangUp = (): void => held.detach()
    response.once('close', onHangUp)
    const outcome = await held.attach(waitMs, () => response.destroyed)
    response.off('close', onHangUp)
    return outcome
  }

  /** Answers every held poll before the listener closes, so none keeps the server from stopping. */
  shutdown(): void {
    this.closing = true
    for (const channel of [...this.channels.values()]) channel.shutdown()
  }
}
