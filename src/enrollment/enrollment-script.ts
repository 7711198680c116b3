// The enrollment script behind GET /api/v1/auto-enrollment/script: the checks in upstream's order
// (facts: enrollment §6: credentials, type, the script itself, then the token) and the script with
// the server URL and the token credentials injected as defaults.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { errorOf } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { judgeWithinBudget } from '../http/credential-budget.js'
import { effectiveServerUrl } from '../settings/effective-server-url.js'
import { checkEnrollmentToken } from './enrollment-token-check.js'
import { credentialVerifiedBefore } from '../integration-tokens/token-verification.js'
import { injectConfig, renderConfigBlock, SCRIPT_ASSETS } from './served-scripts.js'

const SCRIPT_TYPES = ['proxmox-lxc', 'direct-host'] as const
type ScriptType = (typeof SCRIPT_TYPES)[number]

const FILE_NAMES: Record<ScriptType, string> = {
  'proxmox-lxc': 'proxmox_auto_enroll.sh',
  'direct-host': 'direct_host_auto_enroll.sh'
}

const E = ERROR_MESSAGES.enrollmentScripts

const isScriptType = (t: string): t is ScriptType => (SCRIPT_TYPES as readonly string[]).includes(t)

export interface ScriptQuery {
  type?: string | undefined
  token_key?: string | undefined
  token_secret?: string | undefined
  force?: string | undefined
}

/** The script to send and its download name; throws the documented errors in the documented order. */
export async function enrollmentScript(
  app: FastifyInstance,
  request: FastifyRequest,
  query: ScriptQuery
): Promise<{ fileName: string; body: string }> {
  const { type, token_key: key, token_secret: secret, force } = query
  if (!key || !secret) throw errorOf(E.keyAndSecretRequired)
  if (!type) throw errorOf(E.typeRequired)
  if (!isScriptType(type)) throw errorOf({ ...E.invalidType, message: E.invalidType.message(type.slice(0, 64), SCRIPT_TYPES.join(', ')) })
  const script = app.scriptReader(SCRIPT_ASSETS[type])
  if (!script) throw errorOf({ ...E.scriptNotFound, message: E.scriptNotFound.message(type) })
  const now = app.enrollmentClock.now()
  const judge = () => checkEnrollmentToken(app, key, secret, now)
  if (await credentialVerifiedBefore(app.store.db, app.keyDigester, key, secret)) await judge()
  else await judgeWithinBudget(app, request, `enroll:${key}`, judge)
  const insecure = await app.settings.get('ignore_ssl_self_signed')
  const block = renderConfigBlock(
    [
      { name: 'PATCHMON_URL', value: await effectiveServerUrl(app, request) },
      { name: 'AUTO_ENROLLMENT_KEY', value: key },
      { name: 'AUTO_ENROLLMENT_SECRET', value: secret },
      { name: 'CURL_FLAGS', value: insecure ? '-sk' : '-s' },
      { name: 'FORCE_INSTALL', value: force === 'true' || force === '1' ? 'true' : 'false' }
    ],
    now
  )
  return { fileName: FILE_NAMES[type], body: injectConfig(script.toString('utf8'), block) }
}
