/**
 * Verification (VERIFY.md §3 for v2, §4 for legacy v1). Every token problem is a result, never an exception; all checks
 * run and the primary reason is the first failure in Tencent's order.
 */
import { HmacSha256Key, timingSafeEqual } from './_sha256.js'
import { utf8Encode } from './_utf8.js'
import { UserSigError, type MalformedStage } from './errors.js'
import { toUnixSeconds } from './_time.js'
import { keyFingerprint } from './keys.js'
import { secretKeyFingerprint } from './secret.js'
import { capOf, openEnvelope, readFields, type DecodedUserSig, type Warning } from './decode.js'
import { contentBytes } from './_payload.js'
import { verifyLegacySignature } from './legacy/verify.js'

export type FailureReason = 'MALFORMED' | 'IDENTIFIER_MISMATCH' | 'SDKAPPID_MISMATCH' | 'EXPIRED' | 'SIGNATURE_INVALID' | 'USERBUF_MISMATCH'

/** The Tencent error code each failure predicts (ERRORS.md). */
export const TENCENT_CODES: Readonly<Record<FailureReason, number>> = Object.freeze({
  MALFORMED: 70003,
  IDENTIFIER_MISMATCH: 70013,
  SDKAPPID_MISMATCH: 70014,
  EXPIRED: 70001,
  SIGNATURE_INVALID: 70009,
  USERBUF_MISMATCH: -100006,
})

export interface Failure {
  reason: FailureReason
  message: string
  tencentCode: number
  stage?: MalformedStage
}

export interface SecretKeyEntry {
  /** A name for the key (e.g. "prod", "staging"); defaults to its fingerprint. */
  id?: string
  secretKey: string
}

export interface VerifyOptions {
  /** The SDKAppID the client presents. */
  sdkAppId: number | string
  /** The UserID the client presents. */
  userId: string
  secretKey?: string
  /** Several candidate keys (rotation, environments); the result names the one that matched. */
  secretKeys?: readonly SecretKeyEntry[]
  /** SPKI PEM public key, for legacy (v1, ECDSA) tokens. */
  publicKey?: string
  /** Unix seconds or a Date; default the wall clock. */
  now?: number | Date
  /** Seconds of allowed clock skew for expiry (default 0). */
  clockTolerance?: number
  /** Expected userbuf: the token must carry exactly these bytes. */
  userBuf?: Uint8Array
  /** Decompression cap in bytes (default 65536). */
  maxDecompressedBytes?: number
}

export interface VerifyOk {
  ok: true
  payload: DecodedUserSig
  /** The id (or fingerprint) of the key that verified the token. */
  keyId: string
  warnings: Warning[]
}

export interface VerifyFailure {
  ok: false
  reason: FailureReason
  stage?: MalformedStage
  tencentCode: number
  message: string
  /** Every failed check, primary first. */
  failures: Failure[]
  warnings: Warning[]
  /** The decoded token, when it could be decoded. */
  payload?: DecodedUserSig
}

export type VerifyResult = VerifyOk | VerifyFailure

interface PreparedKey { id: string; key: HmacSha256Key }

// Small cache of prepared HMAC keys and their fingerprints, so repeated verification with one key does not redo the
// pad midstates and the fingerprint hash (measured: ~2 µs of a ~10 µs verification).
const macBuf = new Uint8Array(32)
// readFields decodes TLS.sig into sigBuf (base64 decodes whole groups: 33 bytes); the MAC is its first 32.
const sigBuf = new Uint8Array(33)
const sigMac = sigBuf.subarray(0, 32)
const keyCache = new Map<string, PreparedKey>()
function prepare(secretKey: string): PreparedKey {
  let k = keyCache.get(secretKey)
  if (!k) {
    k = { id: secretKeyFingerprint(secretKey), key: new HmacSha256Key(utf8Encode(secretKey)) }
    if (keyCache.size >= 64) keyCache.clear()
    keyCache.set(secretKey, k)
  }
  return k
}

