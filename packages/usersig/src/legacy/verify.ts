/**
 * The signature check of a legacy (v1) UserSig. Decoding the envelope and checking identifier, sdk_appid and expiry
 * are the core verifier's job (docs/spec/verify.md §3–§4); this module answers only "did this key sign these fields?".
 * @module
 */
import { base64DecodeIgnoringNewlines } from '../_base64.js'
import { utf8Encode } from '../_utf8.js'
import { malformed } from '../errors.js'
import { legacySignedContent } from './content.js'
import { ecdsaVerifyDer } from './ecdsa.js'
import { parseLegacyPublicKey, type LegacyPublicKey } from './keys.js'

/** A public key already parsed with parseLegacyPublicKey. */
export type ParsedPublicKey = LegacyPublicKey

// Parsed keys by PEM text. A verifier typically holds one or two keys; the bound only stops a caller that passes a new
// string each time from growing memory without limit (oldest entry evicted first).
const CACHE_LIMIT = 16
const cache = new Map<string, LegacyPublicKey>()

function cachedPublicKey(pem: string): LegacyPublicKey {
  const hit = cache.get(pem)
  if (hit !== undefined) return hit
  const parsed = parseLegacyPublicKey(pem)
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!)
  cache.set(pem, parsed)
  return parsed
}

/** The key itself, when it is a parsed public key; TypeError otherwise. */
export function checkParsedPublicKey(key: ParsedPublicKey): ParsedPublicKey {
  if (typeof key !== 'object' || key === null || (key.curve !== 'secp256k1' && key.curve !== 'P-256') || !(key.publicKey instanceof Uint8Array)) {
    throw new TypeError('publicKey must be SPKI PEM text or the result of parseLegacyPublicKey()')
  }
  return key
}

/**
 * Checks the ECDSA signature of a legacy UserSig's decoded JSON fields against a public key.
 *
 * The signed content is rebuilt from the field values (userbuf form iff `TLS.userbuf` is present), and `TLS.sig` is
 * decoded as standard base64 with `\r` and `\n` ignored (server-issued sigs are MIME-wrapped). High-S signatures are
 * accepted. Parsed PEM keys are cached.
 * @returns true iff the signature is valid for these fields and this key (a wrong key, wrong curve, tampered field or
 *   non-DER signature gives false).
 * @throws UserSigError MALFORMED (stage `fields`) when a signed field or `TLS.sig` is missing or not a string, or
 *   `TLS.sig` is not base64; UserSigError INVALID_PUBLIC_KEY when the PEM cannot be used.
 * @example
 * verifyLegacySignature(payload.fields, readFileSync('public_key', 'utf8')) // true
 */
export function verifyLegacySignature(fields: Record<string, unknown>, publicKeyPem: string | ParsedPublicKey): boolean {
  const key = typeof publicKeyPem === 'string' ? cachedPublicKey(publicKeyPem) : checkParsedPublicKey(publicKeyPem)
  const content = legacySignedContent(fields, Object.hasOwn(fields, 'TLS.userbuf'))
  if (!Object.hasOwn(fields, 'TLS.sig')) throw malformed('fields', 'TLS.sig is missing')
  const sig = fields['TLS.sig']
  if (typeof sig !== 'string') throw malformed('fields', `TLS.sig must be a string, found ${sig === null ? 'null' : typeof sig}`)
  const der = base64DecodeIgnoringNewlines(sig)
  if (der === null) throw malformed('fields', 'TLS.sig is not standard base64')
  return ecdsaVerifyDer(key.curve, key.publicKey, utf8Encode(content), der)
}
