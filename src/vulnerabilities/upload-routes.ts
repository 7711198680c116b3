// POST /api/v1/vulnerabilities/imports: a feed file as the raw request body (OSV zip or JSON, Debian
// tracker JSON, CISA KEV JSON or CSV; gzip allowed). The body is streamed to a temp file, never held
// in memory, with a size limit (413 before reading when Content-Length says so, or as soon as the
// stream passes it); the import then runs in the background and the reply carries its id.
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { ApiError, badRequest, errorOf } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { SECURITY } from '../http/openapi.js'
import { ErrorMessageReply, ErrorReply } from '../http/schema-fragments.js'
import { openFeed } from './feeds/open-feed.js'
import type { ImportJobs } from './import-jobs.js'
import { ImportStartedReply } from './vulnerability-schemas.js'

/** 1 GiB: a full OSV Debian all.zip is a few hundred MB; larger files go through the CLI. */
export const UPLOAD_LIMIT_BYTES = 1024 * 1024 * 1024

const E = ERROR_MESSAGES.vulnerabilities

function tooLarge(limit: number): ApiError {
  const entry = E.uploadTooLarge
  return new ApiError(entry.status, { error: entry.message, message: entry.detail(String(Math.round(limit / 1024 / 1024))) })
}

/** Passes bytes through until `limit`, then fails the pipeline with a 413. */
function sizeGuard(limit: number, onBytes: (n: number) => void): Transform {
  let seen = 0
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length
      onBytes(seen)
      if (seen > limit) cb(tooLarge(limit))
      else cb(null, chunk)
    }
  })
}

/**
 * Streams the body to a private temp file (refused when over `limit`, before reading when the declared
 * length says so) and starts its import; the temp folder is removed when the import ends.
 */
async function receiveUpload(jobs: ImportJobs, body: Readable, declared: number, name: string, limit: number): Promise<string> {
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit)
  if (jobs.busy) throw errorOf(E.importRunning)
  if (declared === 0) throw badRequest(E.uploadEmpty.message)
  const dir = await mkdtemp(join(tmpdir(), 'patchmon-feed-'))
  const cleanup = () => rm(dir, { recursive: true, force: true })
  const file = join(dir, 'feed')
  let bytes = 0
  try {
    await pipeline(
      body,
      sizeGuard(limit, (n) => (bytes = n)),
      createWriteStream(file, { mode: 0o600 })
    )
    if (bytes === 0) throw badRequest(E.uploadEmpty.message)
  } catch (err) {
    await cleanup()
    throw err
  }
  return jobs.start({ source: name, origin: 'upload', open: () => openFeed(file, { name }) }, cleanup)
}

export function uploadRoutes(limit = UPLOAD_LIMIT_BYTES): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Encapsulated: in this plugin only, no body is parsed; the handler streams request.raw itself.
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined))

    app.post(
      '/api/v1/vulnerabilities/imports',
      {
        schema: {
          tags: ['vulnerabilities'],
          summary: 'Upload a vulnerability feed file and import it in the background',
          description: 'The raw file as the body (any content type). Poll GET /api/v1/vulnerabilities/imports/{id} for progress.',
          security: SECURITY.bearer,
          querystring: Type.Object({ name: Type.Optional(Type.String({ maxLength: 255, description: 'the file name, for the history' })) }),
          response: { 202: ImportStartedReply, 400: ErrorReply, 409: ErrorReply, 413: ErrorMessageReply }
        },
        preHandler: app.requirePermission('can_manage_packages'),
        bodyLimit: limit,
        config: { rateLimit: app.rateLimitBucket('general'), audit: { action: 'vulnerability_feed.import' } }
      },
      async (request, reply) => {
        const declared = Number(request.headers['content-length'])
        const id = await receiveUpload(app.vulnerabilityImports, request.raw, declared, request.query.name ?? 'upload', limit)
        return reply.code(202).send({ id, status: 'running' })
      }
    )
  }
}
