import { UserSigError } from './errors.js'
import { utf8Length } from './_utf8.js'

/**
 * Which UserIDs the signer accepts.
 * - `im` (default): non-empty printable ASCII 0x20–0x7E, at most 32 bytes — what IM enforces (SDK error 7003).
 * - `strict`: `[A-Za-z0-9_-]{1,32}`, the charset the official signer docs recommend.
 * - `any`: any well-formed string, at most 1024 UTF-8 bytes (TRTC accepts UTF-8 UserIDs; IM does not).
 */
export type UserIdPolicy = 'im' | 'strict' | 'any'

/** Every `userIdPolicy` value, strictest last but one: `im`, `strict`, `any`. */
export const USER_ID_POLICIES: readonly UserIdPolicy[] = ['im', 'strict', 'any']

// A regular expression, not a hand-written loop: the loop measured no gain on bench:ab (userSig 0.996, privateMapKey
// 0.980 against this form).
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/

/**
 * The policy itself, checked: TypeError for anything else. The value is never quoted (a misplaced option may hold a key).
 * @example checkUserIdPolicy(options.userIdPolicy ?? 'im')
 */
export function checkUserIdPolicy(policy: unknown): UserIdPolicy {
  if (policy === 'im' || policy === 'strict' || policy === 'any') return policy
  throw new TypeError(`userIdPolicy must be 'im', 'strict' or 'any' (got ${typeof policy === 'string' ? `a string of ${policy.length} characters` : policy === null ? 'null' : typeof policy})`)
}

function fail(message: string, hint: string): never {
  throw new UserSigError('INVALID_USERID', message, { hint, tencentCode: 7003 })
}

/**
 * The checks of a `userId` that every entry point shares: a non-empty string, else UserSigError INVALID_USERID with
 * one wording (signers then apply their policy; verifiers compare the token's UserID with it exactly).
 * @example checkUserIdString(options.userId)
 */
export function checkUserIdString(userId: unknown): asserts userId is string {
  if (typeof userId !== 'string') fail(`userId must be a string, got ${userId === null ? 'null' : typeof userId}`, 'pass the UserID as a string, e.g. String(id)')
  if (userId.length === 0) fail('userId is empty', 'every UserSig is for one non-empty UserID')
}

/**
 * Throws UserSigError INVALID_USERID when `userId` breaks the policy.
 * @example checkUserId('alice') // ok
 */
export function checkUserId(userId: unknown, policy: UserIdPolicy = 'im'): asserts userId is string {
  checkUserIdString(userId)
  if (policy === 'any') {
    if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(userId)) fail('userId contains a lone UTF-16 surrogate', 'the UserID is not well-formed text')
    const len = utf8Length(userId)
    if (len > 1024) fail(`userId is ${len} UTF-8 bytes; the limit is 1024`, 'use a shorter UserID')
    return
  }
  if (policy === 'strict') {
    if (!/^[A-Za-z0-9_-]+$/.test(userId)) fail('userId may only contain A-Z a-z 0-9 _ - under the strict policy', "use userIdPolicy: 'im' for other printable ASCII")
  } else if (policy === 'im') {
    if (!PRINTABLE_ASCII.test(userId)) {
      fail('userId must be printable ASCII (0x20-0x7E) for IM: no control characters, CJK or emoji', "IM rejects other UserIDs (error 7003); use userIdPolicy: 'any' for TRTC-only UTF-8 UserIDs")
    }
  } else {
    checkUserIdPolicy(policy)
  }
  if (userId.length > 32) fail(`userId is ${userId.length} bytes; the limit is 32`, 'IM and TRTC accept UserIDs of at most 32 bytes')
}

/**
 * For the tools (CLI, service, console): refuses a UserID with leading or trailing whitespace, or only whitespace,
 * unless `allowUnusualUserId` says it is intended. The official libraries sign such a UserID without a word, and a
 * client that logs in with the UserID as it sees it (trimmed) is then refused with 70013. `checkUserId` and the signing
 * primitives keep accepting it, as the official libraries do. Whitespace is what `String.prototype.trim` removes.
 * @example checkToolUserId(req.body.userId, { allowUnusualUserId: req.body.allowUnusualUserId })
 */
export function checkToolUserId(userId: unknown, options: { allowUnusualUserId?: boolean | undefined } = {}): string {
  if (typeof userId !== 'string') checkUserIdString(userId)
  const trimmed = userId.trim()
  if (options.allowUnusualUserId || trimmed === userId) return userId
  const where = trimmed === '' ? 'is only whitespace' : userId.startsWith(trimmed) ? 'has trailing whitespace' : userId.endsWith(trimmed) ? 'has leading whitespace' : 'has leading and trailing whitespace'
  throw new UserSigError('INVALID_USERID', `userId ${where}`, {
    hint: 'a client that logs in with the UserID without it is refused (70013): remove the whitespace; if it is intended, allow it (--allow-unusual-user-id / allowUnusualUserId)',
    tencentCode: 70013,
  })
}
