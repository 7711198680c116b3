// Structured logs (pino) with every secret removed: credentials travel in headers, cookies and,
// for the script download, the query string.
import type { FastifyServerOptions, FastifyRequest } from 'fastify'
import type { LogLevel } from '../config.js'

const SECRET_QUERY_KEYS = /^(token_secret|token_key|token|code|state|secret|password|api_key)$/i

export function redactUrl(url: string): string {
  const q = url.indexOf('?')
  if (q < 0) return url
  const params = new URLSearchParams(url.slice(q + 1))
  for (const key of [...params.keys()]) if (SECRET_QUERY_KEYS.test(key)) params.set(key, '[REDACTED]')
  return `${url.slice(0, q)}?${params.toString()}`
}

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-auto-enrollment-secret"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.token_secret',
  '*.api_key',
  '*.apiKey'
]

export function loggerOptions(level: LogLevel, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    serializers: {
      req(request: FastifyRequest) {
        return {
          method: request.method,
          url: redactUrl(request.url),
          remoteAddress: request.ip
        }
      }
    }
  }
}