function checkOptions(o: VerifyOptions): { sdkAppId: number; keys: PreparedKey[]; publicKey: string | undefined; now: number; tolerance: number; cap: number } {
  if (o === null || typeof o !== 'object') throw new TypeError('verifyUserSig needs options { sdkAppId, userId, secretKey | secretKeys | publicKey }')
  let sdkAppId: number
  if (typeof o.sdkAppId === 'number' && Number.isInteger(o.sdkAppId) && o.sdkAppId >= 0) sdkAppId = o.sdkAppId
  else if (typeof o.sdkAppId === 'string' && /^[0-9]{1,16}$/.test(o.sdkAppId)) sdkAppId = Number(o.sdkAppId)
  else throw new TypeError('verifyUserSig: sdkAppId must be a non-negative integer')
  if (typeof o.userId !== 'string') throw new TypeError('verifyUserSig: userId must be a string')
  const keys: PreparedKey[] = []
  if (o.secretKey !== undefined) {
    if (typeof o.secretKey !== 'string' || o.secretKey.length === 0) throw new TypeError('verifyUserSig: secretKey must be a non-empty string')
    keys.push(prepare(o.secretKey))
  }
  if (o.secretKeys !== undefined) {
    if (!Array.isArray(o.secretKeys)) throw new TypeError('verifyUserSig: secretKeys must be an array of { id, secretKey }')
    for (const e of o.secretKeys as SecretKeyEntry[]) {
      if (!e || typeof e.secretKey !== 'string' || e.secretKey.length === 0) throw new TypeError('verifyUserSig: each secretKeys entry needs a non-empty secretKey')
      const p = prepare(e.secretKey)
      keys.push(typeof e.id === 'string' && e.id ? { id: e.id, key: p.key } : p)
    }
  }
  if (o.publicKey !== undefined && (typeof o.publicKey !== 'string' || !o.publicKey.includes('-----BEGIN'))) {
    throw new TypeError('verifyUserSig: publicKey must be a PEM public key')
  }
  if (keys.length === 0 && o.publicKey === undefined) throw new TypeError('verifyUserSig needs a key: secretKey, secretKeys or publicKey')
  const tolerance = o.clockTolerance ?? 0
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) throw new TypeError('verifyUserSig: clockTolerance must be a non-negative number of seconds')
  if (o.userBuf !== undefined && !(o.userBuf instanceof Uint8Array)) throw new TypeError('verifyUserSig: userBuf must be a Uint8Array')
  let now: number
  try {
    now = toUnixSeconds(o.now)
  } catch (e) {
    throw new TypeError(e instanceof Error ? e.message : 'verifyUserSig: bad now')
  }
  return { sdkAppId, keys, publicKey: o.publicKey, now, tolerance, cap: capOf(o) }
}

function fail(reason: FailureReason, message: string, stage?: MalformedStage): Failure {
  const f: Failure = { reason, message, tencentCode: reason === 'MALFORMED' && stage === 'fields' ? 70005 : TENCENT_CODES[reason] }
  if (stage) f.stage = stage
  return f
}

/**
 * Verifies a UserSig or PrivateMapKey (v2 HMAC, or legacy v1 ECDSA with `publicKey`). Never throws for a token
 * problem: the result says what is wrong and which Tencent error code the service would return.
 * @example
 * const r = verifyUserSig(userSig, { sdkAppId: 1400000000, userId: 'alice', secretKey })
 * if (!r.ok) console.log(r.reason, r.tencentCode)
 */
