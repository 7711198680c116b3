import type { FastifyInstance } from 'fastify'
import secureJson from 'secure-json-parse'
import { badRequest, COMMON } from './errors.js'

/**
 * JSON parser that treats an empty body as "no body": the PatchMon agent sends its ping as a
 * body-less POST with `Content-Type: application/json`, which Fastify would reject.
 * Malformed JSON is a 400 {"error":"Invalid request body"} (the agent's documented string).
 */
export function registerJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser(/^application\/(.+\+)?json$/i, { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8')
    if (text.trim() === '') return done(null, undefined)
    try {
      // Drop prototype-pollution keys as Fastify's default parser does. secure-json-parse only
      // walks the result when the text contains such a key: a JSON.parse reviver would run a
      // callback for every value of a 10,000-package report.
      done(null, secureJson.parse(text, undefined, { protoAction: 'remove', constructorAction: 'ignore' }))
    } catch {
      done(badRequest(COMMON.invalidBody), undefined)
    }
  })
}
