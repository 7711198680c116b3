// Generates hostile requests for every operation of the served OpenAPI document: wrong types,
// missing and extra fields, huge strings and arrays, deep nesting, invalid UTF-8 and JSON, wrong
// content types, path traversal and SQL-looking values, and header abuse.
import type { InjectOptions } from 'fastify'

export interface Operation {
  method: string
  path: string
  bodySchema?: JsonSchema
  querySchema: Record<string, JsonSchema>
  security: string[]
}

export interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
}

interface OpenApiOperation {
  parameters?: Array<{ in: string; name: string; schema?: JsonSchema }>
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> }
  security?: Array<Record<string, string[]>>
}

export interface HostileCase {
  name: string
  request: InjectOptions
}

export function operationsOf(doc: { paths: Record<string, Record<string, OpenApiOperation>> }): Operation[] {
  const ops: Operation[] = []
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue
      const querySchema: Record<string, JsonSchema> = {}
      for (const p of op.parameters ?? []) if (p.in === 'query') querySchema[p.name] = p.schema ?? {}
      ops.push({
        method: method.toUpperCase(),
        path,
        bodySchema: op.requestBody?.content?.['application/json']?.schema,
        querySchema,
        security: (op.security ?? []).flatMap((s) => Object.keys(s))
      })
    }
  }
  return ops
}

const PATH_VALUES = [
  '../../../../etc/passwd',
  "1' OR '1'='1",
  '%00',
  'x'.repeat(5000),
  '00000000-0000-0000-0000-000000000000',
  '%E2%80%AE%F0%9F%92%A9',
  '..%2F..%2Fpatchmon.db'
]

const SQLISH = "'; DROP TABLE hosts; --"

function fillPath(path: string, value: string): string {
  return path.replace(/\{[^}]+\}/g, () => encodeURIComponent(value).replace(/%25/g, '%'))
}

/** A value of the wrong JSON type for a schema. */
function wrongTypeFor(schema: JsonSchema): unknown {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  switch (type) {
    case 'string':
      return { nested: ['object', 'where', 'a', 'string', 'belongs'] }
    case 'integer':
    case 'number':
      return '12; DROP TABLE users'
    case 'boolean':
      return 'yes'
    case 'array':
      return 'not-an-array'
    case 'object':
      return [1, 2, 3]
    default:
      return null
  }
}

function deepNesting(depth: number): unknown {
  let value: unknown = 'bottom'
  for (let i = 0; i < depth; i++) value = { a: value }
  return value
}

/** A minimal body that satisfies `required` with plausible values, so other fields get tested. */
function plausibleBody(schema: JsonSchema | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  for (const key of schema?.required ?? []) {
    const prop = schema?.properties?.[key] ?? {}
    const type = Array.isArray(prop.type) ? prop.type[0] : prop.type
    // Tagged per field (see the SQL-ish case below for why).
    body[key] =
      type === 'integer' || type === 'number'
        ? 1
        : type === 'boolean'
          ? true
          : type === 'array'
            ? []
            : type === 'object'
              ? {}
              : `hostile-test-<${key}>`
  }
  return body
}

