// buildApp(config, store) registers every plugin explicitly (a single executable has no folder
// to scan) and returns the instance without listening. main.ts listens; tests inject.
import Fastify, { type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { AppConfig } from './config.js'
import type { Store } from './store/open-database.js'
import type { AppEvents } from './events/app-events.js'
import appContext from './app-context.js'
import sessionAuth from './http/session-auth.js'
import rateLimits from './http/rate-limits.js'
import openapi from './http/openapi.js'
import metrics from './metrics/metrics-plugin.js'
import idleMemoryRelease from './jobs/idle-memory-release.js'
import audit from './audit/audit-plugin.js'
import { registerErrorHandler } from './http/error-handler.js'
import { createValidatorCompiler } from './http/validator-compiler.js'
import { LazyCompiles, lazySerializerBuilder } from './http/lazy-compile.js'
import { registerJsonParser } from './http/json-body.js'
import { loggerOptions } from './http/logging.js'
import { healthRoutes } from './http/health-routes.js'
import users from './users/users-plugin.js'
import { findSessionUser } from './users/sessions.js'
import discordLogin from './discord-login/discord-login-plugin.js'
import oidc from './oidc/oidc-plugin.js'
import { tokenRoutes } from './integration-tokens/token-routes.js'
import { integrationApiRoutes } from './integration-api/api-routes.js'
import { auditApiRoutes } from './integration-api/audit-api-routes.js'
import { vulnerabilityApiRoutes } from './integration-api/vulnerability-api-routes.js'
import { homepageRoutes } from './homepage/homepage-routes.js'
import hostsFeature from './hosts/hosts-plugin.js'
import { settingsRoutes } from './settings/settings-routes.js'
import enrollment from './enrollment/enrollment-plugin.js'
import agentFeatures from './agent/agent-plugin.js'
import notifications from './notifications/notifications-plugin.js'
import reports from './reports/reports-plugin.js'
import patching from './patching/patching-plugin.js'
import patchingBeyond from './patching/patching-beyond-plugin.js'
import proxmoxCollect from './proxmox/proxmox-plugin.js'
import trends from './trends/trends-plugin.js'
import type { CveCountsSource } from './trends/cve-source.js'
import bulkActions from './bulk-actions/bulk-actions-plugin.js'
import vulnerabilities from './vulnerabilities/vulnerabilities-plugin.js'
import { openCveCountsWhenKnown } from './vulnerabilities/host-exposure-queries.js'
import { dashboardRoutes } from './dashboard/dashboard-routes.js'

export interface BuildAppOptions {
  config: AppConfig
  store: Store
  events?: AppEvents
  /** Where log lines go (tests capture them to assert that no secret is ever logged). */
  logStream?: NodeJS.WritableStream
  /** Open CVEs per host for trends and the per-host metrics; defaults to the vulnerabilities feature's. */
  cveCountsByHost?: CveCountsSource
}

function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops
}

export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const { config, store } = opts
  const cveCountsByHost = opts.cveCountsByHost ?? openCveCountsWhenKnown
  const schemaCompiles = new LazyCompiles()
  const app = Fastify({
    logger: loggerOptions(config.logLevel, opts.logStream),
    // A hop count becomes proxy-addr's "trust the first N hops" function (the typings omit numbers).
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    bodyLimit: config.jsonBodyLimit,
    // Agents join URLs by concatenation (`//api/v1/...`), Ansible's documented URL ends in `/`.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    requestIdHeader: false,
    schemaController: { compilersFactory: { buildSerializer: lazySerializerBuilder(schemaCompiles) } }
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Validation (src/http/validator-compiler.ts): query strings and params are coerced to their
  // declared types, bodies never are; unknown fields are dropped where a schema says so.
  // Both validators and serializers compile on first use (src/http/lazy-compile.ts).
  app.setValidatorCompiler(createValidatorCompiler(schemaCompiles))
  app.decorate('schemaCompiles', schemaCompiles)
  registerErrorHandler(app)
  registerJsonParser(app)

  await app.register(appContext, { config, store, ...(opts.events ? { events: opts.events } : {}) })
  await app.register(rateLimits)
  // Session guards live in http/ and name no feature: the users feature supplies the lookup.
  await app.register(sessionAuth, { findSessionUser: (sessionId, userId) => findSessionUser(store.db, sessionId, userId) })
  await app.register(openapi)
  await app.register(metrics, { cveCountsByHost })
  await app.register(idleMemoryRelease)
  // Before every feature: its onRoute hook gives each mutating route its audit entry.
  await app.register(audit)

  // Features, one plugin each, in the order of the spec's chapters.
  await app.register(healthRoutes)
  await app.register(users)
  await app.register(discordLogin)
  await app.register(oidc)
  await app.register(homepageRoutes)
  await app.register(tokenRoutes)
  await app.register(integrationApiRoutes)
  await app.register(auditApiRoutes)
  await app.register(vulnerabilityApiRoutes)
  await app.register(settingsRoutes)
  await app.register(hostsFeature)
  await app.register(enrollment)
  await app.register(agentFeatures)
  await app.register(notifications)
  await app.register(reports)
  await app.register(patching)
  await app.register(patchingBeyond)
  await app.register(proxmoxCollect)
  await app.register(trends, { cveCountsByHost })
  await app.register(bulkActions)
  await app.register(vulnerabilities)
  // The dashboard answers every other HTML GET with its index page, so it stays last.
  await app.register(dashboardRoutes)

  return app
}
