// POST /api/v1/vulnerabilities/downloads: "Download now". Runs one round of the scheduled feed
// download at once (also when the schedule is off) and replies when it has ended, with each URL's
// outcome and its import history id. Same permission as changing the settings that configure it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { auditDetail } from '../audit/audit-hooks.js'
import { SECURITY } from '../http/openapi.js'
import { ErrorReply } from '../http/schema-fragments.js'
import type { FeedSchedule } from './feed-schedule.js'

const DownloadRoundReply = Type.Object({
  downloads: Type.Array(
    Type.Object({
      source: Type.String({ description: 'The feed URL' }),
      outcome: Type.Union([Type.Literal('imported'), Type.Literal('unchanged'), Type.Literal('failed')]),
      id: Type.Union([Type.String(), Type.Null()], {
        description: 'The import history row (GET /api/v1/vulnerabilities/imports/{id}); null when unchanged'
      }),
      error: Type.Union([Type.String(), Type.Null()])
    })
  )
})

export function downloadRoutes(schedule: FeedSchedule): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/v1/vulnerabilities/downloads',
      {
        schema: {
          tags: ['vulnerabilities'],
          summary: 'Download and import the configured vulnerability feeds now',
          description:
            'Fetches each URL of the cve_download_urls setting (conditional request) and imports what changed; replies when done.',
          security: SECURITY.bearer,
          response: { 200: DownloadRoundReply, 409: ErrorReply }
        },
        preHandler: app.requirePermission('can_manage_settings'),
        config: { rateLimit: app.rateLimitBucket('general'), audit: { action: 'vulnerability_feed.download' } }
      },
      async (request) => {
        const downloads = await schedule.runRound()
        auditDetail(request, { outcomes: downloads.map((d) => `${d.outcome} ${d.source}`) })
        return { downloads }
      }
    )
  }
}
