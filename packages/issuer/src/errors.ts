/**
 * Every refusal the pipeline answers with has a stable `code`, an HTTP status and one line of message, in the
 * service's envelope `{ "error": { "code", "message" } }`. Messages never contain a key, a token or a header value.
 * The codes and statuses are the service's (docs/service.md has the table with resolutions).
 */

export const ERROR_STATUS = {
  INVALID_JSON: 400,
  INVALID_REQUEST: 400,
  USERID_IN_BODY: 400,
  INVALID_EXPIRES_IN: 400,
  INVALID_ROOM_ID: 400,
  INVALID_STR_ROOM_ID: 400,
  INVALID_PRIVILEGES: 400,
  INVALID_USERID: 400,
  INVALID_SDKAPPID: 400,
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_INVALID: 401,
  FORBIDDEN: 403,
  USERID_NOT_ALLOWED: 403,
  ROOM_NOT_ALLOWED: 403,
  PRIVILEGES_DENIED: 403,
  UNKNOWN_SDKAPPID: 404,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  AUTH_UNAVAILABLE: 503,
  POLICY_UNAVAILABLE: 503,
  STORE_UNAVAILABLE: 503,
  SHUTTING_DOWN: 503,
} as const

export type ErrorCode = keyof typeof ERROR_STATUS

/** An error that becomes an HTTP answer. */
export class HttpError extends Error {
  override name = 'HttpError'
  readonly code: ErrorCode
  readonly status: number
  readonly headers: Record<string, string>

  constructor(code: ErrorCode, message: string, options: { headers?: Record<string, string>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.status = ERROR_STATUS[code]
    this.headers = options.headers ?? {}
  }
}

export interface ErrorBody {
  error: { code: string; message: string }
}

/** The JSON body of an error answer: `{ error: { code, message } }`. */
export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } }
}
