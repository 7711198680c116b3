import type { FastifyInstance } from 'fastify'
import { badRequest, COMMON } from './errors.js'

/**
 * JSON parser that treats an empty body as "no body": the PatchMon agent sends its ping as a
 * body-less POST with `Content-Type: application/json`, which Fastify would reject.
 * Malformed JSON is a 400 {"error":"Invalid request body"} (the agent's documented string).
 */
export function registerJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser(
    /^application\/(.+\+)?json$/i,
    { parseAs: 'string' },
    (_request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8')
      if (text.trim() === '') return done(null, undefined)
      try {
        // Reject prototype-pollution keys the same way Fastify's default parser does.
        done(null, JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value)))
      } catch {
        done(badRequest(COMMON.invalidBody), undefined)
      }
    }
  )
}
