// A local stand-in for Discord, Slack, ntfy, Gotify and any webhook: an HTTP server on 127.0.0.1
// that records every request (also when used as the HTTP proxy, where the URL is absolute) and
// answers with scripted replies: 200/204/401/404/429/500, or hangs. Tests never leave loopback.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedPart {
  name: string
  filename?: string
  contentType?: string
  content: string
}

export interface RecordedRequest {
  method: string
  /** As received: absolute (`http://discord.com/api/webhooks/…`) when the receiver acts as a proxy. */
  url: string
  headers: IncomingMessage['headers']
  body: string
  json?: unknown
  parts?: RecordedPart[]
  /** The status it was (or, for a delayed reply, will be) answered with; undefined when left hanging. */
  replyStatus?: number
}

export interface ScriptedReply {
  status: number
  headers?: Record<string, string>
  body?: string
  /** Never answer (the client's timeout must fire). */
  hang?: boolean
  /** Answer after this many milliseconds. */
  delayMs?: number
}

export interface WebhookReceiver {
  url: string
  port: number
  requests: RecordedRequest[]
  /** Replies used in order for the next requests; afterwards `fallback`. */
  script(...replies: ScriptedReply[]): void
  fallback: ScriptedReply
  /** Stops accepting connections (the receiver is "down") until start() again on the same port. */
  stop(): Promise<void>
  start(): Promise<void>
  close(): Promise<void>
}

export function parseMultipart(body: Buffer, contentType: string): RecordedPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType)
  const marker = boundary?.[1] ?? boundary?.[2]
  if (!marker) return []
  const parts: RecordedPart[] = []
  for (const chunk of body.toString('utf8').split(`--${marker}`).slice(1)) {
    if (chunk.startsWith('--')) break
    const split = chunk.indexOf('\r\n\r\n')
    if (split < 0) continue
    const head = chunk.slice(0, split)
    const content = chunk.slice(split + 4).replace(/\r\n$/, '')
    const name = /name="([^"]*)"/.exec(head)?.[1] ?? ''
    const filename = /filename="([^"]*)"/.exec(head)?.[1]
    const type = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]
    parts.push({ name, content, ...(filename !== undefined ? { filename } : {}), ...(type ? { contentType: type } : {}) })
  }
  return parts
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: RecordedRequest[] = []
  const queue: ScriptedReply[] = []
  const hanging = new Set<ServerResponse>()
  let server: Server
  let port = 0

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks)
      const body = raw.toString('utf8')
      const type = String(req.headers['content-type'] ?? '')
      const record: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body }
      if (type.includes('application/json')) {
        try {
          record.json = JSON.parse(body)
        } catch {
          // kept as text
        }
      }
      if (type.includes('multipart/form-data')) record.parts = parseMultipart(raw, type)
      const reply = queue.shift() ?? receiver.fallback
      if (!reply.hang) record.replyStatus = reply.status
      requests.push(record)
      if (reply.hang) {
        hanging.add(res)
        return
      }
      const answer = () => {
        res.writeHead(reply.status, reply.headers ?? {})
        res.end(reply.body ?? '')
      }
      if (reply.delayMs) setTimeout(answer, reply.delayMs)
      else answer()
    })
  }

  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer(handler)
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port
        resolve()
      })
    })

  const stop = () =>
    new Promise<void>((resolve) => {
      for (const res of hanging) res.destroy()
      hanging.clear()
      server.closeAllConnections()
      server.close(() => resolve())
    })

  await listen()
  const receiver: WebhookReceiver = {
    get url() {
      return `http://127.0.0.1:${port}`
    },
    get port() {
      return port
    },
    requests,
    fallback: { status: 200, body: 'ok' },
    script: (...replies) => queue.push(...replies),
    stop,
    start: listen,
    close: stop
  }
  return receiver
}
