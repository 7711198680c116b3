// Swagger UI's static files, served through readAsset. @fastify/swagger-ui serves them from a
// folder beside its own sources, which neither the bundle nor the single executable has (it only
// logs a warning and answers 404). These explicit routes take precedence over its wildcard, so
// one code path serves them from source, from dist/app.cjs and from the executable alike.
import type { FastifyInstance } from 'fastify'
import { readAsset } from '../assets/read-asset.js'

export const SWAGGER_UI_STATIC_DIR = 'node_modules/@fastify/swagger-ui/static'
const STATIC_DIR = SWAGGER_UI_STATIC_DIR

/** The files Swagger UI's page loads, and their content types (the build embeds exactly these). */
export const SWAGGER_UI_FILES: Record<string, string> = {
  'index.css': 'text/css; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'oauth2-redirect.html': 'text/html; charset=utf-8',
  'oauth2-redirect.js': 'text/javascript; charset=utf-8',
  'favicon-16x16.png': 'image/png',
  'favicon-32x32.png': 'image/png',
  'logo.svg': 'image/svg+xml'
}

export function swaggerUiLogo(): { type: string; content: Buffer } {
  return { type: 'image/svg+xml', content: readAsset(`${STATIC_DIR}/logo.svg`) }
}

export function registerSwaggerUiFiles(app: FastifyInstance, routePrefix: string): void {
  for (const [file, type] of Object.entries(SWAGGER_UI_FILES)) {
    app.get(`${routePrefix}/static/${file}`, { schema: { hide: true } }, async (_request, reply) =>
      reply.type(type).header('cache-control', 'public, max-age=86400').send(readAsset(`${STATIC_DIR}/${file}`))
    )
  }
}
