/**
 * The one table of what can be said about a UserSig: every verification failure, decode warning and explain finding,
 * with its severity, the Tencent error code it most likely produces, a one-line meaning and a fix. `verifyUserSig`,
 * `explainUserSig`, the CLI, the HTTP API and the console read it; the README's findings table is tested against it.
 * The order of the table is the order in which the Tencent service reports problems: the first error found, in this
 * order, gives the predicted Tencent code.
 * @module
 */

/** How bad a code is: `error` makes a token invalid, `warning` may, `info` is a fact worth knowing. */
export type Severity = 'error' | 'warning' | 'info'

/** One row of the table of codes (`CODES`): how bad it is, what the Tencent service says, what it means, the fix. */
export interface CodeInfo {
  /** `error` makes a token invalid, `warning` may, `info` is a fact worth knowing. */
  readonly severity: Severity
  /** The Tencent error code this most likely produces at the service (null: none, it is not a failure there). */
  readonly tencentCode: number | null
  /** What it means, in one line. */
  readonly message: string
  /** What to do, in one line. */
  readonly fix: string
}

const ISSUE = 'issue a new UserSig with an official or usersig signer'
const PMK_SIGNER = 'issue the PrivateMapKey with a signer that writes UTF-8 (Go, PHP, C++ or usersig)'
const CONSOLE_KEY = 'copy the SDKSecretKey from the IM/TRTC console page of this app'

type Row = readonly [Severity, number | null, string, string]

// The numbers of the six verification failures, as constants: a verify-only bundle reads them without the table.
const T_MALFORMED = 70003
const T_IDENTIFIER_MISMATCH = 70013
const T_SDKAPPID_MISMATCH = 70014
const T_EXPIRED = 70001
const T_SIGNATURE_INVALID = 70009
const T_USERBUF_MISMATCH = -100006

/** The Tencent error code each verification failure predicts (docs/spec/errors.md); MALFORMED at stage `fields` is 70005. */
export const TENCENT_CODES: Readonly<Record<FailureReason, number>> = /* @__PURE__ */ Object.freeze({
  MALFORMED: T_MALFORMED,
  IDENTIFIER_MISMATCH: T_IDENTIFIER_MISMATCH,
  SDKAPPID_MISMATCH: T_SDKAPPID_MISMATCH,
  EXPIRED: T_EXPIRED,
  SIGNATURE_INVALID: T_SIGNATURE_INVALID,
  USERBUF_MISMATCH: T_USERBUF_MISMATCH,
})

// The wording of the codes the one pass reports (verification failures, decode warnings): check.ts and decode.ts write
// `${M_CODE}` or `${M_CODE}: detail`, the table's message then what is particular. Separate constants, so that a bundle
// that only verifies carries these few texts without the rest of the table, whose rows use the same constants.
export const M_IDENTIFIER_MISMATCH: string = 'the UserSig is for another UserID (exact, case-sensitive)'
export const M_SDKAPPID_MISMATCH: string = 'the UserSig is for another SDKAppID'
export const M_EXPIRED: string = 'the UserSig has expired (now > issuedAt + expiresIn + clockTolerance)'
export const M_WRONG_ALGORITHM: string = 'an HMAC (v2) UserSig checked with a legacy ECDSA key, or the reverse'
export const M_SIGNATURE_INVALID: string = 'the signature matches none of the keys given'
export const M_USERBUF_MISMATCH: string = 'the UserSig carries no userbuf or another one than expected'
export const M_FUTURE_ISSUE_TIME: string = 'issued in the future: the signing server\'s clock is ahead'
export const M_MISSING_PADDING: string = 'the trailing "_" padding is missing (the official Go and C++ verifiers reject it)'
export const M_TRAILING_BYTES: string = 'bytes after the end of the zlib stream were ignored'
export const M_WHITESPACE: string = 'whitespace or line breaks in the UserSig were ignored'
export const M_STANDARD_ALPHABET: string = 'standard base64 (+ / =) instead of Tencent\'s alphabet (* - _)'

