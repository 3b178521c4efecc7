/**
 * Signing legacy (v1, ECDSA-SHA256) UserSigs for apps created before 2019-07-19 (docs/spec/format.md §3, docs/spec/verify.md §4).
 * @module
 */
import { base64Encode, tencentBase64Encode } from '../_base64.js'
import { toUnixSeconds } from '../_time.js'
import { utf8Encode } from '../_utf8.js'
import { zlibCompress } from '../_deflate.js'
import { UserSigError } from '../errors.js'
import { parseExpiresIn } from '../expires.js'
import { normalizeSdkAppId } from '../sdkappid.js'
import { DEFAULT_USERSIG_EXPIRES_IN, type IssuedUserSig, type SignOptions } from '../sign.js'
import { checkUserId, checkUserIdPolicy, type UserIdPolicy } from '../userid.js'
import { checkUserBuf } from '../userbuf.js'
import type { LegacyCurve } from './_curves.js'
import { curveImpl } from './_curves.js'
import { legacySignedContent } from './content.js'
import { ecdsaSignDer } from './ecdsa.js'
import { encodeLegacyPublicKeyPem, legacySpkiDer, parseLegacyPrivateKey } from './keys.js'
import { sha256 } from '../_sha256.js'
import { hex } from '../secret.js'

/** Options of createLegacySigner. */
export interface LegacySignerOptions {
  /** The app's SDKAppID (integer, or a string of digits). */
  sdkAppId: number | string
  /** The app's private key PEM text: SEC1 (with or without EC PARAMETERS) or PKCS#8, secp256k1 or P-256. */
  privateKey: string
  /** Which UserIDs to accept; default 'im' (printable ASCII, at most 32 bytes). */
  userIdPolicy?: UserIdPolicy
}

/** A legacy signer bound to one app and key. */
export interface LegacySigner {
  readonly sdkAppId: number
  /** The key's curve. */
  readonly curve: LegacyCurve
  /** The key pair's id (the fingerprint of its public key), as verification reports it. */
  readonly keyId: string
  /** The matching public key as SPKI PEM, for verifiers (computed on first access). */
  readonly publicKeyPem: string
  /** A legacy UserSig for `userId`. Default lifetime 7 days. */
  userSig(userId: string, options?: SignOptions): string
  /** A legacy UserSig carrying `userBuf` (signed, 7-line content form). */
  userSigWithUserBuf(userId: string, userBuf: Uint8Array, options?: SignOptions): string
  /** Like userSig, with the issue and expiry times. */
  issueUserSig(userId: string, options?: SignOptions): IssuedUserSig
}

// Informational only (never signed); the value node-v1 and go-v1 write.
const TLS_VERSION = '201610110000'

/**
 * Creates a legacy (v1) signer. The key is parsed once; each call checks its inputs, signs with ECDSA-SHA256
 * (deterministic nonce, DER) and emits the node-v1 JSON layout, all values strings:
 * `TLS.account_type "0", TLS.identifier, TLS.appid_at_3rd "0", TLS.sdk_appid, TLS.expire_after, TLS.version,
 * TLS.time, [TLS.userbuf], TLS.sig`, then zlib and Tencent base64.
 * @throws UserSigError INVALID_PRIVATE_KEY / INVALID_SDKAPPID here; INVALID_USERID / INVALID_EXPIRES_IN /
 *   INVALID_NOW / INVALID_USERBUF per call.
 * @example
 * const signer = createLegacySigner({ sdkAppId: 1400000000, privateKey: readFileSync('private_key', 'utf8') })
 * const userSig = signer.userSig('alice', { expiresIn: '180d' })
 * verifyUserSig(userSig, { sdkAppId: 1400000000, userId: 'alice', publicKey: legacyPublicKey(signer.publicKeyPem) }).ok // true
 */
export function createLegacySigner(options: LegacySignerOptions): LegacySigner {
  if (options === null || typeof options !== 'object') throw new TypeError('createLegacySigner needs { sdkAppId, privateKey }')
  const sdkAppId = normalizeSdkAppId(options.sdkAppId)
  const { curve, privateKey } = parseLegacyPrivateKey(options.privateKey)
  const policy = checkUserIdPolicy(options.userIdPolicy ?? 'im')
  const sdkAppIdText = String(sdkAppId)
  let publicKeyPem: string | undefined
  let keyId: string | undefined

  const issue = (userId: string, userBuf: Uint8Array | null, opts: SignOptions | undefined): IssuedUserSig => {
    checkUserId(userId, policy)
    if (userId.includes('\n')) {
      throw new UserSigError('INVALID_USERID', 'userId contains a line break, which a legacy UserSig cannot sign unambiguously', { hint: 'legacy UserSigs sign one line per field: use a UserID without line breaks', tencentCode: 7003 })
    }
    const time = toUnixSeconds(opts?.now)
    const expire = opts?.expiresIn === undefined ? DEFAULT_USERSIG_EXPIRES_IN : parseExpiresIn(opts.expiresIn)
    const fields: Record<string, string> = {
      'TLS.account_type': '0',
      'TLS.identifier': userId,
      'TLS.appid_at_3rd': '0',
      'TLS.sdk_appid': sdkAppIdText,
      'TLS.expire_after': String(expire),
      'TLS.version': TLS_VERSION,
      'TLS.time': String(time),
    }
    if (userBuf !== null) fields['TLS.userbuf'] = base64Encode(userBuf)
    const content = legacySignedContent(fields, userBuf !== null)
    fields['TLS.sig'] = base64Encode(ecdsaSignDer(curve, privateKey, utf8Encode(content)))
    const userSig = tencentBase64Encode(zlibCompress(utf8Encode(JSON.stringify(fields))))
    return { sdkAppId, userId, userSig, issuedAt: time, expiresAt: time + expire, expiresIn: expire }
  }

  return {
    sdkAppId,
    curve,
    get publicKeyPem(): string {
      publicKeyPem ??= encodeLegacyPublicKeyPem(curve, curveImpl(curve).getPublicKey(privateKey, false))
      return publicKeyPem
    },
    get keyId(): string {
      keyId ??= hex(sha256(legacySpkiDer(curve, curveImpl(curve).getPublicKey(privateKey, false))), 4)
      return keyId
    },
    userSig: (userId, opts) => issue(userId, null, opts).userSig,
    userSigWithUserBuf: (userId, userBuf, opts) => {
      return issue(userId, checkUserBuf(userBuf), opts).userSig
    },
    issueUserSig: (userId, opts) => issue(userId, null, opts),
  }
}
