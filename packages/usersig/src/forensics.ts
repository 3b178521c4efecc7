/**
 * Signer forensics: when a v2 token's MAC matches none of the keys given, try the mistakes real signers make (the key
 * mangled on its way to the signer, the content built with a known bug of the official libraries, values the caller
 * believes in, another key the user has) and name the one that reproduces the signature. The set of candidates is
 * fixed and small (at most MAX_KEYS keys × a dozen variants), each compared in constant time; no key, candidate key
 * or MAC ever leaves this module, only the name of the mistake and of the key (its id). The fix is the code's (CODES).
 * @module
 */
import { base64DecodeStrict } from './_base64.js'
import { HmacSha256Key, timingSafeEqual } from './_sha256.js'
import { utf8Encode } from './_utf8.js'
import type { DecodedUserSig } from './decode.js'
import { quote } from './errors.js'
import type { Code } from './codes.js'

/** A diagnosis: the code of the table and what is particular (the mistake, the key's name). Never holds a key or a MAC. */
interface Forensic {
  code: Extract<Code, 'KEY_WHITESPACE' | 'SIGNER_KEY_MANGLED' | 'SIGNER_CONTENT_BUG' | 'SIGNED_BY_OTHER_KEY'>
  /** The detail after the code's message (CODES), e.g. "the token was signed with your key upper-cased". */
  message: string
}

/** A key the user has, named by its id (a keyring entry, another app of the CLI's or the service's configuration). */
export interface NamedKey {
  id: string
  secretKey: string
}

/** At most this many keys of each kind are tried, so the work stays a small fixed amount per call. */
const MAX_KEYS = 16

// The key as the signer may have received it, and what was done to it (never the key).
const KEY_VARIANTS: readonly [string, (k: string) => string | Uint8Array | null][] = [
  ['with a trailing line feed (\\n), as read from a file', (k) => k + '\n'],
  ['with a trailing CR LF (\\r\\n), as read from a Windows file', (k) => k + '\r\n'],
  ['with a trailing carriage return (\\r)', (k) => k + '\r'],
  ['with a trailing space', (k) => k + ' '],
  ['with a leading space', (k) => ' ' + k],
  ['with a byte order mark (BOM) in front, as read from a UTF-8-with-BOM file', (k) => '\uFEFF' + k],
  ['wrapped in double quotes (an env file or JSON value read literally)', (k) => `"${k}"`],
  ['wrapped in single quotes (an env file read literally)', (k) => `'${k}'`],
  ['hex-decoded to bytes; the official libraries use the key text itself', (k) => (/^([0-9a-fA-F]{2})+$/.test(k) ? new Uint8Array(k.match(/../g)!.map((h) => parseInt(h, 16))) : null)],
  ['base64-decoded to bytes; the official libraries use the key text itself', (k) => (k.length >= 4 && k.length % 4 === 0 ? base64DecodeStrict(k) : null)],
  ['upper-cased', (k) => k.toUpperCase()],
  ['lower-cased', (k) => k.toLowerCase()],
]

/** The HMAC content of docs/spec/format.md §2.2 from text parts (the forensic variants put text where numbers belong). */
function content([id, app, time, expire, userBuf]: readonly (string | null)[]): Uint8Array {
  return utf8Encode(`TLS.identifier:${id}\nTLS.sdkappid:${app}\nTLS.time:${time}\nTLS.expire:${expire}\n${userBuf === null ? '' : `TLS.userbuf:${userBuf}\n`}`)
}

