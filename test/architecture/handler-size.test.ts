// Handlers translate HTTP (ARCHITECTURE.md, issue 16): parse, call a service, shape the reply, in at
// most ten lines. This test parses every server file (src/ but the browser code in dashboard/ui; routes
// live in *-routes.ts, a handler elsewhere is measured too) with the TypeScript compiler, finds each
// route handler (the last argument of app.get/post/put/patch/delete/head/options/all('/path', ...), or
// the `handler` of app.route({...})) and counts the lines of its body that are neither blank nor
// comment. A longer handler fails with its file, line and route: its rules belong in a service.
import t from 'tap'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'

const SRC = join(__dirname, '..', '..', 'src')
const MAX_LINES = 10
const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all'])

export interface Handler {
  file: string
  line: number
  route: string
  lines: number
}

/** Every server source file: routes are expected in *-routes.ts, but a handler elsewhere is measured too. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return path.endsWith(join('dashboard', 'ui')) ? [] : sourceFiles(path)
    return name.endsWith('.ts') ? [path] : []
  })
}

/** Lines of a function body that hold code: blank lines and comment-only lines do not count. */
export function codeLines(fn: ts.FunctionLikeDeclaration, source: ts.SourceFile): number {
  const body = fn.body
  if (!body) return 0
  // A block's braces are not body; an expression body (`async () => listUsers(db)`) is.
  const text = ts.isBlock(body)
    ? source.text.slice(body.getStart(source) + 1, body.getEnd() - 1)
    : source.text.slice(body.getStart(source), body.getEnd())
  const withoutBlockComments = text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
  return withoutBlockComments.split('\n').filter((line) => {
    const trimmed = line.trim()
    return trimmed !== '' && !trimmed.startsWith('//')
  }).length
}

/** The function a handler argument stands for: inline, or a function/const of the same file. */
function resolveFunction(node: ts.Expression, source: ts.SourceFile): ts.FunctionLikeDeclaration | undefined {
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return node
  if (!ts.isIdentifier(node)) return undefined
  let found: ts.FunctionLikeDeclaration | undefined
  const visit = (n: ts.Node): void => {
    if (found) return
    if (ts.isFunctionDeclaration(n) && n.name?.text === node.text) found = n
    else if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === node.text && n.initializer) {
      if (ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer)) found = n.initializer
    }
    ts.forEachChild(n, visit)
  }
  visit(source)
  return found
}

/** A route path: a string literal, or a template such as `${prefix}/static/x.js` (shown as written). */
function pathOf(node: ts.Node | undefined, source: ts.SourceFile): string | undefined {
  if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) return node.text
  if (node && ts.isTemplateExpression(node)) return node.getText(source)
  return undefined
}

/** Every route handler of one file, with its size; `unresolved` lists handlers the scanner cannot measure. */
export function handlersOf(file: string, text: string): { handlers: Handler[]; unresolved: string[] } {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const handlers: Handler[] = []
  const unresolved: string[] = []
  const record = (route: string, arg: ts.Expression) => {
    const fn = resolveFunction(arg, source)
    const line = source.getLineAndCharacterOfPosition(arg.getStart(source)).line + 1
    if (!fn) unresolved.push(`${file}:${line} ${route}`)
    else handlers.push({ file, line, route, lines: codeLines(fn, source) })
  }
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text
      const path = pathOf(node.arguments[0], source)
      const last = node.arguments[node.arguments.length - 1]
      if (METHODS.has(method) && path !== undefined && last && node.arguments.length >= 2) {
        record(`${method.toUpperCase()} ${path}`, last)
      } else if (method === 'route' && node.arguments[0] && ts.isObjectLiteralExpression(node.arguments[0])) {
        const props = node.arguments[0].properties.filter(ts.isPropertyAssignment)
        const prop = (name: string) => props.find((p) => ts.isIdentifier(p.name) && p.name.text === name)?.initializer
        const handler = prop('handler')
        if (handler) record(`${pathOf(prop('method'), source) ?? 'ROUTE'} ${pathOf(prop('url'), source) ?? '?'}`, handler)
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return { handlers, unresolved }
}

function scanAll(): { handlers: Handler[]; unresolved: string[] } {
  const all = sourceFiles(SRC).map((path) => handlersOf(relative(SRC, path), readFileSync(path, 'utf8')))
  return { handlers: all.flatMap((a) => a.handlers), unresolved: all.flatMap((a) => a.unresolved) }
}

t.test(`every route handler body is at most ${MAX_LINES} lines`, async (t) => {
  const { handlers, unresolved } = scanAll()
  t.ok(handlers.length > 50, `the scanner finds the app's handlers (${handlers.length})`)
  t.same(unresolved, [], 'every handler is a function the scanner can measure')
  const long = handlers.filter((h) => h.lines > MAX_LINES).map((h) => `src/${h.file}:${h.line} ${h.route} has ${h.lines} lines`)
  t.same(long, [], 'move the rules into the feature service, the SQL into its queries module')
})

t.test('the scanner measures inline, named and app.route handlers, not counting blanks and comments', async (t) => {
  const text = [
    "app.get('/short', { schema }, async () => listUsers(db))",
    "app.post('/long', async (request, reply) => {",
    '  // why this happens',
    '  const a = 1',
    '',
    '  /* a block',
    '     comment */',
    '  return a',
    '})',
    'async function named(request) {',
    '  const x = await load(request)',
    '  return x',
    '}',
    "app.delete('/named/:id', { preHandler }, named)",
    "app.route({ method: 'PUT', url: '/r', handler: async () => {",
    '  return 1',
    '} })',
    "app.get('/unknown', makeHandler(db))",
    "map.get('key')"
  ].join('\n')
  const { handlers, unresolved } = handlersOf('x-routes.ts', text)
  t.same(
    handlers.map((h) => [h.route, h.lines]),
    [
      ['GET /short', 1],
      ['POST /long', 2],
      ['DELETE /named/:id', 2],
      ['PUT /r', 1]
    ]
  )
  t.same(unresolved, ['x-routes.ts:18 GET /unknown'])
})
