/**
 * The two curves legacy (v1) UserSig keys use, their OIDs, and the noble ECDSA instances behind them.
 * Both occur in real console keys (docs/spec/format.md §3); every other curve is rejected by name.
 * @module
 */
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { p256 } from '@noble/curves/nist.js'

/** A curve a legacy UserSig key can be on. */
export type LegacyCurve = 'secp256k1' | 'P-256'

/** The ECDSA operations this package needs from a curve implementation. */
export type CurveImpl = typeof p256

/** Named-curve OIDs (SEC 2 §A.2, RFC 5480 §2.1.1.1). */
export const CURVE_OID: Readonly<Record<LegacyCurve, string>> = {
  secp256k1: '1.3.132.0.10',
  'P-256': '1.2.840.10045.3.1.7',
}

/** id-ecPublicKey (RFC 5480): the algorithm of every EC key in SPKI and PKCS#8. */
export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1'

// Curves and algorithms people actually paste, so an error can name them instead of printing a bare OID.
const OTHER_OIDS: Readonly<Record<string, string>> = {
  '1.3.132.0.33': 'secp224r1 (P-224)',
  '1.3.132.0.34': 'secp384r1 (P-384)',
  '1.3.132.0.35': 'secp521r1 (P-521)',
  '1.2.840.10045.3.1.1': 'prime192v1 (P-192)',
  '1.3.36.3.3.2.8.1.1.7': 'brainpoolP256r1',
  '1.2.156.10197.1.301': 'SM2',
  '1.2.840.113549.1.1.1': 'RSA (rsaEncryption)',
  '1.2.840.10040.4.1': 'DSA',
  '1.3.101.110': 'X25519',
  '1.3.101.111': 'X448',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.2.840.113549.1.5.13': 'PBES2 (password-encrypted key)',
}

/**
 * The curve for a named-curve OID, or undefined when it is not one of ours.
 * @example
 * curveByOid('1.3.132.0.10') // 'secp256k1'
 */
export function curveByOid(oid: string): LegacyCurve | undefined {
  if (oid === CURVE_OID.secp256k1) return 'secp256k1'
  if (oid === CURVE_OID['P-256']) return 'P-256'
  return undefined
}

/**
 * A human description of an OID for error messages: its common name when known, always with the dotted form.
 * @example
 * describeOid('1.3.132.0.34') // 'secp384r1 (P-384) (OID 1.3.132.0.34)'
 */
export function describeOid(oid: string): string {
  const name = OTHER_OIDS[oid] ?? (oid === CURVE_OID.secp256k1 ? 'secp256k1' : oid === CURVE_OID['P-256'] ? 'P-256' : undefined)
  return name === undefined ? `OID ${oid}` : `${name} (OID ${oid})`
}

const ALIASES: Readonly<Record<string, LegacyCurve>> = {
  secp256k1: 'secp256k1',
  'p-256': 'P-256',
  p256: 'P-256',
  prime256v1: 'P-256',
  secp256r1: 'P-256',
}

/**
 * Normalises a curve name, case-insensitively: `secp256k1`, or `P-256` / `p256` / `prime256v1` / `secp256r1`.
 * Anything else is a programmer mistake (TypeError).
 * @example
 * normalizeCurve('prime256v1') // 'P-256'
 */
export function normalizeCurve(name: unknown): LegacyCurve {
  const curve = typeof name === 'string' ? ALIASES[name.trim().toLowerCase()] : undefined
  if (curve === undefined) {
    throw new TypeError(`curve must be 'secp256k1' or 'P-256' (also accepted: p256, prime256v1, secp256r1), got ${typeof name === 'string' ? JSON.stringify(name.slice(0, 32)) : typeof name}`)
  }
  return curve
}

/**
 * The noble ECDSA instance for a curve.
 * @example
 * curveImpl('secp256k1').getPublicKey(secretKey, false) // 65-byte uncompressed point
 */
export function curveImpl(curve: LegacyCurve): CurveImpl {
  return curve === 'secp256k1' ? (secp256k1 as unknown as CurveImpl) : p256
}
