/**
 * Decoding without a key (docs/spec/verify.md §2 and the envelope of §3 steps 1–4): Tencent base64 → zlib (capped) → strict
 * JSON → typed fields, for v2 and legacy v1 tokens. Never throws anything but UserSigError.
 */
import { base64DecodeIgnoringNewlines, base64DecodeStrict, base64DecodeStrictInto, tencentBase64Decode } from './_base64.js'
import { zlibDecompress } from './_inflate.js'
import { ZlibError } from './_zlib.js'
import { JsonError, type JsonObject, type TokenJson } from './_json.js'
import { readTokenJson } from './_tokenjson.js'
import { malformed, UserSigError } from './errors.js'
import { M_MISSING_PADDING, M_STANDARD_ALPHABET, M_TRAILING_BYTES, M_WHITESPACE, type WarningCode } from './codes.js'
import { decodePrivateMapKeyUserBuf, type PrivateMapKeyFields } from './userbuf.js'

/** An anomaly that does not make a token invalid (missing padding, whitespace, …): a warning code of the table (CODES). */
export interface Warning {
  code: WarningCode
  /** The code's message (CODES), then after a colon what is particular to this token. */
  message: string
}

/** What a token holds, read without a key (`decodeUserSig`); nothing in it is verified. */
export interface DecodedUserSig {
  /** 'v2' (HMAC-SHA256) or 'v1' (legacy ECDSA-SHA256). */
  version: 'v2' | 'v1'
  /** The user the token is for (TLS.identifier). */
  userId: string
  /** The app (TLS.sdkappid, or TLS.sdk_appid for v1). */
  sdkAppId: number
  /** Issue time, unix seconds (TLS.time). */
  issuedAt: number
  /** Lifetime in seconds (TLS.expire, or TLS.expire_after for v1). */
  expiresIn: number
  /** issuedAt + expiresIn, unix seconds. */
  expiresAt: number
  /** @deprecated the glossary's word is `userId` (same value). */
  identifier: string
  /** @deprecated the glossary's word is `issuedAt` (same value). */
  time: number
  /** @deprecated the glossary's word is `expiresIn` (same value). */
  expire: number
  /** The userbuf bytes (TLS.userbuf), or null. */
  userBuf: Uint8Array | null
  /** The userbuf parsed as a PrivateMapKey, when it has that layout. */
  privateMapKey: PrivateMapKeyFields | null
  /** TLS.sig as found in the token (standard base64). */
  signature: string
  /** The token's JSON object, as parsed. */
  fields: Record<string, unknown>
  /** Legacy-only fields. */
  legacy?: { accountType: string; appidAt3rd: string | null; version: string | null }
  /** Anomalies that do not make the token invalid (missing padding, trailing bytes, …). */
  warnings: Warning[]
}

/** Options of `decodeUserSig`. */
export interface DecodeOptions {
  /** Cap on the decompressed JSON, in bytes (default 65536). */
  maxDecompressedBytes?: number
}

/** The default cap on a token's decompressed JSON, in bytes: far above any real token, far below a zip bomb. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 65536
/** Longest token string accepted before decoding (1 MiB of characters). */
export const MAX_TOKEN_LENGTH: number = 1 << 20

const ZLIB_MESSAGES: Record<string, [string, string]> = {
  header: ['the data is not a zlib stream (raw deflate, gzip or not compressed at all)', 'a UserSig is zlib-compressed JSON in Tencent base64; generate it with an official or usersig signer'],
  truncated: ['the compressed data ends too early: the UserSig is truncated', 'was it stored in a column or buffer that is too short? (error 70003/70004)'],
  checksum: ['the zlib checksum does not match: the UserSig was altered', 'copy the whole UserSig again, unchanged'],
  corrupt: ['the compressed data is corrupt', 'copy the whole UserSig again, unchanged'],
  'too-large': ['the decompressed UserSig is larger than the cap', 'a real UserSig is a few hundred bytes; this looks like a decompression bomb'],
}

// Inflate into one reused buffer (the JSON is read at once and never kept): bench:ab against a new buffer per token
// measured verify 1.184, verifier 1.797, decode 1.636.
const INFLATE_SCRATCH = new Uint8Array(16384)

/**
 * Decodes the envelope to the JSON object, adding its anomalies to the caller's `warnings` (no result object around
 * the two: one allocation fewer per token).
 */
