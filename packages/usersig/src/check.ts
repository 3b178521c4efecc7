/**
 * The one pass from token to verdict (docs/spec/verify.md §3 for v2, §4 for legacy v1): decode once, then run every check in
 * Tencent's order. `verifyUserSig` turns the result into its verdict; `explainUserSig` reads the same result and adds
 * diagnosis on top, never a second verification.
 * @module
 */
import { HmacSha256Key, timingSafeEqual } from './_sha256.js'
import { utf8Encode } from './_utf8.js'
import { contentBytes } from './_payload.js'
import { M_EXPIRED, M_FUTURE_ISSUE_TIME, M_IDENTIFIER_MISMATCH, M_SDKAPPID_MISMATCH, M_SIGNATURE_INVALID, M_USERBUF_MISMATCH, M_WRONG_ALGORITHM, TENCENT_CODES, type FailureReason } from './codes.js'
import { malformed, quote, UserSigError, type MalformedStage } from './errors.js'
import { openEnvelope, readFields, rethrowBug, type DecodedUserSig, type Warning } from './decode.js'
import type { LegacyPublicKeyObject } from './keys.js'
import { secretKeyFingerprint } from './secret.js'

/** One failed check of a verification: its code, a one-line message and the Tencent error code it produces. */
export interface Failure {
  reason: FailureReason
  /**
   * The code's message (CODES; WRONG_ALGORITHM's for a key of the other algorithm), then after a colon what is
   * particular; for MALFORMED, the decode error's message.
   */
  message: string
  tencentCode: number
  /** For `MALFORMED`: where decoding stopped. */
  stage?: MalformedStage
}

/** A v2 secret key, prepared once: its HMAC pad midstates and its id. */
export interface PreparedSecretKey {
  readonly id: string
  readonly key: HmacSha256Key
}

/** Prepares a secret key for the checks; `id` defaults to its fingerprint. */
export function prepareSecretKey(secretKey: string, id?: string): PreparedSecretKey {
  const bytes = utf8Encode(secretKey)
  return { id: id ?? secretKeyFingerprint(bytes), key: new HmacSha256Key(bytes) }
}

/** What the checks compare the token against; an absent expectation is not checked. */
export interface Expectations {
  sdkAppId: number | undefined
  userId: string | undefined
  secretKeys: readonly PreparedSecretKey[]
  publicKey: LegacyPublicKeyObject | undefined
  now: number
  clockTolerance: number
  userBuf: Uint8Array | undefined
  maxDecompressedBytes: number
}

/** How the signature check ended. */
export type SignatureStatus = 'valid' | 'invalid' | 'unchecked' | 'wrong-algorithm'

export interface Checked {
  /** The decoded token; null when it could not be decoded (then `failures` is one MALFORMED). */
  decoded: DecodedUserSig | null
  /** The decode error, when decoding failed. */
  error: UserSigError | null
  /** Every failed check, in Tencent's order. */
  failures: Failure[]
  warnings: Warning[]
  keyId: string | null
  signature: SignatureStatus
}

const macBuf = new Uint8Array(32)

/** The index of the first key whose HMAC of `content` equals the token's signature bytes, or -1. */
function matchingKey(keys: readonly PreparedSecretKey[], content: Uint8Array, sig: Uint8Array): number {
  for (let i = 0; i < keys.length; i++) {
    keys[i]!.key.macInto(content, macBuf, 0)
    if (timingSafeEqual(macBuf, sig)) return i
  }
  return -1
}

export function failure(reason: FailureReason, message: string, stage?: MalformedStage): Failure {
  const f: Failure = { reason, message, tencentCode: reason === 'MALFORMED' && stage === 'fields' ? 70005 : TENCENT_CODES[reason] }
  if (stage) f.stage = stage
  return f
}

// readFields decodes TLS.sig into sigBuf (base64 decodes whole groups: 33 bytes); the MAC is its first 32. Owned by
// checkToken, used synchronously within one call.
const sigBuf = new Uint8Array(33)
const sigMac = sigBuf.subarray(0, 32)

