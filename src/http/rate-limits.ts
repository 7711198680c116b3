// Rate-limit buckets. The plugin is registered with global:false; each route opts into a bucket
// through its config. Routes of one bucket share its counter (BucketStore); agents, logins and
// dashboards never share one.
import rateLimit from '@fastify/rate-limit'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { RateLimitBucket } from '../config.js'
import { ERROR_MESSAGES } from './error-messages.js'
import { BucketStore } from './bucket-store.js'
import { FailureBudget } from '../security/failure-budget.js'
import './credential-budget.js'

export type BucketName = 'general' | 'auth' | 'agent' | 'gethomepage'

export interface RouteRateLimit {
  max: number
  timeWindow: number
  keyGenerator?: (request: import('fastify').FastifyRequest) => string
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Route config for a bucket: `config: { rateLimit: app.rateLimitBucket('agent') }`. */
    rateLimitBucket: (bucket: BucketName) => RouteRateLimit
  }
}

async function rateLimits(app: FastifyInstance): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    // One counter per bucket and client address, shared by every route of the bucket.
    store: BucketStore,
    // Over-limit replies use our vocabulary, with Retry-After set by the plugin.
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: ERROR_MESSAGES.common.tooManyRequests.message,
      message: ERROR_MESSAGES.common.tooManyRequests.detail,
      retryAfter: Math.ceil(context.ttl / 1000)
    })
  })
  const failures = app.config.credentialFailures
  app.decorate('credentialFailures', new FailureBudget(failures.max, failures.windowMs))
  const buckets: Record<BucketName, RateLimitBucket> = app.config.rateLimits
  app.decorate('rateLimitBucket', (bucket: BucketName): RouteRateLimit => {
    const b = buckets[bucket]
    // Separate counters per bucket even for the same client address.
    return { max: b.max, timeWindow: b.windowMs, keyGenerator: (request) => `${bucket}:${request.ip}` }
  })
}

export default fp(rateLimits, { name: 'rate-limits', dependencies: ['app-context'] })