export function openEnvelope(token: unknown, maxBytes: number, warnings: Warning[]): TokenJson {
  if (typeof token !== 'string') throw malformed('base64', `the UserSig must be a string, got ${token === null ? 'null' : typeof token}`)
  // Bounded input: real UserSigs are a few hundred characters. The limit is generous so that a compressed bomb reaches
  // the zlib stage and is reported there (capped), while megabytes of junk are refused before any decoding.
  if (token.length > MAX_TOKEN_LENGTH) throw malformed('base64', `the UserSig is ${token.length} characters long, far more than a UserSig can be`)
  const b = tencentBase64Decode(token)
  if (b.missingPadding) warnings.push({ code: 'MISSING_PADDING', message: M_MISSING_PADDING })
  if (b.hadWhitespace) warnings.push({ code: 'WHITESPACE', message: M_WHITESPACE })
  if (b.standardAlphabet) warnings.push({ code: 'STANDARD_ALPHABET', message: M_STANDARD_ALPHABET })
  let out: Uint8Array
  let outLength: number
  try {
    // Into a reused buffer: read at once below, never kept.
    const r = zlibDecompress(b.bytes, maxBytes, b.length, INFLATE_SCRATCH)
    out = r.output
    outLength = r.length
    if (r.consumed < b.length) warnings.push({ code: 'TRAILING_BYTES', message: `${M_TRAILING_BYTES}: ${b.length - r.consumed} bytes` })
  } catch (e) {
    rethrowBug(e)
    if (e instanceof ZlibError) {
      const [msg, hint] = ZLIB_MESSAGES[e.reason] ?? ZLIB_MESSAGES.corrupt!
      throw malformed('zlib', e.reason === 'too-large' ? `${msg} (${maxBytes} bytes)` : msg, hint)
    }
    throw malformed('zlib', 'the compressed data is corrupt')
  }
  try {
    return readTokenJson(out, outLength)
  } catch (e) {
    const why = e instanceof JsonError ? e.message : 'invalid JSON'
    throw malformed('json', `the payload is not valid JSON: ${why}`)
  }
}

// JSON values are never undefined, and "TLS.*" names are on no prototype: a read is an own-member test (cheaper than
// hasOwnProperty.call on the hot path).
const has = (o: JsonObject, k: string) => o[k] !== undefined

function badField(name: string, why: string): never {
  throw malformed('fields', `${name} ${why}`, 'the UserSig was not made by a conforming signer')
}

function intField(o: JsonObject, name: string, numberText: Record<string, string> | null): number {
  const v = o[name] as unknown
  const spelled = numberText?.[name]
  if (typeof v === 'number' && v >= 0 && spelled === undefined) return v
  if (v === undefined) badField(name, 'is missing')
  // One token, one spelling (docs/spec/decisions.md): 1.0, 1e3 and -0 are refused, not read as 1, 1000 and 0.
  // Digits alone that were spelled out: an integer past 2^53 − 1, which a double cannot hold exactly.
  if (spelled !== undefined) badField(name, spelled.startsWith('-') ? 'must not be negative' : `must be ${/^[0-9]+$/.test(spelled) ? 'a safe integer' : 'an integer'}, got ${spelled.slice(0, 24)}`)
  if (typeof v !== 'number') badField(name, `must be a number, got ${typeof v === 'string' ? 'a string' : v === null ? 'null' : typeof v}`)
  if ((v as number) < 0) badField(name, 'must not be negative')
  return v as number
}

function strField(o: JsonObject, name: string): string {
  const v = o[name]
  if (typeof v === 'string') return v
  if (v === undefined) badField(name, 'is missing')
  if (typeof v !== 'string') badField(name, `must be a string, got ${v === null ? 'null' : typeof v}`)
  return v as string
}

function decimalField(o: JsonObject, name: string, signed = false): number {
  const s = strField(o, name)
  if (!(signed ? /^-?[0-9]{1,15}$/ : /^[0-9]{1,15}$/).test(s)) badField(name, 'must be a decimal string')
  return Number(s)
}

// Where readFields decodes TLS.sig when its caller does not want the bytes.
const SIG_SCRATCH = new Uint8Array(33)

/**
 * Reads typed fields from an opened envelope. For a v2 token, the 32 bytes of TLS.sig are decoded into `sigOut`
 * (33 bytes long: base64 decodes in whole groups), which verify owns and reads right after.
 */
