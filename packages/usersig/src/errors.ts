/**
 * Typed errors. Every failure the library reports has a stable `code`; messages never contain a key or a whole token.
 * A bad value or type of a named input is a UserSigError with that input's code, worded the same from every entry
 * point (docs/spec/errors.md §1); only a call not shaped like the API (options not an object, an unknown enum value)
 * throws TypeError.
 */

/** Stable error codes. The README's error table documents each with a resolution. */
export type UserSigErrorCode =
  | 'INVALID_SDKAPPID'
  | 'INVALID_SECRET_KEY'
  | 'INVALID_USERID'
  | 'INVALID_EXPIRES_IN'
  | 'INVALID_NOW'
  | 'INVALID_ROOM_ID'
  | 'INVALID_STR_ROOM_ID'
  | 'INVALID_PRIVILEGES'
  | 'INVALID_USERBUF'
  | 'INVALID_PRIVATE_KEY'
  | 'INVALID_PUBLIC_KEY'
  | 'MALFORMED'

/** Where the token envelope failed to parse. */
export type MalformedStage = 'base64' | 'zlib' | 'json' | 'fields'

/** What a UserSigError carries besides its code and message. */
export interface UserSigErrorOptions {
  /** A short fix for the caller, never containing the token or a key. */
  hint?: string
  /** For MALFORMED: where the token envelope failed to parse. */
  stage?: MalformedStage
  /** The error code Tencent's services answer for the same problem. */
  tencentCode?: number
  /** The underlying error. */
  cause?: unknown
}

/** The one error class the library throws for bad input and bad tokens. */
export class UserSigError extends Error {
  override name = 'UserSigError'
  /** Stable machine-readable code. */
  readonly code: UserSigErrorCode
  /** One line that says how to fix it. */
  readonly hint: string | undefined
  /** For `MALFORMED`: which envelope stage failed. */
  readonly stage: MalformedStage | undefined
  /** The Tencent error code this problem most likely produces at the service, when there is one. */
  readonly tencentCode: number | undefined

  constructor(code: UserSigErrorCode, message: string, options: UserSigErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.hint = options.hint
    this.stage = options.stage
    this.tencentCode = options.tencentCode
  }
}

/** Builds a MALFORMED error for a stage of the envelope (predicts 70003, "UserSig parse failed"). */
export function malformed(stage: MalformedStage, message: string, hint?: string): UserSigError {
  return new UserSigError('MALFORMED', message, { stage, tencentCode: stage === 'fields' ? 70005 : 70003, ...(hint ? { hint } : {}) })
}

/** Longest part of a caller's value a message quotes. */
const QUOTE_MAX = 40

/**
 * A caller's value for a message: at most a short prefix, JSON-quoted (control characters and lone surrogates escaped),
 * with "…" when cut. Never pass a value from a slot that can hold a secret.
 * @example quote('alice') // '"alice"'
 */
export function quote(value: string): string {
  let cut = value.length > QUOTE_MAX ? QUOTE_MAX : value.length
  // Do not split a surrogate pair at the cut.
  const last = value.charCodeAt(cut - 1)
  if (cut < value.length && last >= 0xd800 && last <= 0xdbff) cut--
  return JSON.stringify(value.slice(0, cut)) + (cut < value.length ? '…' : '')
}
