/**
 * The key object that carries legacy (v1) verification into the core verifier: `verifyUserSig(token, { publicKey:
 * legacyPublicKey(pem) })`. The core checks identity, SDKAppID and expiry; this object answers only "did this key sign
 * these fields?", so the root entry never loads ECDSA code.
 * @module
 */
import { sha256 } from '../_sha256.js'
import type { LegacyPublicKeyObject } from '../keys.js'
import { hex } from '../secret.js'
import { legacySpkiDer, type LegacyPublicKey } from './keys.js'
import { publicKeyOf, verifyLegacySignature } from './verify.js'

/**
 * Parses a legacy public key (SPKI PEM text, or the result of parseLegacyPublicKey) once, into a key object for
 * verifyUserSig, explainUserSig and createVerifier.
 * @throws UserSigError INVALID_PUBLIC_KEY when the PEM cannot be used or is not a string (the same error as every
 *   entry point gives for a bad publicKey).
 * @example
 * const publicKey = legacyPublicKey(readFileSync('public_key', 'utf8'))
 * verifyUserSig(userSig, { sdkAppId: 1400000000, userId: 'alice', publicKey }).ok // true
 */
export function legacyPublicKey(pem: string | LegacyPublicKey): LegacyPublicKeyObject {
  const key = publicKeyOf(pem)
  const keyId = hex(sha256(legacySpkiDer(key.curve, key.publicKey)), 4)
  return Object.freeze({
    type: 'legacy-public-key' as const,
    algorithm: 'ecdsa-sha256' as const,
    keyId,
    verify: (fields: Readonly<Record<string, unknown>>): boolean => verifyLegacySignature(fields, key),
  })
}
