// Every outbound notification request goes through one undici dispatcher that honours
// HTTPS_PROXY / HTTP_PROXY / NO_PROXY (appliances often sit behind a proxy), with a timeout and
// our User-Agent. Tests set HTTP_PROXY to a local recording proxy, or pass their own dispatcher.
import type { Dispatcher, FormData } from 'undici'
import { loadUndici } from '../http/load-undici.js'
import { USER_AGENT } from '../version.js'

export interface OutboundRequest {
  url: string
  headers?: Record<string, string>
  body: string | FormData
}

export interface OutboundResponse {
  status: number
  headers: Headers
  text: string
}

export class OutboundHttp {
  private dispatcher: Dispatcher | undefined

  constructor(
    public timeoutMs: number,
    dispatcher?: Dispatcher
  ) {
    this.dispatcher = dispatcher
  }

  async post(request: OutboundRequest): Promise<OutboundResponse> {
    const { EnvHttpProxyAgent, fetch } = await loadUndici()
    this.dispatcher ??= new EnvHttpProxyAgent({ connectTimeout: 10_000 })
    const res = await fetch(request.url, {
      method: 'POST',
      headers: { 'user-agent': USER_AGENT, ...request.headers },
      body: request.body,
      dispatcher: this.dispatcher,
      redirect: 'manual',
      signal: AbortSignal.timeout(this.timeoutMs)
    })
    // Bodies of error replies are short (Discord JSON, Slack strings); cap what we keep anyway.
    const text = (await res.text()).slice(0, 2000)
    // undici's Headers and the global Headers are the same class at run time; only their typings differ.
    return { status: res.status, headers: res.headers as unknown as Headers, text }
  }

  async close(): Promise<void> {
    await this.dispatcher?.close()
  }
}