export function readFields(token: TokenJson, warnings: Warning[], sigOut: Uint8Array = SIG_SCRATCH): DecodedUserSig {
  const json = token.members
  const ver = json['TLS.ver']
  if (ver === '2.0') {
    const identifier = strField(json, 'TLS.identifier')
    const sdkAppId = intField(json, 'TLS.sdkappid', token.numberText)
    const time = intField(json, 'TLS.time', token.numberText)
    const expire = intField(json, 'TLS.expire', token.numberText)
    const signature = strField(json, 'TLS.sig')
    // Into the caller's buffer: bench:ab against a new array per token measured verify 1.142, verifier 1.158, decode 1.244.
    if (base64DecodeStrictInto(signature, sigOut) !== 32) badField('TLS.sig', 'must be standard padded base64 of 32 bytes (an HMAC-SHA256)')
    let userBuf: Uint8Array | null = null
    if (has(json, 'TLS.userbuf')) {
      const ub = strField(json, 'TLS.userbuf')
      userBuf = base64DecodeStrict(ub)
      if (!userBuf) badField('TLS.userbuf', 'must be standard padded base64')
    }
    return {
      version: 'v2', userId: identifier, sdkAppId, issuedAt: time, expiresIn: expire, expiresAt: time + expire, identifier, time, expire, userBuf,
      privateMapKey: userBuf ? decodePrivateMapKeyUserBuf(userBuf) : null,
      signature, fields: json, warnings,
    }
  }
  if (ver === undefined && (has(json, 'TLS.sdk_appid') || has(json, 'TLS.expire_after') || has(json, 'TLS.account_type'))) {
    const identifier = strField(json, 'TLS.identifier')
    // The official C++ v1 signer writes sdkappid >= 2^31 as a negative %d: decode it, verification then reports the
    // mismatch (SDKAPPID_MISMATCH) rather than a parse failure.
    const sdkAppId = decimalField(json, 'TLS.sdk_appid', true)
    const time = decimalField(json, 'TLS.time')
    const expire = decimalField(json, 'TLS.expire_after')
    const accountType = strField(json, 'TLS.account_type')
    const appidAt3rd = has(json, 'TLS.appid_at_3rd') ? strField(json, 'TLS.appid_at_3rd') : null
    // The signed content is one "name:value" line per field: a value holding a line break could pose as another line.
    for (const [name, v] of [['TLS.identifier', identifier], ['TLS.account_type', accountType], ['TLS.appid_at_3rd', appidAt3rd]] as const) {
      if (v !== null && v.includes('\n')) badField(name, 'contains a line break, which a legacy UserSig cannot sign unambiguously')
    }
    const signature = strField(json, 'TLS.sig')
    if (!base64DecodeIgnoringNewlines(signature)) badField('TLS.sig', 'must be standard base64 (a DER ECDSA signature)')
    let userBuf: Uint8Array | null = null
    if (has(json, 'TLS.userbuf')) {
      userBuf = base64DecodeIgnoringNewlines(strField(json, 'TLS.userbuf'))
      if (!userBuf) badField('TLS.userbuf', 'must be standard base64')
    }
    const version = has(json, 'TLS.version') && typeof json['TLS.version'] === 'string' ? (json['TLS.version'] as string) : null
    return {
      version: 'v1', userId: identifier, sdkAppId, issuedAt: time, expiresIn: expire, expiresAt: time + expire, identifier, time, expire, userBuf,
      privateMapKey: userBuf ? decodePrivateMapKeyUserBuf(userBuf) : null,
      signature, fields: json, legacy: { accountType, appidAt3rd, version }, warnings,
    }
  }
  if (ver === undefined) badField('TLS.ver', 'is missing (and the v1 fields are absent too)')
  return badField('TLS.ver', `must be "2.0", got ${JSON.stringify(ver)?.slice(0, 24)}`)
}

/**
 * Decodes a UserSig or PrivateMapKey into its fields WITHOUT verifying it. Throws UserSigError (code MALFORMED, with
 * a `stage`) for anything that is not a well-formed token.
 * @example decodeUserSig(userSig).userId // 'alice'
 */
export function decodeUserSig(token: string, options?: DecodeOptions): DecodedUserSig {
  const cap = capOf(options)
  try {
    const warnings: Warning[] = []
    return readFields(openEnvelope(token, cap, warnings), warnings)
  } catch (e) {
    if (e instanceof UserSigError) throw e
    rethrowBug(e)
    // Defence in depth: nothing else may escape for any input string.
    throw malformed('json', 'the UserSig could not be decoded')
  }
}

/**
 * A ReferenceError or TypeError is a bug here or a host without something this needs, not a bad token: it is thrown
 * as it is, never reported as MALFORMED (which would call a valid token invalid and hide the cause).
 */
export function rethrowBug(e: unknown): void {
  if (e instanceof ReferenceError || e instanceof TypeError) throw e
}

export function capOf(options: { maxDecompressedBytes?: number | undefined } | undefined): number {
  const cap = options?.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES
  if (typeof cap !== 'number' || !Number.isInteger(cap) || cap < 64 || cap > 16 * 1024 * 1024) {
    throw new TypeError('maxDecompressedBytes must be an integer from 64 to 16777216')
  }
  return cap
}
