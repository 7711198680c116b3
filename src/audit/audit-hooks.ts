// The route side of the audit log. An onRoute hook reads each mutating route's `config.audit`
// (audit-declaration.ts), lists the route for the declaration check, and gives every audited route
// two hooks: a preHandler that looks up the target's label while it still exists (a deleted host
// keeps its name in the log), and an onSend hook that writes the entry with the reply's status as
// its outcome. onSend runs before the reply leaves, so the entry exists when the client sees the
// answer. Only the names of the body's top-level fields are kept, never their values.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import { MUTATING_METHODS, type AuditDeclaration, type AuditedRoute } from './audit-declaration.js'
import { actorOfRequest, recordAudit, type AuditDetails, type AuditOutcome, type AuditTarget } from './record-audit.js'

/** Looks up a target's display name by id (registered per target type by the owning feature). */
export type AuditLabelLookup = (id: string) => Promise<string | null | undefined>

export interface DeclaredRoute {
  method: string
  url: string
  declaration: AuditDeclaration | undefined
}

interface RequestAuditState {
  targetLabel?: string | null | undefined
  target?: AuditTarget
  details?: AuditDetails
}

const states = new WeakMap<FastifyRequest, RequestAuditState>()

function stateOf(request: FastifyRequest): RequestAuditState {
  let state = states.get(request)
  if (!state) states.set(request, (state = {}))
  return state
}

/** Adds safe values (a new role name, an integration type) to the entry this request will write. */
export function auditDetail(request: FastifyRequest, details: AuditDetails): void {
  const state = stateOf(request)
  state.details = { ...state.details, ...details }
}

/** Names the target of this request's entry when the path does not (e.g. the user whose session ended). */
export function auditTarget(request: FastifyRequest, target: AuditTarget): void {
  stateOf(request).target = target
}

type Hook = (...args: never[]) => unknown
const asList = (hooks: unknown): Hook[] => (hooks === undefined ? [] : Array.isArray(hooks) ? [...(hooks as Hook[])] : [hooks as Hook])

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/

/** The names (never the values) of the body's top-level fields. */
function fieldNames(body: unknown): string[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return []
  return Object.keys(body)
    .filter((k) => FIELD_NAME.test(k))
    .slice(0, 40)
}

function paramOf(request: FastifyRequest, name: string): string | undefined {
  const value = (request.params as Record<string, unknown> | undefined)?.[name]
  return typeof value === 'string' && value.length > 0 ? value : undefined
}

/** The `id` of a JSON reply, at the top or one object down (`{ token: { id } }`); nothing else is read. */
function createdIdOf(reply: FastifyReply, payload: unknown): string | undefined {
  if (typeof payload !== 'string' || payload.length > 200_000) return undefined
  if (!String(reply.getHeader('content-type') ?? '').includes('json')) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(payload)
  } catch {
    return undefined
  }
  if (parsed === null || typeof parsed !== 'object') return undefined
  const top = parsed as Record<string, unknown>
  if (typeof top.id === 'string') return top.id
  for (const value of Object.values(top)) {
    if (value && typeof value === 'object' && typeof (value as Record<string, unknown>).id === 'string') {
      return (value as Record<string, unknown>).id as string
    }
  }
  return undefined
}

function outcomeOf(status: number): AuditOutcome {
  if (status < 400) return 'success'
  return status === 401 || status === 403 ? 'denied' : 'failure'
}

export function installAuditHooks(app: FastifyInstance, labels: Map<string, AuditLabelLookup>, declared: DeclaredRoute[]): void {
  async function labelOf(type: string, id: string): Promise<string | null | undefined> {
    try {
      return await labels.get(type)?.(id)
    } catch (err) {
      app.log.warn({ err, type }, 'audit target label lookup failed')
      return undefined
    }
  }

  function hooksFor(declaration: AuditedRoute) {
    const idParam = declaration.idParam ?? 'id'
    async function auditLabelBefore(request: FastifyRequest): Promise<void> {
      const id = paramOf(request, idParam)
      if (declaration.target && id) stateOf(request).targetLabel = await labelOf(declaration.target, id)
    }
    async function auditOnSend(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
      const status = reply.statusCode
      const actor = actorOfRequest(request)
      // Unauthenticated refusals are scanner noise, not actions; the rate limits and logs cover them.
      if (status >= 400 && actor.type === 'anonymous') return payload
      const state = states.get(request) ?? {}
      let target = state.target ?? null
      if (!target && declaration.target) {
        const id = paramOf(request, idParam) ?? (status < 300 ? createdIdOf(reply, payload) : undefined)
        const label = state.targetLabel ?? (id ? await labelOf(declaration.target, id) : undefined)
        target = { type: declaration.target, id: id ?? null, label: label ?? null }
      }
      const fields = fieldNames(request.body)
      await recordAudit(app, request, {
        action: declaration.action,
        outcome: outcomeOf(status),
        reason: status >= 400 ? `http_${status}` : null,
        actor,
        target,
        details: { ...(fields.length > 0 ? { fields } : {}), ...state.details }
      })
      return payload
    }
    return { auditLabelBefore, auditOnSend }
  }

  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = ([] as string[]).concat(route.method).filter((m) => MUTATING_METHODS.has(m))
    if (methods.length === 0) return
    const declaration = route.config?.audit
    for (const method of methods) declared.push({ method, url: route.url, declaration })
    if (!declaration || !('action' in declaration)) return
    const { auditLabelBefore, auditOnSend } = hooksFor(declaration)
    route.preHandler = [...asList(route.preHandler), auditLabelBefore] as RouteOptions['preHandler']
    route.onSend = [...asList(route.onSend), auditOnSend] as RouteOptions['onSend']
  })
}