export function hostileCases(op: Operation, authHeaders: Record<string, string>): HostileCase[] {
  const cases: HostileCase[] = []
  const base = fillPath(op.path, PATH_VALUES[0] as string)
  const jsonHeaders = { ...authHeaders, 'content-type': 'application/json' }
  const add = (name: string, request: InjectOptions) =>
    cases.push({ name: `${op.method} ${op.path} — ${name}`, request: { method: op.method as InjectOptions['method'], ...request } })

  for (const value of PATH_VALUES)
    if (op.path.includes('{')) add(`path param ${value.slice(0, 30)}`, { url: fillPath(op.path, value), headers: authHeaders })
  for (const [name, schema] of Object.entries(op.querySchema)) {
    add(`query ${name} SQL-ish`, { url: `${fillPath(op.path, 'x')}?${name}=${encodeURIComponent(SQLISH)}`, headers: authHeaders })
    add(`query ${name} huge`, { url: `${fillPath(op.path, 'x')}?${name}=${'9'.repeat(4000)}`, headers: authHeaders })
    add(`query ${name} repeated`, {
      url: `${fillPath(op.path, 'x')}?${name}=a&${name}=b&${name}=${encodeURIComponent(JSON.stringify(wrongTypeFor(schema)))}`,
      headers: authHeaders
    })
  }
  add('giant Authorization header', { url: base, headers: { authorization: `Bearer ${'A'.repeat(60_000)}` } })
  add('malformed Basic', { url: base, headers: { authorization: 'Basic %%%not-base64%%%' } })
  add('Basic without colon', { url: base, headers: { authorization: `Basic ${Buffer.from('patchmon_ae_nocolon').toString('base64')}` } })
  add('duplicate agent headers', {
    url: base,
    headers: { 'x-api-id': ['patchmon_a', 'patchmon_b'] as unknown as string, 'x-api-key': 'k' }
  })
  add('no credentials', { url: base })
  add('Bearer with a forged JWT', {
    url: base,
    headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwic2lkIjoieCIsInR5cCI6ImFjY2VzcyJ9.' }
  })
  add('oversized cookie', { url: base, headers: { ...authHeaders, cookie: `token=${'c'.repeat(8000)}` } })
  add('agent headers with newline-ish junk', { url: base, headers: { 'x-api-id': 'patchmon_\u0000', 'x-api-key': "' OR 1=1 --" } })

  if (op.method === 'GET' || op.method === 'DELETE') return cases

  const valid = plausibleBody(op.bodySchema)
  add('invalid JSON', { url: base, headers: jsonHeaders, payload: '{"unterminated": ' })
  add('invalid UTF-8', { url: base, headers: jsonHeaders, payload: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) })
  add('JSON array body', { url: base, headers: jsonHeaders, payload: '[1,2,3]' })
  add('JSON scalar body', { url: base, headers: jsonHeaders, payload: '"just a string"' })
  add('wrong content type', { url: base, headers: { ...authHeaders, 'content-type': 'text/xml' }, payload: '<a/>' })
  add('form body', { url: base, headers: { ...authHeaders, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1&b=2' })
  add('deep nesting', { url: base, headers: jsonHeaders, payload: JSON.stringify({ ...valid, extra: deepNesting(5000) }) })
  add('huge array', { url: base, headers: jsonHeaders, payload: JSON.stringify({ ...valid, extra: new Array(100_000).fill('x') }) })
  add('prototype pollution', {
    url: base,
    headers: jsonHeaders,
    payload: `{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}},${JSON.stringify(valid).slice(1)}`
  })
  const props = op.bodySchema?.properties ?? {}
  for (const [name, schema] of Object.entries(props)) {
    add(`body ${name} wrong type`, { url: base, headers: jsonHeaders, payload: JSON.stringify({ ...valid, [name]: wrongTypeFor(schema) }) })
    add(`body ${name} huge string`, { url: base, headers: jsonHeaders, payload: JSON.stringify({ ...valid, [name]: 'Z'.repeat(300_000) }) })
    // Tagged with the field name in <>: the secrets audit treats a value sent as a password as a
    // secret, so text echoed back from a name field elsewhere must neither equal nor contain it.
    add(`body ${name} SQL-ish`, { url: base, headers: jsonHeaders, payload: JSON.stringify({ ...valid, [name]: `${SQLISH} <${name}>` }) })
    add(`body ${name} null`, { url: base, headers: jsonHeaders, payload: JSON.stringify({ ...valid, [name]: null }) })
    add(`body ${name} control characters`, {
      url: base,
      headers: jsonHeaders,
      payload: JSON.stringify({ ...valid, [name]: 'a\u0000b\u202Ec\r\nSet-Cookie: x=1' })
    })
    add(`body ${name} huge number`, {
      url: base,
      headers: jsonHeaders,
      payload: `{${JSON.stringify(valid).slice(1, -1)}${Object.keys(valid).length ? ',' : ''}"${name}":1e999999}`
    })
    if (op.bodySchema?.required?.includes(name)) {
      const { [name]: _dropped, ...rest } = valid
      add(`body missing ${name}`, { url: base, headers: jsonHeaders, payload: JSON.stringify(rest) })
    }
  }
  return cases
}
