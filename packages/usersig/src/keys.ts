import { sha256 } from './_sha256.js'
import { utf8Encode } from './_utf8.js'
import { readPem, MAX_PEM_LENGTH } from './_pem.js'
import { hex } from './secret.js'
export { generateSecretKey } from './secret.js'

/**
 * A key that verifies legacy (v1, ECDSA-SHA256) UserSigs, made by `legacyPublicKey(pem)` from `usersig/legacy`.
 * Like a jose KeyLike, the object carries its algorithm and its check, so the root entry needs no ECDSA code.
 */
export interface LegacyPublicKeyObject {
  readonly type: 'legacy-public-key'
  /** ECDSA over SHA-256 on secp256k1 or P-256. */
  readonly algorithm: 'ecdsa-sha256'
  /** The key's id: keyFingerprint of its SPKI PEM. */
  readonly keyId: string
  /** True iff the decoded v1 fields carry a valid signature by this key. Throws UserSigError MALFORMED for bad fields. */
  verify(fields: Readonly<Record<string, unknown>>): boolean
}

/** True when `value` is a key object made by `legacyPublicKey()`. */
export function isLegacyPublicKeyObject(value: unknown): value is LegacyPublicKeyObject {
  const k = value as LegacyPublicKeyObject | null
  return typeof k === 'object' && k !== null && k.type === 'legacy-public-key' && typeof k.verify === 'function' && typeof k.keyId === 'string'
}

/**
 * The short id used in results, logs and the console to name a key without revealing it: the first 8 hex characters
 * of SHA-256 of the secret key string (UTF-8), or of the DER bytes of the last key block of a PEM text (an SPKI
 * public key gives the id that verification reports). A legacy private key's pair id is `signer.keyId` of
 * `createLegacySigner` (deriving the public key needs ECDSA code, which lives in `usersig/legacy`).
 * Linear in the text; PEM text is bounded (MAX_PEM_LENGTH).
 * @example keyFingerprint(secretKey) // 'a1b2c3d4'
 */
export function keyFingerprint(key: string | LegacyPublicKeyObject): string {
  if (isLegacyPublicKeyObject(key)) return key.keyId
  if (typeof key !== 'string' || key.length === 0) throw new TypeError('keyFingerprint needs a non-empty key string')
  if (key.includes('-----BEGIN')) {
    if (key.length > MAX_PEM_LENGTH) throw new RangeError(`keyFingerprint: PEM text is limited to ${MAX_PEM_LENGTH} characters`)
    const der = pemKeyDer(key)
    if (der) return hex(sha256(der), 4)
  }
  return hex(sha256(utf8Encode(key)), 4)
}

/** The DER bytes of the last PEM block that is a key (not EC PARAMETERS), or null when the text is not usable PEM. */
function pemKeyDer(text: string): Uint8Array | null {
  let blocks
  try {
    blocks = readPem(text, 'INVALID_PUBLIC_KEY', 'key')
  } catch {
    return null
  }
  for (let i = blocks.length - 1; i >= 0; i--) if (blocks[i]!.label !== 'EC PARAMETERS') return blocks[i]!.der
  return null
}
