// What a route says about its audit entry, in its `config.audit`. Every POST/PUT/PATCH/DELETE route
// declares either the action it performs or why it is not audited (test/audit/route-declarations
// checks all of them), and one set of hooks (audit-hooks.ts) writes the entry: who, what, which
// target, from where and the outcome. The declaration is merged into Fastify's route config here, so
// features write plain object literals and import nothing from this folder.

/** Kinds of things an entry can be about; a label lookup may be registered per kind (audit-plugin.ts). */
export type AuditTargetType =
  | 'user'
  | 'role'
  | 'session'
  | 'host'
  | 'host_group'
  | 'token'
  | 'destination'
  | 'notification_route'
  | 'scheduled_report'
  | 'settings'
  | 'discord_settings'
  | 'oidc_settings'
  | 'patch_run'
  | 'patch_policy'
  | 'patch_schedule'
  | 'patch_window'
  | 'patch_hold'
  | 'patch_bulk'

export interface AuditedRoute {
  /** `<thing>.<verb>`, e.g. `user.update`, `host.credentials_rotate`. */
  action: string
  /** What the route acts on; its id comes from the path parameter `idParam` or, for a create, the reply's `id`. */
  target?: AuditTargetType
  /** Path parameter holding the target id (default `id`). */
  idParam?: string
}

export interface NotAuditedRoute {
  /** Why this route writes no entry (agent traffic, a read-only preview, recorded by its service, ...). */
  notAudited: string
}

export type AuditDeclaration = AuditedRoute | NotAuditedRoute

declare module 'fastify' {
  interface FastifyContextConfig {
    audit?: AuditDeclaration
  }
}

export const MUTATING_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
