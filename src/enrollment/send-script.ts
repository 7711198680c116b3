import type { FastifyReply } from 'fastify'

/** Replies with a generated shell script: inline, never cached (it carries credentials). */
export function sendScript(reply: FastifyReply, fileName: string, body: string): FastifyReply {
  return reply
    .code(200)
    .header('content-type', 'text/plain; charset=utf-8')
    .header('content-disposition', `inline; filename="${fileName}"`)
    .header('cache-control', 'no-store, no-cache, must-revalidate')
    .header('pragma', 'no-cache')
    .send(body)
}
