/**
 * Base64 codecs: the standard alphabet (RFC 4648 §4, padded) used inside the JSON, and Tencent's variant used for the
 * whole token, in which '+' is '*', '/' is '-' and '=' is '_' (not RFC base64url: see FORMAT.md §2.1).
 */
import { malformed } from './errors.js'

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const TENCENT = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-'

function encodeWith(bytes: Uint8Array, alphabet: string, pad: string): string {
  let out = ''
  const n = bytes.length
  const full = n - (n % 3)
  let i = 0
  for (; i < full; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out += alphabet[v >>> 18]! + alphabet[(v >>> 12) & 63]! + alphabet[(v >>> 6) & 63]! + alphabet[v & 63]!
  }
  if (n - full === 1) {
    const v = bytes[i]! << 16
    out += alphabet[v >>> 18]! + alphabet[(v >>> 12) & 63]! + pad + pad
  } else if (n - full === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8)
    out += alphabet[v >>> 18]! + alphabet[(v >>> 12) & 63]! + alphabet[(v >>> 6) & 63]! + pad
  }
  return out
}

/** Standard base64 with '=' padding. */
export function base64Encode(bytes: Uint8Array): string {
  return encodeWith(bytes, STD, '=')
}

/** Tencent's token base64: standard with '+/=' replaced by '*-_'. */
export function tencentBase64Encode(bytes: Uint8Array): string {
  return encodeWith(bytes, TENCENT, '_')
}

// Decode table: -1 invalid, 0..63 value, 64 padding, 65 whitespace.
let TABLE: Int8Array | undefined
function table(): Int8Array {
  if (TABLE) return TABLE
  const t = new Int8Array(128).fill(-1)
  for (let i = 0; i < 64; i++) t[STD.charCodeAt(i)] = i
  t[42] = 62 // '*'
  t[45] = 63 // '-'
  t[61] = 64 // '='
  t[95] = 64 // '_'
  t[32] = 65
  t[9] = 65
  t[10] = 65
  t[13] = 65
  TABLE = t
  return t
}

export interface LenientDecodeResult {
  bytes: Uint8Array
  /** The input lacked its trailing padding (official Go and C++ verifiers reject that). */
  missingPadding: boolean
  /** The input contained ASCII whitespace, which was ignored. */
  hadWhitespace: boolean
  /** The input used the standard alphabet ('+', '/', '=') instead of Tencent's. */
  standardAlphabet: boolean
}

/**
 * Decodes a token's outer base64 per VERIFY.md §3 step 1: ASCII whitespace ignored, Tencent and standard alphabets
 * both accepted, missing padding tolerated. Anything else fails with MALFORMED stage "base64".
 */
export function tencentBase64Decode(input: string): LenientDecodeResult {
  const t = table()
  const len = input.length
  const out = new Uint8Array(((len + 3) >>> 2) * 3)
  let acc = 0
  let bits = 0
  let o = 0
  let pads = 0
  let sextets = 0
  let hadWhitespace = false
  let standardAlphabet = false
  for (let i = 0; i < len; i++) {
    const c = input.charCodeAt(i)
    const v = c < 128 ? t[c]! : -1
    if (v < 0) {
      throw malformed('base64', `character ${describeChar(c)} at position ${i} is not in the UserSig alphabet`,
        'a UserSig uses A-Z a-z 0-9 and * - _ ; it may have been altered or is not a UserSig')
    }
    if (v === 65) { hadWhitespace = true; continue }
    if (c === 43 || c === 47 || c === 61) standardAlphabet = true
    if (v === 64) { pads++; continue }
    if (pads > 0) throw malformed('base64', `data continues after padding at position ${i}`)
    sextets++
    acc = (acc << 6) | v
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = (acc >>> bits) & 0xff
    }
  }
  const rem = sextets & 3
  if (rem === 1) throw malformed('base64', 'base64 length is impossible (one character too many or too few)', 'the token was probably cut off')
  if (pads > 2) throw malformed('base64', 'too much base64 padding')
  const expectedPads = rem === 0 ? 0 : 4 - rem
  if (pads !== 0 && pads !== expectedPads) throw malformed('base64', 'base64 padding does not match the data length')
  if (sextets === 0) throw malformed('base64', 'the UserSig is empty', 'pass the UserSig string (error 70002: UserSig length is 0)')
  return { bytes: out.subarray(0, o), missingPadding: pads < expectedPads, hadWhitespace, standardAlphabet }
}

function describeChar(c: number): string {
  if (c >= 0x21 && c <= 0x7e) return `'${String.fromCharCode(c)}'`
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`
}

/**
 * Decodes strict standard base64 (the JSON's TLS.sig and TLS.userbuf). Padding is required; returns null on any
 * deviation so callers can report the field.
 */
export function base64DecodeStrict(input: string): Uint8Array | null {
  const len = input.length
  if (len % 4 !== 0) return null
  const t = table()
  const out = new Uint8Array((len >>> 2) * 3)
  let o = 0
  let pads = 0
  for (let i = 0; i < len; i += 4) {
    let v = 0
    for (let j = 0; j < 4; j++) {
      const c = input.charCodeAt(i + j)
      // standard alphabet only: reject '*', '-', '_' and whitespace here
      if (c === 42 || c === 45 || c === 95) return null
      const d = c < 128 ? t[c]! : -1
      if (d < 0 || d === 65) return null
      if (d === 64) {
        if (i + 4 !== len || j < 2) return null
        pads++
        v <<= 6
        continue
      }
      if (pads > 0) return null
      v = (v << 6) | d
    }
    out[o++] = (v >>> 16) & 0xff
    if (pads < 2) out[o++] = (v >>> 8) & 0xff
    if (pads < 1) out[o++] = v & 0xff
  }
  return out.subarray(0, o)
}

/** Like base64DecodeStrict but ignores CR and LF (legacy server-issued signatures are MIME-wrapped). */
export function base64DecodeIgnoringNewlines(input: string): Uint8Array | null {
  return base64DecodeStrict(input.replace(/[\r\n]/g, ''))
}

/** Standard base64 decode that throws (for callers that have already validated). */
export function base64Decode(input: string): Uint8Array {
  const r = base64DecodeStrict(input)
  if (!r) throw malformed('fields', 'invalid base64')
  return r
}
