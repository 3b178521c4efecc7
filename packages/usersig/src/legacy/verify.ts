/**
 * The signature check of a legacy (v1) UserSig. Decoding the envelope and checking identifier, sdk_appid and expiry
 * are the core verifier's job (docs/spec/verify.md §3–§4); this module answers only "did this key sign these fields?".
 * @module
 */
import { base64DecodeIgnoringNewlines } from '../_base64.js'
import { utf8Encode } from '../_utf8.js'
import { malformed, UserSigError } from '../errors.js'
import { legacySignedContent } from './content.js'
import { ecdsaVerifyDer } from './ecdsa.js'
import { parseLegacyPublicKey, type LegacyPublicKey } from './keys.js'

/** A public key already parsed with parseLegacyPublicKey. */
export type ParsedPublicKey = LegacyPublicKey

/**
 * A public key as the legacy functions take it: SPKI PEM text (parsed here, on every call: nothing is cached), or the
 * result of parseLegacyPublicKey. Anything else is UserSigError INVALID_PUBLIC_KEY.
 */
export function publicKeyOf(key: string | ParsedPublicKey): ParsedPublicKey {
  // Anything but an object is checked as the PEM text it should be (one wording for that mistake).
  if (typeof key !== 'object' || key === null) return parseLegacyPublicKey(key as string)
  if ((key.curve !== 'secp256k1' && key.curve !== 'P-256') || !(key.publicKey instanceof Uint8Array)) {
    throw new UserSigError('INVALID_PUBLIC_KEY', 'publicKey must be SPKI PEM text or the result of parseLegacyPublicKey()', {
      hint: 'read the public key file as text, e.g. readFileSync(path, "utf8")',
    })
  }
  return key
}

/**
 * Checks the ECDSA signature of a legacy UserSig's decoded JSON fields against a public key.
 *
 * The signed content is rebuilt from the field values (userbuf form iff `TLS.userbuf` is present), and `TLS.sig` is
 * decoded as standard base64 with `\r` and `\n` ignored (server-issued sigs are MIME-wrapped). High-S signatures are
 * accepted. PEM text is parsed on every call: for many calls, parse it once (parseLegacyPublicKey, or legacyPublicKey
 * for verifyUserSig).
 * @returns true iff the signature is valid for these fields and this key (a wrong key, wrong curve, tampered field or
 *   non-DER signature gives false).
 * @throws UserSigError MALFORMED (stage `fields`) when a signed field or `TLS.sig` is missing or not a string, or
 *   `TLS.sig` is not base64; UserSigError INVALID_PUBLIC_KEY when the key cannot be used.
 * @example
 * verifyLegacySignature(payload.fields, readFileSync('public_key', 'utf8')) // true
 */
export function verifyLegacySignature(fields: Record<string, unknown>, publicKeyPem: string | ParsedPublicKey): boolean {
  const key = publicKeyOf(publicKeyPem)
  const content = legacySignedContent(fields, Object.hasOwn(fields, 'TLS.userbuf'))
  if (!Object.hasOwn(fields, 'TLS.sig')) throw malformed('fields', 'TLS.sig is missing')
  const sig = fields['TLS.sig']
  if (typeof sig !== 'string') throw malformed('fields', `TLS.sig must be a string, found ${sig === null ? 'null' : typeof sig}`)
  const der = base64DecodeIgnoringNewlines(sig)
  if (der === null) throw malformed('fields', 'TLS.sig is not standard base64')
  return ecdsaVerifyDer(key.curve, key.publicKey, utf8Encode(content), der)
}
