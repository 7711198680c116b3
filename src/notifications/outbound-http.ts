// Every outbound notification request goes through one undici dispatcher that honours
// HTTPS_PROXY / HTTP_PROXY / NO_PROXY (appliances often sit behind a proxy), with a timeout and
// our User-Agent. Tests set HTTP_PROXY to a local recording proxy, or pass their own dispatcher.
//
// The outbound policy (target-policy.ts) is enforced twice: an address written in the URL is
// checked before anything is sent (also when a proxy will carry the request), and a direct
// connection goes through the guarded connector, which resolves the name, checks every address
// and connects to the checked one. Through a proxy the proxy resolves names, so the proxy is the
// egress control for them. Redirects are never followed. Replies are read up to a small cap and
// the rest of the stream is dropped; replies from non-public addresses are not kept at all.
import type { ReadableStream } from 'node:stream/web'
import type { Dispatcher, FormData } from 'undici'
import { loadUndici } from '../http/load-undici.js'
import { USER_AGENT } from '../version.js'
import { guardedConnector, resolveAllowed, systemResolver, type Resolver } from './guarded-connector.js'
import { PUBLIC_ONLY, parseTargetAddress, type TargetPolicy } from '../security/outbound-targets.js'
import { readCappedText } from './capped-body.js'

export interface OutboundRequest {
  url: string
  /** POST unless said otherwise (Matrix sends events with PUT so a retry is idempotent). */
  method?: 'POST' | 'PUT'
  headers?: Record<string, string>
  body: string | FormData
}

export interface OutboundResponse {
  status: number
  headers: Headers
  /** The start of the reply body (at most MAX_REPLY_CHARS); empty for non-public targets. */
  text: string
  /** The target is not a public address (allow-listed or LAN): its reply is not shown anywhere. */
  internal: boolean
}

export interface OutboundStream {
  status: number
  headers: Headers
  body: ReadableStream<Uint8Array> | null
}

/** Error replies worth showing are short (Discord JSON, Slack strings); nothing more is read. */
export const MAX_REPLY_CHARS = 2000
/** UTF-8 needs at most 4 bytes per character. */
const MAX_REPLY_BYTES = MAX_REPLY_CHARS * 4
const CONNECT_TIMEOUT_MS = 10_000

export class OutboundHttp {
  private dispatcher: Dispatcher | undefined
  /** The outbound policy in force; the notifications plugin reads it from config and settings. */
  policy: () => Promise<TargetPolicy> = () => Promise.resolve(PUBLIC_ONLY)
  /** Name resolution for direct connections (tests stub it to simulate DNS rebinding). */
  resolver: Resolver = systemResolver
  /** Host names whose last direct connection was pinned to a non-public address. */
  private readonly internalHosts = new Map<string, boolean>()

  constructor(
    public timeoutMs: number,
    dispatcher?: Dispatcher
  ) {
    this.dispatcher = dispatcher
  }

  private async defaultDispatcher(): Promise<Dispatcher> {
    const { EnvHttpProxyAgent, buildConnector } = await loadUndici()
    // `connect` reaches only the direct (no-proxy) agent: ProxyAgent builds its own connectors.
    const connect = guardedConnector({
      base: buildConnector({ timeout: CONNECT_TIMEOUT_MS }),
      policy: () => this.policy(),
      resolve: () => this.resolver,
      onPinned: (hostname, target) => {
        if (this.internalHosts.size > 1000) this.internalHosts.clear()
        this.internalHosts.set(hostname.toLowerCase(), target.internal)
      }
    })
    return new EnvHttpProxyAgent({ connectTimeout: CONNECT_TIMEOUT_MS, connect })
  }

  /** An address written in the URL is judged here, before a proxy could carry the request to it. */
  private async checkLiteral(url: URL): Promise<{ hostname: string; literal: { internal: boolean } | undefined }> {
    const hostname = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
    const literal = parseTargetAddress(hostname) ? await resolveAllowed(hostname, await this.policy(), this.resolver) : undefined
    this.dispatcher ??= await this.defaultDispatcher()
    return { hostname, literal }
  }

  async post(request: OutboundRequest): Promise<OutboundResponse> {
    const { fetch } = await loadUndici()
    const url = new URL(request.url)
    const { hostname, literal } = await this.checkLiteral(url)
    const res = await fetch(url, {
      method: request.method ?? 'POST',
      headers: { 'user-agent': USER_AGENT, ...request.headers },
      body: request.body,
      dispatcher: this.dispatcher,
      redirect: 'manual',
      signal: AbortSignal.timeout(this.timeoutMs)
    })
    const internal = literal?.internal ?? this.internalHosts.get(hostname) ?? false
    const text = internal ? '' : await readCappedText(res.body, MAX_REPLY_BYTES)
    if (internal) await res.body?.cancel().catch(() => undefined)
    // undici's Headers and the global Headers are the same class at run time; only their typings differ.
    return { status: res.status, headers: res.headers as unknown as Headers, text: text.slice(0, MAX_REPLY_CHARS), internal }
  }

  /**
   * A GET under the same policy, dispatcher and no-redirect rule, with the body left as a stream for
   * the caller (the scheduled vulnerability feed download writes it to a file with its own size cap).
   * `signal` bounds the whole download, not just the headers.
   */
  async get(request: { url: string; headers?: Record<string, string>; signal: AbortSignal }): Promise<OutboundStream> {
    const { fetch } = await loadUndici()
    const url = new URL(request.url)
    await this.checkLiteral(url)
    const res = await fetch(url, {
      method: 'GET',
      headers: { 'user-agent': USER_AGENT, ...request.headers },
      dispatcher: this.dispatcher,
      redirect: 'manual',
      signal: request.signal
    })
    return { status: res.status, headers: res.headers as unknown as Headers, body: res.body }
  }

  /**
   * Resolves a host for a non-HTTP connection (SMTP) under the same policy: throws
   * TargetBlockedError, or returns the checked address to connect to.
   */
  async pinHost(hostname: string): Promise<{ address: string; internal: boolean }> {
    return resolveAllowed(hostname, await this.policy(), this.resolver)
  }

  async close(): Promise<void> {
    await this.dispatcher?.close()
  }
}
