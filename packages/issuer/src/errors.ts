/**
 * Every refusal the pipeline answers with has a stable `code`, an HTTP status and one line of message, in the
 * service's envelope `{ "error": { "code", "message" } }`. Messages never contain a key, a token or a header value.
 * This is the one table of codes for both adapters: the Node service (@usersig/server) imports it, and docs/service.md
 * has it with resolutions. A few codes only the service produces (its own timeouts and header limits).
 */

/**
 * Every error code the issuing pipeline and the Node service answer with, and its HTTP status. The code is the stable
 * part of an error answer (`error.code`): a client branches on it, not on the message.
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
  USERID_NOT_ALLOWED: 403,
  ROOM_NOT_ALLOWED: 403,
  PRIVILEGES_DENIED: 403,
  UNKNOWN_SDKAPPID: 404,
  NOT_FOUND: 404,
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  HEADERS_TOO_LARGE: 431,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  AUTH_UNAVAILABLE: 503,
  POLICY_UNAVAILABLE: 503,
  STORE_UNAVAILABLE: 503,
  SHUTTING_DOWN: 503,
} as const

/** One code of `ERROR_STATUS`, such as `RATE_LIMITED` or `TOKEN_EXPIRED`: what `HttpError.code` holds. */
export type ErrorCode = keyof typeof ERROR_STATUS

/** The optional parts of an `HttpError`, for code that refuses a request (an authenticator, a policy, a store). */
export interface HttpErrorOptions {
  /** Headers to send with the error answer (e.g. `Retry-After`). */
  headers?: Record<string, string>
  /** The underlying error, kept for the log; never sent to the caller. */
  cause?: unknown
  /** Already logged where it arose (an outage is logged when it starts, not on every request it refuses). */
  logged?: boolean
  /** For the audit line only, when it must say more than the answer: the real reason and who the caller was. */
  audit?: { reason: string; auth?: string }
}

/** An error that becomes an HTTP answer. */
export class HttpError extends Error {
  /** Always `HttpError`. */
  override name = 'HttpError'
  /** The stable code of the answer (`error.code` in its body). */
  readonly code: ErrorCode
  /** The HTTP status, from `ERROR_STATUS`. */
  readonly status: number
  /** Headers sent with the answer (e.g. `retry-after`). */
  readonly headers: Record<string, string>
  /** True when the failure was logged where it arose, so the adapter does not log it again. */
  readonly logged: boolean
  /** What the audit line says beyond the answer, if anything (see `HttpErrorOptions.audit`). */
  readonly audit: { reason: string; auth?: string } | undefined

  constructor(code: ErrorCode, message: string, options: HttpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.status = ERROR_STATUS[code]
    this.headers = options.headers ?? {}
    this.logged = options.logged ?? false
    this.audit = options.audit
  }
}

/** The JSON body of every error answer: what a client of the issuing routes reads on a 4xx or 5xx. */
export interface ErrorBody {
  /** `code`: one of `ERROR_STATUS`; `message`: one line for a person, never holding a key, token or header value. */
  error: { code: string; message: string }
}

/** The JSON body of an error answer: `{ error: { code, message } }`. */
export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } }
}
