// Two Ajv instances behind every route schema, because bodies and URLs need opposite coercion:
//  - bodies: never coerced ("4" is not an integer: agents and admins get a clear 400), unknown
//    fields dropped where a schema says additionalProperties:false (agents are forward-compatible).
//  - query strings and params: always text on the wire, so `?limit=20&updates_only=true` are
//    coerced to the declared integer/boolean types.
import Ajv, { type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchema, FastifySchemaCompiler } from 'fastify'

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

export function createValidatorCompiler(): FastifySchemaCompiler<FastifySchema> {
  const bodies = ajvWith({ coerceTypes: false })
  const urls = ajvWith({ coerceTypes: 'array' })
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'querystring' || httpPart === 'params' ? urls : bodies
    return ajv.compile(schema as object)
  }
}
