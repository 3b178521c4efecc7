/**
 * Verification (docs/spec/verify.md §3 for v2, §4 for legacy v1): `createVerifier` holds prepared keys, `verifyUserSig` is the
 * one-shot form. Every token problem is a result, never an exception; all checks run (one pass, check.ts) and the
 * primary reason is the first failure in Tencent's order.
 */
import { toUnixSeconds } from './_time.js'
import { UserSigError, type MalformedStage } from './errors.js'
import { capOf, type DecodedUserSig, type Warning } from './decode.js'
import { checkToken, prepareSecretKey, type Expectations, type Failure, type PreparedSecretKey } from './check.js'
import type { FailureReason } from './codes.js'
import { isLegacyPublicKeyObject, type LegacyPublicKeyObject } from './keys.js'
import { normalizeSdkAppId } from './sdkappid.js'
import { HmacSha256Key } from './_sha256.js'
import { checkSecretKey, secretKeyFingerprint } from './secret.js'
import { checkUserIdString } from './userid.js'
import { checkUserBuf } from './userbuf.js'
import { utf8Encode } from './_utf8.js'

export type { Failure } from './check.js'

/** One candidate key of `secretKeys`: the key and a name for it. */
export interface SecretKeyEntry {
  /** A name for the key (e.g. "prod", "staging"); defaults to its fingerprint. */
  id?: string
  secretKey: string
}

/** The keys a verifier may hold: v2 secret keys, or a legacy public key object. */
export interface VerifierKeys {
  secretKey?: string
  /** Several candidate keys (rotation, environments); the result names the one that matched. */
  secretKeys?: readonly SecretKeyEntry[]
  /** For legacy (v1, ECDSA) tokens: `legacyPublicKey(pem)` from `usersig/legacy`. */
  publicKey?: LegacyPublicKeyObject
}

/** What `createVerifier` holds: the keys, and optionally the app and the clock tolerance for every call. */
export interface VerifierOptions extends VerifierKeys {
  /** The SDKAppID every token must be for; or give it per call. */
  sdkAppId?: number | string
  /** Seconds of allowed clock skew for expiry (default 0). */
  clockTolerance?: number
  /** Decompression cap in bytes (default 65536). */
  maxDecompressedBytes?: number
}

/** What one token must match, per call. */
export interface VerifyCallOptions {
  /** The UserID the client presents. */
  userId: string
  /** The SDKAppID the client presents (required unless the verifier has one). */
  sdkAppId?: number | string
  /** Unix seconds or a Date; default the wall clock. */
  now?: number | Date
  /** Expected userbuf: the token must carry exactly these bytes. */
  userBuf?: Uint8Array
}

/** Everything `verifyUserSig` checks a token against, in one bag. */
export interface VerifyOptions extends VerifierKeys {
  /** The SDKAppID the client presents. */
  sdkAppId: number | string
  /** The UserID the client presents. */
  userId: string
  /** Unix seconds or a Date; default the wall clock. */
  now?: number | Date
  /** Seconds of allowed clock skew for expiry (default 0). */
  clockTolerance?: number
  /** Expected userbuf: the token must carry exactly these bytes. */
  userBuf?: Uint8Array
  /** Decompression cap in bytes (default 65536). */
  maxDecompressedBytes?: number
}

/** A token that passed every check. */
export interface VerifyOk {
  ok: true
  /** The decoded token. */
  payload: DecodedUserSig
  /** The id (or fingerprint) of the key that verified the token. */
  keyId: string
  warnings: Warning[]
}

