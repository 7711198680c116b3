import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ApiError, COMMON, errorOf, type ValidationIssue } from './errors.js'
import { ERROR_MESSAGES } from './error-messages.js'
import { isDiskFullError, noteDiskFull } from '../store/disk-full.js'
import { LaneFullError } from '../security/bcrypt-lanes.js'
import { credentialBudgetExhausted } from './credential-budget.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * How schema validation failures of this route are rendered:
     * 'list' (default) -> 400 {errors:[{msg,param,location}]}; 'single' -> 400 {error:<first msg>}.
     */
    validationShape?: 'list' | 'single'
    /** Documented message per field name, used instead of Ajv's wording. */
    validationMessages?: Record<string, string>
  }
}

const HTTP = ERROR_MESSAGES.http

type AjvIssue = NonNullable<FastifyError['validation']>[number]

const LOCATIONS: Record<string, ValidationIssue['location']> = {
  body: 'body',
  querystring: 'query',
  params: 'params',
  headers: 'headers'
}

function fieldOf(issue: AjvIssue): string {
  const missing = (issue.params as { missingProperty?: string }).missingProperty
  const path = issue.instancePath.replace(/^\//, '').split('/')
  // The top-level field name is what clients and the documented messages refer to.
  const top = path[0] !== '' && path[0] !== undefined ? path[0] : undefined
  return top ?? missing ?? ''
}

function toIssues(err: FastifyError, request: FastifyRequest): ValidationIssue[] {
  const location = LOCATIONS[err.validationContext ?? 'body'] ?? 'body'
  const messages = request.routeOptions.config?.validationMessages ?? {}
  const seen = new Set<string>()
  const issues: ValidationIssue[] = []
  for (const v of err.validation ?? []) {
    const param = fieldOf(v)
    if (seen.has(param)) continue
    seen.add(param)
    const documented = messages[param]
    const detail = v.message ?? 'is invalid'
    issues.push({ msg: documented ?? (param ? `${param} ${detail}` : `Request ${location} ${detail}`), param, location })
  }
  return issues
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((thrown: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    // A full bcrypt lane outside a credential budget is answered like one: 429, Retry-After 1.
    const err = thrown instanceof LaneFullError ? credentialBudgetExhausted(1) : thrown
    if (err instanceof ApiError) {
      return reply.code(err.statusCode).headers(err.headers).send(err.body)
    }
    if (err.validation) {
      const issues = toIssues(err, request)
      if (request.routeOptions.config?.validationShape === 'single') {
        return reply.code(400).send({ error: issues[0]?.msg ?? COMMON.invalidBody })
      }
      return reply.code(400).send({ errors: issues })
    }
    const status = err.statusCode ?? 500
    if (status === 429) {
      return reply.code(429).send(errorOf(ERROR_MESSAGES.common.tooManyRequests).body)
    }
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (body too large, bad content type, malformed JSON, ...):
      // keep the status, give a plain sentence, never the internal code or stack.
      request.log.info({ code: err.code, status }, 'client error')
      return reply.code(status).send({ error: clientErrorText(err) })
    }
    if (isDiskFullError(err)) {
      // Not a bug to hunt in the code but an operator's task: say so, to the client and in the log.
      noteDiskFull(request.server.store)
      request.log.error({ code: (err as { code?: string }).code }, 'disk full: a write was refused; free space in the data folder')
      return reply.code(507).send(errorOf(ERROR_MESSAGES.common.diskFull).body)
    }
    request.log.error({ err }, 'unhandled error')
    return reply.code(500).send({ error: ERROR_MESSAGES.common.internal.message })
  })

  app.setNotFoundHandler((request, reply) => {
    const notFound = HTTP.routeNotFound
    const path = (request.url.split('?')[0] ?? '').slice(0, 200)
    reply.code(notFound.status).send({ error: notFound.message, message: notFound.detail(request.method, path) })
  })
}

function clientErrorText(err: FastifyError): string {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return HTTP.bodyTooLarge.message
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return HTTP.unsupportedMediaType.message
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return HTTP.invalidContentLength.message
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return COMMON.invalidBody
    default:
      return err.statusCode === 400 ? HTTP.badRequest.message : HTTP.rejected.message
  }
}
