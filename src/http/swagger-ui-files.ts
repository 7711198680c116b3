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

/**
 * Swagger UI 5.33+ virtualizes its operations list once tags plus operations reach 150 (ours
 * passed that when the patching routes landed): only the rows near the viewport are in the page
 * (three tag sections on load), so the browser's find-in-page misses the rest
 * (swagger-api/swagger-ui#11056). There is no option to turn it off, so this plugin replaces the
 * `operations` component with the plain list Swagger UI itself renders below that threshold: every
 * tag section and operation, built from its own OperationTag and OperationContainer components.
 * A few hundred operations render quickly; deep links still scroll through the layout plugin.
 */
const FULL_OPERATIONS_LIST_PLUGIN = `function fullOperationsList(system) {
  var h = system.React.createElement
  function Operations(props) {
    var specSelectors = props.specSelectors
    var getComponent = props.getComponent
    var tagged = specSelectors.taggedOperations()
    var methods = specSelectors.validOperationMethods()
    if (tagged.size === 0) return h('h3', null, ' No operations defined in spec!')
    var OperationTag = getComponent('OperationTag')
    var OperationContainer = getComponent('OperationContainer', true)
    return h(
      'div',
      null,
      tagged
        .map(function (tagObj, tag) {
          var ops = tagObj
            .get('operations')
            .map(function (op) {
              var path = op.get('path')
              var method = op.get('method')
              if (methods.indexOf(method) === -1) return null
              return h(OperationContainer, { key: path + '-' + method, specPath: op.get('specPath'), op: op, path: path, method: method, tag: tag })
            })
            .toArray()
          return h(
            OperationTag,
            {
              key: 'operation-' + tag,
              tagObj: tagObj,
              tag: tag,
              oas3Selectors: props.oas3Selectors,
              layoutSelectors: props.layoutSelectors,
              layoutActions: props.layoutActions,
              getConfigs: props.getConfigs,
              getComponent: getComponent,
              specUrl: specSelectors.url()
            },
            h('div', { className: 'operation-tag-content' }, ops)
          )
        })
        .valueSeq()
        .toArray()
    )
  }
  return { components: { operations: Operations } }
}`

/** Our start-up script: no validator badge (it would call validator.swagger.io), no top bar. */
function initializerScript(specUrl: string): string {
  return `${FULL_OPERATIONS_LIST_PLUGIN}

window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(specUrl)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    plugins: [fullOperationsList],
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
