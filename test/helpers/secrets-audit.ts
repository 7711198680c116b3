// Every app built by buildTestApp is audited: each secret the run creates or sends (passwords,
// token secrets, host API keys, JWTs, webhook URLs, OAuth and TOTP secrets) must never appear in a
// log line, nor in any response body after the response that created it. Because every test file
// goes through buildTestApp, the whole suite is the audit.
import type { FastifyInstance } from 'fastify'

const SECRET_FIELDS = new Set([
  'password',
  'new_password',
  'current_password',
  'api_key',
  'apiKey',
  'token_secret',
  'token',
  'refresh_token',
  'client_secret',
  'discord_client_secret',
  'secret',
  'signing_secret',
  'webhook_url',
  'url',
  'smtp_password',
  'backup_codes',
  'backupCodes',
  'tfaTicket',
  'tfa_ticket',
  'manualEntryKey',
  'bootstrap_token',
  // Notification destinations (Gotify, Telegram, Pushover, Matrix, Apprise API)
  'app_token',
  'bot_token',
  'user_key',
  'access_token',
  'urls'
])

// Responses whose whole purpose is to hand a credential over again, by design of the spec.
const HANDOVER_ROUTES = [
  /^\/api\/v1\/hosts\/bootstrap\/exchange/, // install script trades its one-time token for the host keys
  /^\/api\/v1\/auto-enrollment\/script/, // the script is generated with the key/secret the caller passed
  /^\/api\/v1\/hosts\/install/ // the install script carries the one-time bootstrap token
]

// Request bodies that carry no secret although they use a secret-looking key: an agent report's
// `repositories[].url` is a package mirror shown back on the host's page.
const INVENTORY_ROUTES = [/^\/+api\/v1\/+hosts\/+update\/?(\?|$)/]

const MIN_SECRET_LENGTH = 12

// Responses where a secret-sounding field holds no secret (the spec's gethomepage health reply
// puts the credential's *name* in `api_key`; a host's repository list and the fleet's repository
// list have package mirrors in `url`).
const NOT_SECRET_RESPONSES = [/^\/api\/v1\/gethomepage\/health/, /^\/api\/v1\/hosts\/[^/]+\/repositories/, /^\/api\/v1\/repositories/]

// Secrets sit near the top of a body; hostile 5,000-level nestings must not overflow the stack.
const MAX_DEPTH = 64

function collect(value: unknown, into: Set<string>, key?: string, depth = 0): void {
  if (depth > MAX_DEPTH) return
  if (typeof value === 'string') {
    if (key && SECRET_FIELDS.has(key) && value.length >= MIN_SECRET_LENGTH && !/^\*+|\.\.\.|•/.test(value)) into.add(value)
    return
  }
  if (Array.isArray(value)) {
    for (const v of value) collect(v, into, key, depth + 1)
    return
  }
  if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) collect(v, into, k, depth + 1)
}

function parse(body: unknown): unknown {
  if (typeof body !== 'string' || body === '') return undefined
  try {
    return JSON.parse(body)
  } catch {
    return undefined
  }
}

export interface SecretsAudit {
  violations(logs: string[]): string[]
}

export function auditSecrets(app: FastifyInstance): SecretsAudit {
  const known = new Set<string>()
  const violations: string[] = []
  app.addHook('preHandler', async (request) => {
    if (INVENTORY_ROUTES.some((r) => r.test(request.url))) return
    collect(request.body, known)
  })
  app.addHook('onSend', async (request, _reply, payload) => {
    const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : undefined
    const url = request.url
    if (text !== undefined && !HANDOVER_ROUTES.some((r) => r.test(url))) {
      for (const secret of known)
        if (text.includes(secret))
          violations.push(`${request.method} ${url.split('?')[0]} returned a secret created earlier (${secret.slice(0, 4)}…)`)
    }
    // Secrets created by this response may appear in it (shown once); later responses are checked.
    if (!NOT_SECRET_RESPONSES.some((r) => r.test(url))) collect(parse(text), known)
    return payload
  })
  return {
    violations(logs) {
      const found = [...violations]
      for (const secret of known) {
        const line = logs.find((l) => l.includes(secret))
        if (line) found.push(`a log line contains a secret (${secret.slice(0, 4)}…): ${line.slice(0, 160)}`)
      }
      return found
    }
  }
}
