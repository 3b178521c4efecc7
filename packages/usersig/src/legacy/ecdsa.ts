/**
 * ECDSA-SHA256 with DER signatures, as every official v1 implementation signs (docs/spec/format.md §3).
 * @module
 */
import { curveImpl, type LegacyCurve } from './_curves.js'

/**
 * Signs `message` (hashed with SHA-256 here) and returns the DER `ECDSA-Sig-Value`.
 *
 * The nonce is derived deterministically (RFC 6979), so signing needs no randomness source (WeChat mini-programs
 * have none that is synchronous) and the same input gives the same signature. S is normalised to the low half, which
 * every verifier, OpenSSL included, accepts.
 * @example
 * const sig = ecdsaSignDer('secp256k1', privateKey, utf8Encode(content)) // Uint8Array(70..72)
 */
export function ecdsaSignDer(curve: LegacyCurve, privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  return curveImpl(curve).sign(message, privateKey, { prehash: true, lowS: true, format: 'der' })
}

/**
 * Verifies a DER ECDSA-SHA256 signature over `message`. High-S signatures are accepted (OpenSSL and the official
 * servers produce them). Never throws: a malformed signature, a key of the wrong length or an off-curve point all
 * give `false`.
 * @example
 * ecdsaVerifyDer('P-256', publicKey, utf8Encode(content), derSig) // true
 */
export function ecdsaVerifyDer(curve: LegacyCurve, publicKey: Uint8Array, message: Uint8Array, derSig: Uint8Array): boolean {
  try {
    return curveImpl(curve).verify(derSig, message, publicKey, { prehash: true, lowS: false, format: 'der' })
  } catch {
    return false
  }
}
