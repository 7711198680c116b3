// Reading destination configs from request bodies: every failure is a 400 with a sentence users
// can act on (the spec's "Webhook URL is required" among them).
import { badRequest } from '../../http/errors.js'
import { ERROR_MESSAGES, fillMessage } from '../../http/error-messages.js'

const CONFIG_ERRORS = ERROR_MESSAGES.notificationDestinations

export function optionalString(input: Record<string, unknown>, key: string, max = 2048): string | undefined {
  const value = input[key]
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value !== 'string') throw badRequest(fillMessage(CONFIG_ERRORS.fieldNotString, { key }))
  if (value.length > max) throw badRequest(fillMessage(CONFIG_ERRORS.fieldTooLong, { key, max }))
  return value.trim()
}

export function requiredString(input: Record<string, unknown>, key: string, message: string, max = 2048): string {
  const value = optionalString(input, key, max)
  if (!value) throw badRequest(message)
  return value
}

export function httpUrl(value: string, message: string): string {
  let parsed: URL
  try {
    parsed = new URL(value)
  } catch {
    throw badRequest(message)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw badRequest(message)
  return parsed.toString()
}

export function optionalInteger(input: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
  const value = input[key]
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badRequest(fillMessage(CONFIG_ERRORS.fieldNotWholeNumber, { key, min, max }))
  }
  return value
}

/** Keeps the previous secret when an update leaves the field out; an empty string clears it. */
export function keptSecret(input: Record<string, unknown>, key: string, previous: string | undefined): string | undefined {
  if (!(key in input)) return previous
  return optionalString(input, key, 4096)
}

/** Shows where a URL points without its secret part: scheme, host and a masked path. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url)
    const path = parsed.pathname.length > 1 ? '/••••' + parsed.pathname.slice(-4) : ''
    return `${parsed.protocol}//${parsed.host}${path}`
  } catch {
    return '••••'
  }
}