/** Decodes the token once and runs every check the expectations ask for. Never throws for a token problem. */
export function checkToken(token: unknown, x: Expectations): Checked {
  let d: DecodedUserSig
  try {
    const found: Warning[] = []
    d = readFields(openEnvelope(token, x.maxDecompressedBytes, found), found, sigBuf)
  } catch (e) {
    rethrowBug(e)
    const err = e instanceof UserSigError ? e : malformed('json', 'the UserSig could not be decoded')
    return { decoded: null, error: err, failures: [failure('MALFORMED', err.message, err.stage ?? 'json')], warnings: [], keyId: null, signature: 'unchecked' }
  }
  const warnings = d.warnings.slice()
  const failures: Failure[] = []

  // 1. identifier (exact, case-sensitive)
  if (x.userId !== undefined && d.userId !== x.userId) {
    const caseOnly = d.userId.toLowerCase() === x.userId.toLowerCase()
    failures.push(failure('IDENTIFIER_MISMATCH', `${M_IDENTIFIER_MISMATCH}: it is for ${quote(d.userId)}, not ${quote(x.userId)}${caseOnly ? ' (they differ only in case)' : ''}`))
  }
  // 2. sdkappid (v1: the exact decimal string)
  if (x.sdkAppId !== undefined) {
    const tokenApp = d.version === 'v1' ? String(d.fields['TLS.sdk_appid']) : d.sdkAppId
    if (d.version === 'v1' ? tokenApp !== String(x.sdkAppId) : tokenApp !== x.sdkAppId) failures.push(failure('SDKAPPID_MISMATCH', `${M_SDKAPPID_MISMATCH}: it is for ${tokenApp}, not ${x.sdkAppId}`))
  }
  // 3. expiry: expired iff now > issuedAt + expiresIn + clockTolerance
  if (x.now > d.issuedAt + d.expiresIn + x.clockTolerance) failures.push(failure('EXPIRED', `${M_EXPIRED}: at ${isoTime(d.expiresAt)}, ${ago(x.now - d.expiresAt)} ago`))
  if (d.issuedAt > x.now) warnings.push({ code: 'FUTURE_ISSUE_TIME', message: `${M_FUTURE_ISSUE_TIME}: by ${ago(d.issuedAt - x.now)}` })
  // 4. signature
  let keyId: string | null = null
  let signature: SignatureStatus = 'unchecked'
  if (d.version === 'v2') {
    if (x.secretKeys.length > 0) {
      // The content is built once per token, not per key: a 100,000-key keyring rebuilt it for every key it tried.
      const i = matchingKey(x.secretKeys, contentBytes(d.userId, d.sdkAppId, d.issuedAt, d.expiresIn, d.userBuf === null ? null : (d.fields['TLS.userbuf'] as string)), sigMac)
      if (i >= 0) keyId = x.secretKeys[i]!.id
      signature = keyId === null ? 'invalid' : 'valid'
      if (keyId === null) failures.push(failure('SIGNATURE_INVALID', x.secretKeys.length > 1 ? `${M_SIGNATURE_INVALID}: ${x.secretKeys.length} keys tried` : M_SIGNATURE_INVALID))
    } else if (x.publicKey !== undefined) {
      signature = 'wrong-algorithm'
      failures.push(failure('SIGNATURE_INVALID', `${M_WRONG_ALGORITHM}: a v2 UserSig and an ECDSA public key`))
    }
  } else if (x.publicKey !== undefined) {
    let valid = false
    try {
      valid = x.publicKey.verify(d.fields)
    } catch (e) {
      // A public key that cannot be used is a configuration error, not a token problem: say so with its code.
      if (e instanceof UserSigError && e.code === 'INVALID_PUBLIC_KEY') throw e
    }
    signature = valid ? 'valid' : 'invalid'
    if (valid) keyId = x.publicKey.keyId
    else failures.push(failure('SIGNATURE_INVALID', `${M_SIGNATURE_INVALID}: ECDSA`))
  } else if (x.secretKeys.length > 0) {
    signature = 'wrong-algorithm'
    failures.push(failure('SIGNATURE_INVALID', `${M_WRONG_ALGORITHM}: a legacy v1 UserSig and a secret key`))
  }
  // 5. expected userbuf
  if (x.userBuf !== undefined) {
    if (d.userBuf === null) failures.push(failure('USERBUF_MISMATCH', `${M_USERBUF_MISMATCH}: it carries none`))
    else if (!timingSafeEqual(d.userBuf, x.userBuf)) failures.push(failure('USERBUF_MISMATCH', `${M_USERBUF_MISMATCH}: it carries another one`))
  }
  return { decoded: d, error: null, failures, warnings, keyId, signature }
}

export function isoTime(unix: number): string {
  const d = new Date(unix * 1000)
  return Number.isFinite(d.getTime()) ? d.toISOString().replace('.000Z', 'Z') : String(unix)
}

const DAY = 86400

/** A duration for messages: seconds, minutes, hours or days. */
export function ago(seconds: number): string {
  const s = Math.abs(seconds)
  if (s < 120) return `${s} s`
  if (s < 7200) return `${Math.round(s / 60)} min`
  if (s < 2 * DAY) return `${Math.round(s / 3600)} h`
  return `${Math.round(s / DAY)} days`
}