export function verifyUserSig(token: string, options: VerifyOptions): VerifyResult {
  const o = checkOptions(options)
  let payload: DecodedUserSig
  let sigBytes: Uint8Array
  try {
    const env = openEnvelope(token, o.cap)
    payload = readFields(env.json, env.warnings, sigBuf)
    sigBytes = sigMac
  } catch (e) {
    const err = e instanceof UserSigError ? e : new UserSigError('MALFORMED', 'the UserSig could not be decoded', { stage: 'json' })
    const f = fail('MALFORMED', err.message, err.stage ?? 'json')
    return { ok: false, reason: 'MALFORMED', stage: f.stage!, tencentCode: f.tencentCode, message: f.message, failures: [f], warnings: [] }
  }
  const warnings = payload.warnings.slice()
  const failures: Failure[] = []
  const expectedUserId = options.userId

  // 1. identifier (exact, case-sensitive)
  if (payload.identifier !== expectedUserId) {
    const caseOnly = payload.identifier.toLowerCase() === expectedUserId.toLowerCase()
    failures.push(fail('IDENTIFIER_MISMATCH', `the UserSig is for UserID ${JSON.stringify(payload.identifier)}, not ${JSON.stringify(expectedUserId)}${caseOnly ? ' (they differ only in case)' : ''}`))
  }
  // 2. sdkappid (v1: the exact decimal string)
  const sdkOk = payload.version === 'v1' ? payload.fields['TLS.sdk_appid'] === String(o.sdkAppId) : payload.sdkAppId === o.sdkAppId
  if (!sdkOk) failures.push(fail('SDKAPPID_MISMATCH', `the UserSig is for SDKAppID ${payload.version === 'v1' ? String(payload.fields['TLS.sdk_appid']) : payload.sdkAppId}, not ${o.sdkAppId}`))
  // 3. expiry: expired iff now > time + expire + tolerance
  if (o.now > payload.time + payload.expire + o.tolerance) {
    failures.push(fail('EXPIRED', `the UserSig expired at ${isoTime(payload.expiresAt)} (${o.now - payload.expiresAt} s ago)`))
  }
  if (payload.time > o.now) warnings.push({ code: 'FUTURE_ISSUE_TIME', message: `the UserSig was issued ${payload.time - o.now} s in the future: the signer's clock is ahead` })
  // 4. signature
  let keyId: string | null = null
  if (payload.version === 'v2') {
    if (o.keys.length === 0) {
      failures.push(fail('SIGNATURE_INVALID', 'this is a v2 (HMAC-SHA256) UserSig but only a legacy public key was given: pass the secret key'))
    } else {
      const ub = payload.userBuf === null ? null : (payload.fields['TLS.userbuf'] as string)
      const content = contentBytes(payload.identifier, payload.sdkAppId, payload.time, payload.expire, ub)
      const sig = sigBytes
      for (const k of o.keys) {
        k.key.macInto(content, macBuf, 0)
        if (timingSafeEqual(macBuf, sig)) { keyId = k.id; break }
      }
      if (keyId === null) {
        failures.push(fail('SIGNATURE_INVALID', o.keys.length > 1 ? `the signature matches none of the ${o.keys.length} keys given` : 'the signature does not match the key: wrong key, or another app\'s key'))
      }
    }
  } else {
    if (o.publicKey === undefined) {
      failures.push(fail('SIGNATURE_INVALID', 'this is a legacy (v1, ECDSA) UserSig: pass the app\'s public key, not a secret key'))
    } else {
      let valid = false
      try {
        valid = verifyLegacySignature(payload.fields, o.publicKey)
      } catch (e) {
        // A public key that cannot be used is a configuration error, not a token problem: say so with its code.
        if (e instanceof UserSigError && e.code === 'INVALID_PUBLIC_KEY') throw e
        valid = false
      }
      if (valid) keyId = keyFingerprint(o.publicKey)
      else failures.push(fail('SIGNATURE_INVALID', 'the ECDSA signature does not match the public key'))
    }
  }
  // 5. expected userbuf
  if (options.userBuf !== undefined) {
    if (payload.userBuf === null) failures.push(fail('USERBUF_MISMATCH', 'a userbuf was expected but the UserSig carries none (a plain UserSig where a PrivateMapKey is needed?)'))
    else if (!timingSafeEqual(payload.userBuf, options.userBuf)) failures.push(fail('USERBUF_MISMATCH', 'the UserSig carries a different userbuf than expected'))
  }

  if (failures.length === 0) return { ok: true, payload, keyId: keyId!, warnings }
  const first = failures[0]!
  const r: VerifyFailure = { ok: false, reason: first.reason, tencentCode: first.tencentCode, message: first.message, failures, warnings, payload }
  return r
}

export function isoTime(unix: number): string {
  const d = new Date(unix * 1000)
  return Number.isFinite(d.getTime()) ? d.toISOString().replace('.000Z', 'Z') : String(unix)
}
