// One error vocabulary. Every error we raise on purpose is an ApiError carrying its HTTP status
// and one of the spec's three body shapes:
//   {error}                       most errors
//   {error, message}              errors with a detail line (scopes, rate limits, enroll caps)
//   {errors: [{msg, param, location}]}   validation errors of the admin APIs
// The error handler (error-handler.ts) renders them; anything else becomes a generic 500. The strings
// themselves live in one table, error-messages.ts; errorOf() turns an entry of it into an ApiError.
import { ERROR_MESSAGES } from './error-messages.js'

export interface ValidationIssue {
  msg: string
  param: string
  location: 'body' | 'query' | 'params' | 'headers'
}

export type ErrorBody = { error: string; message?: string; [extra: string]: unknown } | { errors: ValidationIssue[] }

export class ApiError extends Error {
  readonly statusCode: number
  readonly body: ErrorBody
  readonly headers: Record<string, string>

  constructor(statusCode: number, body: ErrorBody, headers: Record<string, string> = {}) {
    super('error' in body ? body.error : body.errors.map((e) => e.msg).join('; '))
    this.name = 'ApiError'
    this.statusCode = statusCode
    this.body = body
    this.headers = headers
  }
}

export const badRequest = (error: string, message?: string) => new ApiError(400, message ? { error, message } : { error })
const SHARED = ERROR_MESSAGES.common

export const unauthorized = (error: string = SHARED.unauthorized.message) => new ApiError(401, { error })
export const forbidden = (error: string = SHARED.insufficientPermissions.message, message?: string) =>
  new ApiError(403, message ? { error, message } : { error })
export const notFound = (error: string) => new ApiError(404, { error })
export const conflict = (error: string) => new ApiError(409, { error })
export const tooManyRequests = (body: ErrorBody, retryAfterSeconds: number) =>
  new ApiError(429, body, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) })

/** 400 {errors:[{msg,param,location}]} — the documented validation shape. */
export const validationFailed = (issues: ValidationIssue[]) => new ApiError(400, { errors: issues })
export const invalidField = (param: string, msg: string, location: ValidationIssue['location'] = 'body') =>
  validationFailed([{ msg, param, location }])

/** An entry of the table whose `error` is fixed (its detail line may still be built by the caller). */
export type FixedErrorEntry = { readonly message: string; readonly status: number; readonly detail?: unknown }

/**
 * The ApiError of a table entry: `{ error }`, plus its fixed detail line as `message` when it has one.
 * `extra` adds or replaces fields (a built detail line, `remaining_seconds`, ...), in that order.
 */
export function errorOf(entry: FixedErrorEntry, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): ApiError {
  const detail = typeof entry.detail === 'string' ? { message: entry.detail } : {}
  return new ApiError(entry.status, { error: entry.message, ...detail, ...extra }, headers)
}

/** Route config `validationMessages` from table entries: field name -> its documented message. */
export function validationMessagesOf(entries: Record<string, { readonly message: string }>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).map(([field, e]) => [field, e.message]))
}

/** Errors used by more than one feature, with the exact wording clients match on (from the table). */
export const COMMON = {
  invalidBody: SHARED.invalidBody.message,
  agentCredentialsRequired: SHARED.agentCredentialsRequired.message,
  agentCredentialsInvalid: SHARED.agentCredentialsInvalid.message,
  hostNotFound: SHARED.hostNotFound.message,
  hostGroupNotFound: SHARED.hostGroupNotFound.message,
  userNotFound: SHARED.userNotFound.message,
  internal: SHARED.internal.message,
  diskFull: SHARED.diskFull.message,
  diskFullDetail: SHARED.diskFull.detail,
  tooManyRequests: SHARED.tooManyRequests.detail
} as const