/** The content as faulty signers built it, for this token and what the caller believes: [field, value, message]. */
function contentVariants(d: DecodedUserSig, app: string, e: string, believed: { userId?: string | undefined; sdkAppId?: number | undefined }): [number, string, string][] {
  const asText = (how: string) => `the SDKAppID reached the signer as text with ${how}: it signed that text while writing the number into the token (the official Node signer does this; pass it as a number)`
  const out: [number, string, string][] = [
    [1, ' ' + app, asText('a leading space')],
    [1, app + ' ', asText('a trailing space')],
    [1, app + '\n', asText('a trailing line feed')],
    [1, app + '\r\n', asText('a trailing CR LF')],
    [3, e + '.0', 'it signed the lifetime as a float (".0" appended) while writing an integer into the token (the official Python signer given a float lifetime)'],
    [3, 'undefined', 'it signed "undefined" as the lifetime (the official Node signer called without a lifetime)'],
  ]
  if (d.userBuf === null) out.push([4, '', 'it signed an empty "TLS.userbuf" line but left the field out of the token (a known bug of the newer official Go signer; sign plain UserSigs without a userbuf)'])
  if (believed.userId !== undefined && believed.userId !== d.userId) out.push([0, believed.userId, 'the signature covers the UserID you gave, but the token carries another one'])
  if (believed.sdkAppId !== undefined && String(believed.sdkAppId) !== app) out.push([1, String(believed.sdkAppId), 'the signature covers the SDKAppID you gave, but the token carries another one'])
  return out
}

const mac = /* @__PURE__ */ new Uint8Array(32)

/** An HMAC key for a key text or bytes; made once per key and reused for every content it is tried on. */
function hmacKey(key: string | Uint8Array): HmacSha256Key {
  return new HmacSha256Key(typeof key === 'string' ? utf8Encode(key) : key)
}

function matches(key: HmacSha256Key, data: Uint8Array, sig: Uint8Array): boolean {
  key.macInto(data, mac, 0)
  return timingSafeEqual(mac, sig)
}

/**
 * Names the signer mistake that reproduces the token's signature with the keys the user gave, or another key the user
 * has; null when none does (then the token was signed with a key the user has not given).
 * @param keys The keys the token should verify with (already found not to match as given).
 * @param otherKeys Other keys the user has, named by id.
 */
export function signerForensics(d: DecodedUserSig, keys: readonly NamedKey[], otherKeys: readonly NamedKey[] = [], believed: { userId?: string | undefined; sdkAppId?: number | undefined } = {}): Forensic | null {
  if (d.version !== 'v2') return null
  const sig = base64DecodeStrict(d.signature)
  if (sig === null || sig.length !== 32) return null
  const app = String(d.sdkAppId)
  const e = String(d.expiresIn)
  const fields = [d.userId, app, String(d.issuedAt), e, d.userBuf === null ? null : (d.fields['TLS.userbuf'] as string)]
  const exact = content(fields)
  const usable = (ks: readonly NamedKey[]) => ks.slice(0, MAX_KEYS).filter((k) => typeof k.secretKey === 'string' && k.secretKey !== '')
  const given = usable(keys)
  const name = (k: NamedKey) => (given.length > 1 ? `key ${quote(k.id)}` : 'your key')

  for (const k of given) {
    const key = k.secretKey
    for (const [what, variant] of KEY_VARIANTS) {
      const b = variant(key)
      if (b !== null && b !== key && matches(hmacKey(b), exact, sig)) return { code: 'SIGNER_KEY_MANGLED', message: `the token was signed with ${name(k)} ${what}` }
    }
    if (key.trim() !== key && matches(hmacKey(key.trim()), exact, sig)) return { code: 'KEY_WHITESPACE', message: `the token was signed with ${name(k)} without the surrounding whitespace your copy has` }
  }
  // Each content once, each key's HMAC key once: keys × variants MACs, no more.
  const variants = contentVariants(d, app, e, believed).map(([i, value, message]) => [content(fields.map((v, j) => (j === i ? value : v))), message] as const)
  for (const k of given) {
    const key = hmacKey(k.secretKey)
    for (const [data, message] of variants) {
      if (matches(key, data, sig)) return { code: 'SIGNER_CONTENT_BUG', message: `signed with ${name(k)}, but ${message}` }
    }
  }
  for (const k of usable(otherKeys)) {
    if (matches(hmacKey(k.secretKey), exact, sig)) return { code: 'SIGNED_BY_OTHER_KEY', message: `the token was signed with another key you have: ${quote(k.id)}` }
  }
  return null
}
