// Two Ajv instances behind every route schema, because bodies and URLs need opposite coercion:
//  - bodies: never coerced ("4" is not an integer: agents and admins get a clear 400), unknown
//    fields dropped where a schema says additionalProperties:false (agents are forward-compatible).
//  - query strings and params: always text on the wire, so `?limit=20&updates_only=true` are
//    coerced to the declared integer/boolean types.
// Each schema is compiled on its route's first request (src/http/lazy-compile.ts), not at start.
import Ajv, { type ErrorObject, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchema, FastifySchemaCompiler } from 'fastify'
import type { LazyCompiles } from './lazy-compile.js'

const COMMON_OPTIONS: Options = {
  removeAdditional: true,
  useDefaults: true,
  allErrors: false,
  // Fastify's defaults: route schemas are compiled one by one and never referenced by $id.
  addUsedSchema: false,
  strict: false
}

function ajvWith(options: Options): Ajv {
  const ajv = new Ajv({ ...COMMON_OPTIONS, ...options })
  addFormats(ajv)
  return ajv
}

/** Deeper than this, values can only sit in free-form JSON blobs, where Infinity is stored as null. */
const MAX_FINITE_CHECK_DEPTH = 256

/**
 * Path of the first non-finite number (Infinity from `1e999` or a 400-digit query value), if any.
 * The path is built only once something is found: this runs on every 10,000-package report.
 */
export function nonFiniteNumberPath(value: unknown, depth = 0): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : ''
  if (value === null || typeof value !== 'object' || depth > MAX_FINITE_CHECK_DEPTH) return undefined
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nonFiniteNumberPath(value[i], depth + 1)
      if (found !== undefined) return `/${i}${found}`
    }
    return undefined
  }
  for (const key in value) {
    const found = nonFiniteNumberPath((value as Record<string, unknown>)[key], depth + 1)
    if (found !== undefined) return `/${key}${found}`
  }
  return undefined
}

interface CheckedValidator {
  (data: unknown): boolean
  errors?: ErrorObject[] | null
}

export function createValidatorCompiler(lazy: LazyCompiles): FastifySchemaCompiler<FastifySchema> {
  // Made on first use: building an Ajv instance compiles its meta-schema (about 100 ms).
  let bodies: Ajv | undefined
  let urls: Ajv | undefined
  return ({ schema, httpPart }) => {
    const compile = () => {
      if (httpPart === 'querystring' || httpPart === 'params') return (urls ??= ajvWith({ coerceTypes: 'array' })).compile(schema as object)
      return (bodies ??= ajvWith({ coerceTypes: false })).compile(schema as object)
    }
    const validate = lazy.wrap(compile)
    // Ajv counts Infinity as an integer (Infinity % 1 is NaN, which it does not reject); SQLite
    // then refuses it deep inside a query. Reject it here with the schema's error shape.
    const checked: CheckedValidator = (data) => {
      if (!validate.run(data)) {
        checked.errors = validate.current().errors ?? null
        return false
      }
      const bad = nonFiniteNumberPath(data)
      if (bad !== undefined) {
        checked.errors = [
          { instancePath: bad, schemaPath: '#/type', keyword: 'type', params: { type: 'number' }, message: 'must be a finite number' }
        ]
        return false
      }
      checked.errors = null
      return true
    }
    return checked
  }
}