// Rows as plain literals (and the M_ constants), so a bundle that only verifies (and reads TENCENT_CODES) leaves the
// other texts out.
const ROWS: Readonly<Record<Code, Row>> = {
  // Not a UserSig at all.
  EMPTY: ['error', 70002, 'nothing was passed as the UserSig', 'pass the UserSig your server issued for this user'],
  NOT_A_STRING: ['error', 70002, 'the UserSig is not a string', 'pass the UserSig string'],
  URL_ENCODED: ['error', 70003, 'the UserSig was URL-encoded once too often (%2A, %5F…)', 'URL-decode it once, or do not encode it when storing'],
  QUOTED: ['error', 70003, 'the UserSig is wrapped in quotes (its JSON-encoded form)', 'pass the string value itself'],
  LOOKS_LIKE_JWT: ['error', 70003, 'a JWT (from your own auth?) was passed as the UserSig', 'IM and TRTC need a UserSig signed with the app\'s SDKSecretKey: issue one with createSigner'],
  PLAIN_JSON: ['error', 70003, 'plain JSON was passed, not an encoded UserSig (zlib-compressed JSON in Tencent base64)', 'issue a UserSig with createSigner'],
  RFC_BASE64URL: ['error', 70003, 'encoded with RFC 4648 base64url (- and _ for 62 and 63), not Tencent\'s alphabet', 'encode with standard base64, then + → *, / → -, = → _'],
  TRUNCATED: ['error', 70003, 'the UserSig is cut off', 'store UserSigs in a TEXT column or one of at least 1024 characters'],
  MALFORMED: ['error', T_MALFORMED, 'the UserSig cannot be decoded (base64, zlib, JSON, or a field missing or mistyped: 70005)', ISSUE],
  // The checks of verification, in Tencent's order.
  IDENTIFIER_MISMATCH: ['error', T_IDENTIFIER_MISMATCH, M_IDENTIFIER_MISMATCH, 'issue it for the exact UserID the client logs in or enters the room with'],
  SDKAPPID_MISMATCH: ['error', T_SDKAPPID_MISMATCH, M_SDKAPPID_MISMATCH, 'use the SDKAppID of the app whose key signed it (a demo SDKAppID left in, or staging vs production?)'],
  EXPIRED: ['error', T_EXPIRED, M_EXPIRED, 'issue a new one and refresh before expiry (IM: onUserSigExpired / 6206)'],
  /** An error when the token has expired (then EXPIRED too), a warning while it is still valid (now == issuedAt). */
  TTL_ZERO: ['error', 70001, 'the lifetime is 0 seconds: the UserSig expires the second it is issued', 'issue it with a lifetime, e.g. expiresIn: "7d"'],
  WRONG_ALGORITHM: ['error', 70009, M_WRONG_ALGORITHM, 'verify v2 with the app\'s SDKSecretKey, v1 with legacyPublicKey(pem)'],
  KEY_WHITESPACE: ['error', 70009, 'the key you configured has a stray space or newline around it', 'trim the secret key where it is configured'],
  SIGNER_KEY_MANGLED: ['error', 70009, 'the signer used your key altered (line ending, spaces, BOM, quotes, hex or base64 decoding, case)', 'give the signer the key exactly as the console shows it'],
  SIGNER_CONTENT_BUG: ['error', 70009, 'the signer signed other content than it wrote into the token', 'fix the signer as the message says, or issue UserSigs with usersig'],
  SIGNED_BY_OTHER_KEY: ['error', 70009, 'signed with another key you have (another app or environment)', 'issue it with this app\'s key, or verify it against the app it was issued for'],
  SIGNATURE_INVALID: ['error', T_SIGNATURE_INVALID, M_SIGNATURE_INVALID, 'check that the key is this SDKAppID\'s (not another app, staging, or a Debug/Release mix-up)'],
  USERBUF_MISMATCH: ['error', T_USERBUF_MISMATCH, M_USERBUF_MISMATCH, 'issue a PrivateMapKey carrying exactly the expected userbuf'],
  // TRTC advanced permission control (PrivateMapKey).
  NOT_A_PRIVATE_MAP_KEY: ['error', -100006, 'a plain UserSig where a PrivateMapKey is needed', 'with advanced permission control on, enterRoom needs a privateMapKey for this user and room'],
  PMK_ROOM_MISMATCH: ['error', -100006, 'the PrivateMapKey is for another room (string and numeric rooms differ)', 'issue it for the room being entered'],
  PMK_ACCOUNT_MISMATCH: ['error', -100006, 'the account inside the PrivateMapKey differs from TLS.identifier', PMK_SIGNER],
  PMK_SDKAPPID_MISMATCH: ['error', -100006, 'the SDKAppID inside the PrivateMapKey differs from the token\'s', PMK_SIGNER],
  PMK_EXPIRED: ['error', -100006, 'the room permission inside the PrivateMapKey has expired', 'issue a new PrivateMapKey'],
  /** An error when a room is given, a warning otherwise. */
  PMK_NO_ENTER: ['error', -100006, 'the privileges lack "enter" (2): the user cannot enter the room', 'grant at least enter (2); audience = 42, anchor = 255'],
  // Warnings: valid, but something is off.
  FUTURE_ISSUE_TIME: ['warning', null, M_FUTURE_ISSUE_TIME, 'synchronise the server clock (NTP)'],
  TTL_SHORT: ['warning', null, 'the lifetime is under 24 h (TRTC reconnects and IM re-logins need a valid UserSig)', 'issue UserSigs for 1-7 days and refresh them before expiry'],
  TTL_LONG: ['warning', null, 'the lifetime is over 10 years (milliseconds passed as seconds?)', 'long-lived UserSigs cannot be revoked: prefer days'],
  MISSING_PADDING: ['warning', null, M_MISSING_PADDING, 'keep the trailing "_" when storing or copying'],
  TRAILING_BYTES: ['warning', null, M_TRAILING_BYTES, 'pass exactly what the signer produced'],
  WHITESPACE: ['warning', null, M_WHITESPACE, 'trim the UserSig before passing it on'],
  STANDARD_ALPHABET: ['warning', null, M_STANDARD_ALPHABET, 'Tencent accepts it; some tools expect * - _'],
  PMK_INNER_EXPIRY_EARLY: ['warning', null, 'the room permission inside expires before the token (an old signer wrote a relative time?)', 'the inner expiry is absolute (issuedAt + expiresIn): issue the PrivateMapKey with a correct signer'],
  PMK_NON_UTF8: ['warning', null, 'the PrivateMapKey strings are not UTF-8', PMK_SIGNER],
  USERID_NOT_IM: ['warning', 7003, 'IM refuses this UserID (printable ASCII, at most 32 bytes)', 'use a printable ASCII UserID of at most 32 bytes for IM (7003); TRTC is more lenient'],
  USERID_WHITESPACE: ['warning', 70013, 'the UserID has surrounding whitespace, or is only whitespace: a client that logs in with it trimmed is refused', 'issue it for the UserID exactly as the client logs in; the tools refuse such UserIDs unless allowUnusualUserId is set'],
  KEY_LOOKS_LIKE_CAM: ['warning', null, 'the secret key looks like a Tencent Cloud API (CAM) SecretKey, not the app\'s SDKSecretKey', CONSOLE_KEY],
  KEY_UNUSUAL: ['warning', null, 'the secret key is not shaped like a console SDKSecretKey (64 hex characters)', 'copy the SDKSecretKey from the IM/TRTC console page of this app; the tools refuse other keys unless allowUnusualKey is set'],
  KEY_HAS_WHITESPACE: ['warning', null, 'the secret key has leading or trailing whitespace', 'trim it: the HMAC uses the key exactly as given'],
  // Information.
  REPAIRED: ['info', null, 'pasted input repaired before it was explained', 'pass the bare UserSig to the SDK'],
  LEGACY_V1: ['info', null, 'a legacy (v1) ECDSA-SHA256 UserSig, of an app created before 2019-07-19', 'verify it with legacyPublicKey(pem) from usersig/legacy, or move the app to HMAC in the console'],
  IS_PRIVATE_MAP_KEY: ['info', null, 'a PrivateMapKey (room permission), not a login UserSig', 'pass it as privateMapKey when entering that room; log in with a plain UserSig'],
  PMK_NO_CREATE: ['info', null, 'the privileges lack "create" (1): the user cannot create a room that does not exist yet (-102010)', 'grant create to the users who open rooms'],
  SIGNED_BY: ['info', null, 'the signature matches a key given', 'no action needed'],
}