/** A token that failed: the primary reason, its Tencent error code, and every failed check. */
export interface VerifyFailure {
  ok: false
  /** The primary failure's code. */
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

/** What a verification returns: never throws for a bad token, `ok` says which. */
export type VerifyResult = VerifyOk | VerifyFailure

/** A verifier bound to its keys (prepared once) and, optionally, one SDKAppID. */
export interface Verifier {
  /** The SDKAppID bound at creation, if any. */
  readonly sdkAppId: number | undefined
  /** The ids of the keys held, in the order they are tried. */
  readonly keyIds: readonly string[]
  verify(token: string, options: VerifyCallOptions): VerifyResult
}

/**
 * The keys, checked and prepared. Shared by createVerifier, verifyUserSig and explainUserSig: each key is checked by
 * the one checker of its input (checkSecretKey, as the signers do), so the same mistake gives the same error. `hold`
 * (createVerifier) prepares each key for many calls: pad midstates and key id computed now. Otherwise the keys serve
 * one call, and each costs only what that call uses (OneCallSecretKey). `required`: no key at all is the error of a
 * missing secretKey.
 */
export function prepareKeys(o: VerifierKeys, required: boolean, hold: boolean = false): { secretKeys: PreparedSecretKey[]; publicKey: LegacyPublicKeyObject | undefined } {
  const prepare = hold ? prepareSecretKey : (secretKey: string, id?: string): PreparedSecretKey => new OneCallSecretKey(secretKey, id)
  const secretKeys: PreparedSecretKey[] = []
  if (o.secretKey !== undefined || (required && o.secretKeys === undefined && o.publicKey === undefined)) secretKeys.push(prepare(checkSecretKey(o.secretKey, 'verify')))
  if (o.secretKeys !== undefined) {
    // Not an array: checked as one entry that is not an object, so both mistakes have the one wording.
    for (const e of Array.isArray(o.secretKeys) ? (o.secretKeys as unknown[]) : [null]) {
      if (e === null || typeof e !== 'object') throw new UserSigError('INVALID_SECRET_KEY', 'secretKeys must be an array of { id?, secretKey }')
      const { id, secretKey } = e as SecretKeyEntry
      secretKeys.push(prepare(checkSecretKey(secretKey, 'verify'), typeof id === 'string' && id ? id : undefined))
    }
  }
  if (required && secretKeys.length === 0 && o.publicKey === undefined) throw new UserSigError('INVALID_SECRET_KEY', 'secretKeys is empty')
  const publicKey = o.publicKey
  if (publicKey !== undefined && !isLegacyPublicKeyObject(publicKey)) {
    throw new UserSigError('INVALID_PUBLIC_KEY', 'publicKey must be a key object made by legacyPublicKey(pem)', {
      hint: "import { legacyPublicKey } from 'usersig/legacy' and pass publicKey: legacyPublicKey(pemText)",
    })
  }
  return { secretKeys, publicKey }
}

/**
 * A secret key for one verification, with nothing computed ahead: its MAC compresses the padded key blocks when the
 * signature is checked (the same compressions as preparing midstates, without keeping them), and its id, the SHA-256
 * fingerprint unless the caller named the key, is computed only when read, which the checks do only for the key that
 * matched: a failed verification never hashes its keys (bench:ab verifyWrongKey 1.13–1.16 against an id computed
 * here; verify and verifier 0.99–1.01). The getter is on the class: an object literal with a getter cost verify 20%.
 */
class OneCallSecretKey implements PreparedSecretKey {
  readonly key: HmacSha256Key
  private readonly bytes: Uint8Array
  private readonly name: string | undefined

  constructor(secretKey: string, name: string | undefined) {
    this.bytes = utf8Encode(secretKey)
    this.key = new HmacSha256Key(this.bytes, false)
    this.name = name
  }

  get id(): string {
    return this.name ?? secretKeyFingerprint(this.bytes)
  }
}

/** The clock tolerance option: a non-negative number of seconds (default 0); TypeError otherwise. */
export function checkTolerance(value: unknown): number {
  const t = value ?? 0
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) throw new TypeError('clockTolerance must be a non-negative number of seconds')
  return t
}

/** The expected UserID, checked by the one checker of the input (INVALID_USERID). */
function expectedUserId(userId: unknown): string {
  checkUserIdString(userId)
  return userId
}

