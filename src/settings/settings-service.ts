// The rules of a settings save: a blank server URL clears it, an unreadable one is refused, the
// notification targets must parse, the default role must exist and stay within what its author
// holds (also when sign-up is being turned on). Only keys whose value really changes are written,
// and settings_changed names them. The route only parses and replies.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { parseServerUrl } from '../config.js'
import { invalidField } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import type { CurrentUser } from '../http/session-auth.js'
import { invalidTargets } from '../security/outbound-targets.js'
import { rolePermissions } from '../users/role-queries.js'
import { effectiveServerUrl } from './effective-server-url.js'
import { assertGrantWithinAuthor } from './grant-limits.js'
import type { SettingValues } from './settings-store.js'

const SETTINGS_ERRORS = ERROR_MESSAGES.settings

/** What the API shows: every setting and the URL scripts and OAuth callbacks actually use. */
export async function settingsView(app: FastifyInstance, request: FastifyRequest) {
  return { ...(await app.settings.getAll()), effective_server_url: await effectiveServerUrl(app, request) }
}

/** The values as they will be stored: URL and targets normalised and checked (400 per field). */
function normalised(body: Partial<SettingValues>): Partial<SettingValues> {
  const next: Partial<SettingValues> = { ...body }
  if (typeof body.server_url === 'string') {
    const trimmed = body.server_url.trim()
    if (trimmed === '') next.server_url = null
    else {
      try {
        next.server_url = parseServerUrl(trimmed)
      } catch {
        throw invalidField('server_url', SETTINGS_ERRORS.server_url.message)
      }
    }
  }
  if (body.notify_allowed_targets !== undefined) {
    const targets = body.notify_allowed_targets.map((entry) => entry.trim()).filter(Boolean)
    if (invalidTargets(targets).length > 0) throw invalidField('notify_allowed_targets', SETTINGS_ERRORS.notify_allowed_targets.message)
    next.notify_allowed_targets = targets
  }
  if (body.cve_download_urls !== undefined) {
    const urls = body.cve_download_urls.map((entry) => entry.trim()).filter(Boolean)
    if (!urls.every(isHttpUrl)) throw invalidField('cve_download_urls', ERROR_MESSAGES.vulnerabilities.cve_download_urls.message)
    next.cve_download_urls = urls
  }
  return next
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === ''
  } catch {
    return false
  }
}

/** Saves the keys sent by `author`; returns the keys whose value changed (settings_changed is emitted for them). */
export async function changeSettings(app: FastifyInstance, author: CurrentUser, body: Partial<SettingValues>): Promise<string[]> {
  const next = normalised(body)
  if (body.default_user_role !== undefined && !(await rolePermissions(app.store.db, body.default_user_role))) {
    throw invalidField('default_user_role', ERROR_MESSAGES.settingsRoles.defaultUserRoleUnknown.message)
  }
  const current = await app.settings.getAll()
  if (body.default_user_role !== undefined && body.default_user_role !== current.default_user_role) {
    await assertGrantWithinAuthor(app, author, body.default_user_role, 'This default role')
  }
  if (body.signup_enabled === true && !current.signup_enabled) {
    await assertGrantWithinAuthor(app, author, next.default_user_role ?? current.default_user_role, 'Enabling sign-up')
  }
  const changed = (Object.keys(next) as (keyof SettingValues)[]).filter((key) => next[key] !== current[key])
  await app.settings.setMany(Object.fromEntries(changed.map((key) => [key, next[key]])))
  if (changed.length > 0) app.events.emit('settings_changed', { keys: changed })
  return changed
}
