// Swagger UI, served by our own routes rather than @fastify/swagger-ui's plugin: the plugin
// registers @fastify/static on a folder beside its own sources, which neither the bundle nor the
// single executable has, so every start logged `"root" path ".../static" must exist`. Here the
// page, a small start-up script and the files it loads all come through readAsset (one code path
// from source, dist/app.cjs and the executable), and the page carries a Content-Security-Policy.
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify'
import { readAsset } from '../assets/read-asset.js'

/** Where the swagger-ui-dist files live in the tree (the packaging build embeds exactly these). */
export const SWAGGER_UI_STATIC_DIR = 'node_modules/@fastify/swagger-ui/static'

/** The files Swagger UI's page loads, and their content types. */
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

/**
 * Scripts and styles only from this server, no inline script or eval; Swagger UI draws its icons
 * from data: URLs in its CSS and fetches the document from /api/v1/openapi.json. "Try it out"
 * calls go to this same origin (connect-src 'self'). React sets styles through the CSSOM, which
 * style-src 'self' allows (test/http/swagger-ui.test.ts renders it in chromium with no violation).
 */
export const SWAGGER_UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'"
].join('; ')

/** Our start-up script: no validator badge (it would call validator.swagger.io), no top bar. */
function initializerScript(specUrl: string): string {
  return `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(specUrl)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout'
  })
})
`
}

function pageHtml(prefix: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PatchMon API documentation</title>
<link rel="icon" type="image/png" href="${prefix}/static/favicon-32x32.png" sizes="32x32">
<link rel="stylesheet" href="${prefix}/static/swagger-ui.css">
<link rel="stylesheet" href="${prefix}/static/index.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${prefix}/static/swagger-ui-bundle.js"></script>
<script src="${prefix}/static/swagger-initializer.js"></script>
</body>
</html>
`
}

export function registerSwaggerUi(
  app: FastifyInstance,
  opts: { prefix: string; specUrl: string; authenticate: preHandlerAsyncHookHandler }
): void {
  const { prefix } = opts
  const page = pageHtml(prefix)
  const initializer = initializerScript(opts.specUrl)
  // The page is for signed-in users (bearer header or the dashboard's session cookie); the
  // static files hold nothing of ours and are cached, so they stay public. The app ignores
  // trailing slashes, so this one route answers `${prefix}/` too.
  app.get(prefix, { schema: { hide: true }, preHandler: opts.authenticate }, async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', SWAGGER_UI_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .header('cache-control', 'no-cache')
      .send(page)
  )
  app.get(`${prefix}/static/swagger-initializer.js`, { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('x-content-type-options', 'nosniff').send(initializer)
  )
  for (const [file, type] of Object.entries(SWAGGER_UI_FILES)) {
    app.get(`${prefix}/static/${file}`, { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type(type)
        .header('cache-control', 'public, max-age=86400')
        .header('x-content-type-options', 'nosniff')
        .send(readAsset(`${SWAGGER_UI_STATIC_DIR}/${file}`))
    )
  }
}