/** A code of the table (spelled out for isolated declarations; the table must have exactly these rows). */
export type Code =
  | 'EMPTY'
  | 'NOT_A_STRING'
  | 'URL_ENCODED'
  | 'QUOTED'
  | 'LOOKS_LIKE_JWT'
  | 'PLAIN_JSON'
  | 'RFC_BASE64URL'
  | 'TRUNCATED'
  | 'MALFORMED'
  | 'IDENTIFIER_MISMATCH'
  | 'SDKAPPID_MISMATCH'
  | 'EXPIRED'
  | 'TTL_ZERO'
  | 'WRONG_ALGORITHM'
  | 'KEY_WHITESPACE'
  | 'SIGNER_KEY_MANGLED'
  | 'SIGNER_CONTENT_BUG'
  | 'SIGNED_BY_OTHER_KEY'
  | 'SIGNATURE_INVALID'
  | 'USERBUF_MISMATCH'
  | 'NOT_A_PRIVATE_MAP_KEY'
  | 'PMK_ROOM_MISMATCH'
  | 'PMK_ACCOUNT_MISMATCH'
  | 'PMK_SDKAPPID_MISMATCH'
  | 'PMK_EXPIRED'
  | 'PMK_NO_ENTER'
  | 'FUTURE_ISSUE_TIME'
  | 'TTL_SHORT'
  | 'TTL_LONG'
  | 'MISSING_PADDING'
  | 'TRAILING_BYTES'
  | 'WHITESPACE'
  | 'PMK_INNER_EXPIRY_EARLY'
  | 'PMK_NON_UTF8'
  | 'USERID_NOT_IM'
  | 'USERID_WHITESPACE'
  | 'KEY_LOOKS_LIKE_CAM'
  | 'KEY_HAS_WHITESPACE'
  | 'STANDARD_ALPHABET'
  | 'LEGACY_V1'
  | 'IS_PRIVATE_MAP_KEY'
  | 'PMK_NO_CREATE'
  | 'SIGNED_BY'
  | 'REPAIRED'
  | 'KEY_UNUSUAL'

