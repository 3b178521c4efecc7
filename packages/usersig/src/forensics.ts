/**
 * Signer forensics: when a v2 token's MAC matches none of the keys given, try the mistakes real signers make (the key
 * mangled on its way to the signer, the content built with a known bug of the official libraries, values the caller
 * believes in, another key the user has) and name the one that reproduces the signature. The set of candidates is
 * fixed and small (at most MAX_KEYS keys × a dozen variants), each compared in constant time; no key, candidate key
 * or MAC ever leaves this module, only the name of the mistake and of the key (its id).
 * @module
 */
import { base64DecodeStrict } from './_base64.js'
import { HmacSha256Key, timingSafeEqual } from './_sha256.js'
import { utf8Encode } from './_utf8.js'
import type { DecodedUserSig } from './decode.js'
import type { Code } from './codes.js'

/** A diagnosis: the code of the table, a message and the exact fix. Never holds a key or a MAC. */
export interface Forensic {
  code: Extract<Code, 'KEY_WHITESPACE' | 'SIGNER_KEY_MANGLED' | 'SIGNER_CONTENT_BUG' | 'SIGNED_BY_OTHER_KEY'>
  message: string
  fix: string
}

/** A key the user has, named by its id (a keyring entry, another app of the CLI's or the service's configuration). */
export interface NamedKey {
  id: string
  secretKey: string
}

/** At most this many keys of each kind are tried, so the work stays a small fixed amount per call. */
export const MAX_KEYS = 16

interface KeyVariant { bytes: (k: string) => Uint8Array | null; what: string; fix: string; code?: 'KEY_WHITESPACE' }

const TRIM = 'trim the key where the signer reads it (file, env file, secret store)'

// The key as the signer may have received it. Each entry names the mistake, never the key.
const KEY_VARIANTS: readonly KeyVariant[] = [
  { bytes: (k) => text(k + '\n'), what: 'with a trailing line feed (\\n), as read from a file', fix: TRIM },
  { bytes: (k) => text(k + '\r\n'), what: 'with a trailing CR LF (\\r\\n), as read from a Windows file', fix: TRIM },
  { bytes: (k) => text(k + '\r'), what: 'with a trailing carriage return (\\r)', fix: TRIM },
  { bytes: (k) => text(k + ' '), what: 'with a trailing space', fix: TRIM },
  { bytes: (k) => text(' ' + k), what: 'with a leading space', fix: TRIM },
  { bytes: (k) => text('\uFEFF' + k), what: 'with a byte order mark (BOM) in front, as read from a UTF-8-with-BOM file', fix: 'save the file without a BOM, or strip it where the key is read' },
  { bytes: (k) => text('"' + k + '"'), what: 'wrapped in double quotes (an env file or JSON value read literally)', fix: 'remove the quotes around the key where it is configured' },
  { bytes: (k) => text("'" + k + "'"), what: 'wrapped in single quotes (an env file read literally)', fix: 'remove the quotes around the key where it is configured' },
  { bytes: (k) => (k.trim() !== k ? text(k.trim()) : null), what: 'without the surrounding whitespace your copy has', fix: 'trim the key where it is configured: your copy has stray spaces or a line ending', code: 'KEY_WHITESPACE' },
  { bytes: hexBytes, what: 'hex-decoded to bytes; the official libraries use the key text itself', fix: 'pass the key string as shown in the console to the HMAC, do not hex-decode it' },
  { bytes: base64Bytes, what: 'base64-decoded to bytes; the official libraries use the key text itself', fix: 'pass the key string as shown in the console to the HMAC, do not base64-decode it' },
  { bytes: (k) => (k.toUpperCase() !== k ? text(k.toUpperCase()) : null), what: 'upper-cased', fix: 'use the key exactly as shown in the console (lower case)' },
  { bytes: (k) => (k.toLowerCase() !== k ? text(k.toLowerCase()) : null), what: 'lower-cased', fix: 'use the key exactly as shown in the console, case included' },
]

function text(s: string): Uint8Array {
  return utf8Encode(s)
}