/** The verdict from the one pass. */
function verdict(token: string, x: Expectations): VerifyResult {
  const c = checkToken(token, x)
  if (c.decoded === null) {
    const f = c.failures[0]!
    return { ok: false, reason: 'MALFORMED', stage: f.stage!, tencentCode: f.tencentCode, message: f.message, failures: c.failures, warnings: [] }
  }
  if (c.failures.length === 0) return { ok: true, payload: c.decoded, keyId: c.keyId!, warnings: c.warnings }
  const first = c.failures[0]!
  return { ok: false, reason: first.reason, tencentCode: first.tencentCode, message: first.message, failures: c.failures, warnings: c.warnings, payload: c.decoded }
}

/**
 * Creates a verifier that holds its keys prepared (HMAC pad midstates, key ids), so a service verifying many tokens
 * with one keyring pays for the keys once. The counterpart of createSigner.
 * @throws UserSigError with the input's INVALID_* code for a bad sdkAppId, key, userId, now or userBuf (the same error
 *   as the signers give); TypeError for a call not shaped like the API (options not an object, a bad clockTolerance).
 * @example
 * const verifier = createVerifier({ sdkAppId: 1400000000, secretKeys: [{ id: 'prod', secretKey }] })
 * const r = verifier.verify(userSig, { userId: 'alice' })
 * if (r.ok) console.log('signed by', r.keyId)
 */
export function createVerifier(options: VerifierOptions): Verifier {
  if (options === null || typeof options !== 'object') throw new TypeError('createVerifier needs options { sdkAppId?, secretKey | secretKeys | publicKey }')
  const sdkAppId = options.sdkAppId === undefined ? undefined : normalizeSdkAppId(options.sdkAppId)
  const { secretKeys, publicKey } = prepareKeys(options, true, true)
  const clockTolerance = checkTolerance(options.clockTolerance)
  const maxDecompressedBytes = capOf(options)
  const keyIds = Object.freeze([...secretKeys.map((k) => k.id), ...(publicKey ? [publicKey.keyId] : [])])
  return {
    sdkAppId,
    keyIds,
    verify(token: string, call: VerifyCallOptions): VerifyResult {
      if (call === null || typeof call !== 'object') throw new TypeError('verifier.verify needs options { userId }')
      // Given to neither createVerifier nor verify: the one checker's "missing" error.
      const app = call.sdkAppId === undefined && sdkAppId !== undefined ? sdkAppId : normalizeSdkAppId(call.sdkAppId)
      return verdict(token, {
        sdkAppId: app, userId: expectedUserId(call.userId), secretKeys, publicKey, now: toUnixSeconds(call.now), clockTolerance,
        userBuf: call.userBuf === undefined ? undefined : checkUserBuf(call.userBuf), maxDecompressedBytes,
      })
    },
  }
}

/**
 * Verifies a UserSig or PrivateMapKey (v2 HMAC, or legacy v1 ECDSA with `publicKey: legacyPublicKey(pem)`), preparing
 * the keys for this one call (hold a createVerifier for many). Never throws for a token problem: the result says what
 * is wrong and which Tencent error code the service would return.
 * @throws UserSigError with the input's INVALID_* code for a bad sdkAppId, key, userId, now or userBuf (the same error
 *   as the signers give); TypeError for a call not shaped like the API (options not an object, a bad clockTolerance).
 * @example
 * const r = verifyUserSig(userSig, { sdkAppId: 1400000000, userId: 'alice', secretKey })
 * if (!r.ok) console.log(r.reason, r.tencentCode)
 */
export function verifyUserSig(token: string, options: VerifyOptions): VerifyResult {
  if (options === null || typeof options !== 'object') throw new TypeError('verifyUserSig needs options { sdkAppId, userId, secretKey | secretKeys | publicKey }')
  const sdkAppId = normalizeSdkAppId(options.sdkAppId)
  const userId = expectedUserId(options.userId)
  const { secretKeys, publicKey } = prepareKeys(options, true)
  return verdict(token, {
    sdkAppId, userId, secretKeys, publicKey, now: toUnixSeconds(options.now), clockTolerance: checkTolerance(options.clockTolerance),
    userBuf: options.userBuf === undefined ? undefined : checkUserBuf(options.userBuf), maxDecompressedBytes: capOf(options),
  })
}
