// Two Ajv instances behind every route schema, because bodies and URLs need opposite coercion:
//  - bodies: never coerced ("4" is not an integer: agents and admins get a clear 400), unknown
//    fields dropped where a schema says additionalProperties:false (agents are forward-compatible).
//  - query strings and params: always text on the wire, so `?limit=20&updates_only=true` are
//    coerced to the declared integer/boolean types.
import Ajv, { type ErrorObject, type Options } from 'ajv'
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

/**
 * Path of the first non-finite number (Infinity from `1e999` or a 400-digit query value), if any.
 * Iterative, with the path built only for the value found: a hostile body nests deeper than the
 * call stack allows (a recursive walk threw RangeError, answered as a 500).
 */
export function nonFiniteNumberPath(value: unknown, path = ''): string | undefined {
  const nodes: { value: unknown; parent: number; key: string }[] = [{ value, parent: -1, key: '' }]
  const pending = [0]
  while (pending.length > 0) {
    const index = pending.pop() as number
    const node = nodes[index] as { value: unknown; parent: number; key: string }
    if (typeof node.value === 'number') {
      if (Number.isFinite(node.value)) continue
      const keys: string[] = []
      for (let at = index; at > 0; at = (nodes[at] as { parent: number }).parent) keys.push((nodes[at] as { key: string }).key)
      return path + keys.reverse().map((k) => `/${k}`).join('')
    }
    if (node.value === null || typeof node.value !== 'object') continue
    const entries = Object.entries(node.value)
    // Pushed in reverse so the first key is visited first, as a recursive walk would.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i] as [string, unknown]
      nodes.push({ value: child, parent: index, key })
      pending.push(nodes.length - 1)
    }
  }
  return undefined
}

interface CheckedValidator {
  (data: unknown): boolean
  errors?: ErrorObject[] | null
}

export function createValidatorCompiler(): FastifySchemaCompiler<FastifySchema> {
  const bodies = ajvWith({ coerceTypes: false })
  const urls = ajvWith({ coerceTypes: 'array' })
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'querystring' || httpPart === 'params' ? urls : bodies
    const validate = ajv.compile(schema as object)
    // Ajv counts Infinity as an integer (Infinity % 1 is NaN, which it does not reject); SQLite
    // then refuses it deep inside a query. Reject it here with the schema's error shape.
    const checked: CheckedValidator = (data) => {
      if (!validate(data)) {
        checked.errors = validate.errors ?? null
        return false
      }
      const bad = nonFiniteNumberPath(data)
      if (bad !== undefined) {
        checked.errors = [{ instancePath: bad, schemaPath: '#/type', keyword: 'type', params: { type: 'number' }, message: 'must be a finite number' }]
        return false
      }
      checked.errors = null
      return true
    }
    return checked
  }
}