function hexBytes(k: string): Uint8Array | null {
  if (k.length === 0 || k.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(k)) return null
  const out = new Uint8Array(k.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(k.slice(2 * i, 2 * i + 2), 16)
  return out
}

function base64Bytes(k: string): Uint8Array | null {
  if (k.length < 4 || k.length % 4 !== 0) return null
  const b = base64DecodeStrict(k)
  return b !== null && b.length > 0 ? b : null
}

/** The HMAC content of FORMAT.md §3.4 from text parts (the forensic variants put text where numbers belong). */
function content(id: string, app: string, time: string, expire: string, userBuf: string | null): Uint8Array {
  let s = 'TLS.identifier:' + id + '\nTLS.sdkappid:' + app + '\nTLS.time:' + time + '\nTLS.expire:' + expire + '\n'
  if (userBuf !== null) s += 'TLS.userbuf:' + userBuf + '\n'
  return utf8Encode(s)
}

interface ContentVariant { bytes: Uint8Array; message: string; fix: string }

/** The content as faulty signers built it, for this token and what the caller believes. */
function contentVariants(d: DecodedUserSig, believed: { userId?: string | undefined; sdkAppId?: number | undefined }): ContentVariant[] {
  const id = d.userId
  const app = String(d.sdkAppId)
  const t = String(d.issuedAt)
  const e = String(d.expiresIn)
  const ub = d.userBuf === null ? null : (d.fields['TLS.userbuf'] as string)
  const out: ContentVariant[] = []
  const appFix = 'pass the SDKAppID to the signer as a number (parse and trim it where it is read from text)'
  for (const [v, how] of [[' ' + app, 'a leading space'], [app + ' ', 'a trailing space'], [app + '\n', 'a trailing line feed'], [app + '\r\n', 'a trailing CR LF']] as const) {
    out.push({ bytes: content(id, v, t, e, ub), message: `the signer received the SDKAppID as text with ${how}: it signed that text while writing the number into the token (the official Node signer does this)`, fix: appFix })
  }
  if (ub === null) {
    out.push({ bytes: content(id, app, t, e, ''), message: 'the signer signed an empty "TLS.userbuf" line but left the field out of the token (a known bug of the newer official Go signer): nobody can verify it', fix: 'sign plain UserSigs without a userbuf (use GenUserSig, not GenPrivateMapKey with an empty buffer), or use usersig' })
  }
  out.push({ bytes: content(id, app, t, e + '.0', ub), message: 'the signer put the lifetime into the signed content as a float (".0" appended) while writing an integer into the token (the official Python signer given a float lifetime)', fix: 'pass the lifetime to the signer as an integer number of seconds' })
  out.push({ bytes: content(id, app, t, 'undefined', ub), message: 'the signer signed "undefined" as the lifetime (the official Node signer called without a lifetime)', fix: 'always pass the lifetime to the signer' })
  if (believed.userId !== undefined && believed.userId !== id) {
    out.push({ bytes: content(believed.userId, app, t, e, ub), message: 'the signature covers the UserID you gave, but the token carries another one: the signer wrote one UserID into the token and signed another', fix: 'use one UserID value for both; fix the signer' })
  }
  if (believed.sdkAppId !== undefined && String(believed.sdkAppId) !== app) {
    out.push({ bytes: content(id, String(believed.sdkAppId), t, e, ub), message: 'the signature covers the SDKAppID you gave, but the token carries another one: the signer wrote one SDKAppID into the token and signed another', fix: 'use one SDKAppID value for both; fix the signer' })
  }
  return out
}

const mac = /* @__PURE__ */ new Uint8Array(32)

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
  const ub = d.userBuf === null ? null : (d.fields['TLS.userbuf'] as string)
  const exact = content(d.userId, String(d.sdkAppId), String(d.issuedAt), String(d.expiresIn), ub)
  const given = keys.slice(0, MAX_KEYS).filter((k) => typeof k.secretKey === 'string' && k.secretKey !== '')
  const name = (k: NamedKey) => (given.length > 1 ? `key ${JSON.stringify(k.id)}` : 'your key')

  for (const k of given) {
    for (const v of KEY_VARIANTS) {
      const b = v.bytes(k.secretKey)
      if (b !== null && matches(new HmacSha256Key(b), exact, sig)) {
        return { code: v.code ?? 'SIGNER_KEY_MANGLED', message: `the token was signed with ${name(k)} ${v.what}`, fix: v.fix }
      }
    }
  }
  const variants = contentVariants(d, believed)
  for (const k of given) {
    const hk = new HmacSha256Key(utf8Encode(k.secretKey))
    for (const v of variants) {
      if (matches(hk, v.bytes, sig)) return { code: 'SIGNER_CONTENT_BUG', message: `signed with ${name(k)}, but ${v.message}`, fix: v.fix }
    }
  }
  for (const k of otherKeys.slice(0, MAX_KEYS)) {
    if (typeof k.secretKey !== 'string' || k.secretKey === '') continue
    if (matches(new HmacSha256Key(utf8Encode(k.secretKey)), exact, sig)) {
      return { code: 'SIGNED_BY_OTHER_KEY', message: `the token was signed with another key you have: ${JSON.stringify(k.id)}`, fix: `verify with the key of ${JSON.stringify(k.id)}, or issue the token with this app's key (a key of another app or environment was used)` }
    }
  }
  return null
}
