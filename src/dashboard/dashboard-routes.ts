// Serves the web dashboard: build/dashboard/index.html for every client-side route (GETs that
// accept HTML and are not API, health, metrics or docs paths; `/` itself for any Accept, so an
// uptime monitor probing the root URL sees 200), the hashed bundle files and the
// fixed-name icons under /assets/, all read with readAsset so the single executable serves the
// files it embedded from the manifest. Also one public hint for the login page.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { gzipSync } from 'node:zlib'
import { AssetNotFoundError, readAsset } from '../assets/read-asset.js'
import { DASHBOARD_DIR_KEY, type DashboardManifest } from './dashboard-manifest.js'
import { anyoneHasSignedIn } from '../users/user-queries.js'

/** Paths that belong to the API and tooling: never answered with the dashboard's HTML. */
const NOT_DASHBOARD = /^\/(api|health|metrics|documentation|assets)(\/|$|\?)/

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2'
}

/**
 * No inline script or style, nothing from other origins except Discord avatars; data: images
 * for the TFA QR code. uPlot and Preact set styles through the CSSOM, which style-src allows.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https://cdn.discordapp.com",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'"
].join('; ')

const NOT_BUILT_PAGE = `<!doctype html><meta charset="utf-8"><title>PatchMon</title>
<p>The dashboard has not been built. Run <code>npm run build:ui</code> (or <code>npm start</code>, which builds it) and reload.</p>`

function contentType(file: string): string {
  const dot = file.lastIndexOf('.')
  return CONTENT_TYPES[dot >= 0 ? file.slice(dot) : ''] ?? 'application/octet-stream'
}

export const dashboardRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Loaded on first use and kept: a missing build is retried on every request until it appears,
  // so a server started before `npm run build:ui` finished needs no restart.
  let manifest: DashboardManifest | undefined
  const files = new Map<string, Buffer>()
  const gzipped = new Map<string, Buffer>()

  function loadManifest(): DashboardManifest | undefined {
    if (manifest) return manifest
    try {
      manifest = JSON.parse(readAsset(`${DASHBOARD_DIR_KEY}/manifest.json`).toString('utf8')) as DashboardManifest
      return manifest
    } catch (err) {
      if (!(err instanceof AssetNotFoundError)) throw err
      return undefined
    }
  }

  function fileBody(name: string): Buffer {
    let body = files.get(name)
    if (!body) {
      body = readAsset(`${DASHBOARD_DIR_KEY}/${name}`)
      files.set(name, body)
    }
    return body
  }

  /** Text files go out gzipped when the browser accepts it (compressed once, then kept). */
  function sendFile(request: FastifyRequest, reply: FastifyReply, name: string) {
    const type = contentType(name)
    reply.type(type)
    const compressible = /^(text\/|application\/json|image\/svg)/.test(type)
    if (!compressible) return reply.send(fileBody(name))
    reply.header('vary', 'accept-encoding')
    if (!/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.send(fileBody(name))
    let body = gzipped.get(name)
    if (!body) {
      body = gzipSync(fileBody(name), { level: 9 })
      gzipped.set(name, body)
    }
    return reply.header('content-encoding', 'gzip').send(body)
  }

  function sendIndex(request: FastifyRequest, reply: FastifyReply) {
    reply
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'same-origin')
      .header('cache-control', 'no-cache')
    if (!loadManifest()) return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE)
    return sendFile(request, reply, 'index.html')
  }

  async function indexOrNotFound(request: FastifyRequest, reply: FastifyReply) {
    const path = request.url
    const acceptsHtml = (request.headers.accept ?? '').includes('text/html')
    if (NOT_DASHBOARD.test(path) || !acceptsHtml) return reply.callNotFound()
    return sendIndex(request, reply)
  }

  // The root URL is what uptime monitors and `curl http://host:3000/` probe, usually without
  // `Accept: text/html`: it is never an API path, so it answers with the page whatever they accept.
  app.get('/', { schema: { hide: true } }, sendIndex)
  app.get('/*', { schema: { hide: true } }, indexOrNotFound)

  app.get(
    '/assets/:file',
    { schema: { hide: true, params: Type.Object({ file: Type.String({ maxLength: 200 }) }) } },
    async (request, reply) => {
      const { file } = request.params
      const current = loadManifest()
      if (!current || !current.files.includes(file) || file === 'manifest.json' || file === 'index.html') return reply.callNotFound()
      const cache = current.immutable.includes(file) ? 'public, max-age=31536000, immutable' : 'public, max-age=86400'
      reply.header('cache-control', cache).header('x-content-type-options', 'nosniff')
      return sendFile(request, reply, file)
    }
  )

  app.get(
    '/api/v1/dashboard/first-start',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'Whether nobody has signed in yet (the login page then points at the password printed on first start)',
        response: { 200: Type.Object({ first_start: Type.Boolean() }) }
      },
      config: { rateLimit: app.rateLimitBucket('general') }
    },
    async () => {
      return { first_start: !(await anyoneHasSignedIn(app.store.db)) }
    }
  )
}
