// One error vocabulary. Every error we raise on purpose is an ApiError carrying its HTTP status
// and one of the spec's three body shapes:
//   {error}                       most errors
//   {error, message}              errors with a detail line (scopes, rate limits, enroll caps)
//   {errors: [{msg, param, location}]}   validation errors of the admin APIs
// The error handler (error-handler.ts) renders them; anything else becomes a generic 500.

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
export const unauthorized = (error = 'Unauthorized') => new ApiError(401, { error })
export const forbidden = (error = 'Insufficient permissions', message?: string) =>
  new ApiError(403, message ? { error, message } : { error })
export const notFound = (error: string) => new ApiError(404, { error })
export const conflict = (error: string) => new ApiError(409, { error })
export const tooManyRequests = (body: ErrorBody, retryAfterSeconds: number) =>
  new ApiError(429, body, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) })

/** 400 {errors:[{msg,param,location}]} — the documented validation shape. */
export const validationFailed = (issues: ValidationIssue[]) => new ApiError(400, { errors: issues })
export const invalidField = (param: string, msg: string, location: ValidationIssue['location'] = 'body') =>
  validationFailed([{ msg, param, location }])

/** Errors used by more than one feature, with the exact wording clients match on. */
export const COMMON = {
  invalidBody: 'Invalid request body',
  agentCredentialsRequired: 'API credentials required',
  agentCredentialsInvalid: 'Invalid API credentials',
  hostNotFound: 'Host not found',
  hostGroupNotFound: 'Host group not found',
  userNotFound: 'User not found',
  internal: 'Internal server error',
  diskFull: 'Insufficient storage',
  diskFullDetail: 'The server cannot save this change: the disk holding its database is full. Try again once the operator has freed space.',
  tooManyRequests: 'Too many requests. Try again later.'
} as const