function table(rows: Readonly<Record<Code, Row>>): Readonly<Record<Code, CodeInfo>> {
  const out = {} as Record<Code, CodeInfo>
  for (const code of Object.keys(rows) as Code[]) {
    const [severity, tencentCode, message, fix] = rows[code]
    out[code] = Object.freeze({ severity, tencentCode, message, fix })
  }
  return Object.freeze(out)
}

/** Every code, in the service's reporting order (errors first, then warnings, then information). */
export const CODES: Readonly<Record<Code, CodeInfo>> = /* @__PURE__ */ table(ROWS)

/** The codes a verification failure can have. */
export type FailureReason = 'MALFORMED' | 'IDENTIFIER_MISMATCH' | 'SDKAPPID_MISMATCH' | 'EXPIRED' | 'SIGNATURE_INVALID' | 'USERBUF_MISMATCH'

/** The codes a decode warning can have. */
export type WarningCode = 'MISSING_PADDING' | 'TRAILING_BYTES' | 'WHITESPACE' | 'STANDARD_ALPHABET' | 'FUTURE_ISSUE_TIME'


/** The position of a code in the reporting order (unknown codes last). */
export function codeRank(code: string): number {
  const n = ORDER.indexOf(code as Code)
  return n < 0 ? ORDER.length : n
}
const ORDER = /* @__PURE__ */ Object.keys(ROWS) as Code[]
