/**
 * Reads a token's JSON: the layout the official Node signer and usersig's own signer write (see _layout.ts) as a
 * template, anything else with the strict reader (_json.ts). Matching the template (constant text compared, values
 * scanned, the object built as a literal) skips the key scanning, key matching, duplicate checks and keyed stores of
 * the general reader. It earns its lines: with the template off, `npm run bench:ab` (15 interleaved rounds) measured
 * decode at 0.94 and verify at 0.97 of the speed with it. Both give the same result (test/fastpaths.test.ts).
 */
import { asciiString } from './_ascii.js'
import { readJsonObject, type JsonObject, type TokenJson } from './_json.js'
import { EXPIRE, HEAD, SDKAPPID, SIG, TIME, USERBUF } from './_layout.js'
import { utf8Decode } from './_utf8.js'

/**
 * Reads `b[0..length)` as a token's JSON object. Throws JsonError when it is not one. (The layout reader never calls
 * JSON.parse and the strict reader always does: that is how the tests see which one took an input.)
 */
export function readTokenJson(b: Uint8Array, length: number): TokenJson {
  const members = readNodeLayout(b, length)
  return members !== null ? { members, numberText: null } : readJsonObject(b, length)
}

/** b[i..) starts with `lit`. */
function startsWith(b: Uint8Array, i: number, n: number, lit: Uint8Array): boolean {
  if (i + lit.length > n) return false
  for (let k = 0; k < lit.length; k++) if (b[i + k] !== lit[k]) return false
  return true
}

/** Added to stringEnd's result when the string has a byte above 0x7F (payloads are far shorter than 2^30 bytes). */
const NON_ASCII = 1 << 30
/** Masks NON_ASCII off stringEnd's result: the index of the closing quote. */
const QUOTE = NON_ASCII - 1

/**
 * The closing quote of the string value starting at b[i] (after its quote), plus NON_ASCII when a byte above 0x7F was
 * seen, or -1 when it has escapes or controls. One scan: text() then needs no second pass to choose its decoder.
 */
function stringEnd(b: Uint8Array, i: number, n: number): number {
  let high = 0
  while (i < n) {
    const d = b[i]!
    if (d === 34) return i | high
    if (d < 0x20 || d === 92) return -1
    if (d > 0x7f) high = NON_ASCII
    i++
  }
  return -1
}

/** The text of b[start..end & QUOTE) for stringEnd's result `end`, or null when it is not valid UTF-8. */
function text(b: Uint8Array, start: number, end: number): string | null {
  return end >= NON_ASCII ? utf8Decode(b, start, end & QUOTE) : asciiString(b, start, end)
}

/**
 * TLS.sig as text when it has the 44 characters of every v2 signature (base64 of an HMAC-SHA256): String.fromCharCode
 * with the bytes as its arguments makes the string in one step, with no array and no TextDecoder call. Measured in
 * interleaved rounds over the bench:ab tokens, against asciiString (44 characters: ~80 ns against ~120-160 ns): this
 * reader 1.3-1.5x as fast, decodeUserSig about 4% and createVerifier().verify about 3% faster.
 */
function sigText(b: Uint8Array, i: number): string {
  return String.fromCharCode(
    b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!,
    b[i + 10]!, b[i + 11]!, b[i + 12]!, b[i + 13]!, b[i + 14]!, b[i + 15]!, b[i + 16]!, b[i + 17]!, b[i + 18]!,
    b[i + 19]!, b[i + 20]!, b[i + 21]!, b[i + 22]!, b[i + 23]!, b[i + 24]!, b[i + 25]!, b[i + 26]!, b[i + 27]!,
    b[i + 28]!, b[i + 29]!, b[i + 30]!, b[i + 31]!, b[i + 32]!, b[i + 33]!, b[i + 34]!, b[i + 35]!, b[i + 36]!,
    b[i + 37]!, b[i + 38]!, b[i + 39]!, b[i + 40]!, b[i + 41]!, b[i + 42]!, b[i + 43]!,
  )
}

/** The end of the digits starting at b[i] when they are a plain integer of up to 15 digits, or -1. */
function digitsEnd(b: Uint8Array, i: number, n: number): number {
  const start = i
  const c = i < n ? b[i]! : 0
  if (c < 48 || c > 57) return -1
  if (c === 48) i++
  else while (i < n && b[i]! >= 48 && b[i]! <= 57) i++
  if (i - start > 15) return -1
  const d = i < n ? b[i]! : 0
  return d === 46 || d === 101 || d === 69 || (d >= 48 && d <= 57) ? -1 : i
}

function digits(b: Uint8Array, start: number, end: number): number {
  let v = 0
  for (let k = start; k < end; k++) v = v * 10 + (b[k]! - 48)
  return v
}

/** The Node layout, or null (then the general reader decides). */
function readNodeLayout(b: Uint8Array, n: number): JsonObject | null {
  if (!startsWith(b, 0, n, HEAD) || b[HEAD.length] !== 34) return null
  let at = HEAD.length + 1
  let end = stringEnd(b, at, n)
  if (end < 0) return null
  const identifier = text(b, at, end)
  end &= QUOTE
  if (identifier === null || !startsWith(b, end + 1, n, SDKAPPID)) return null
  at = end + 1 + SDKAPPID.length
  end = digitsEnd(b, at, n)
  if (end < 0 || !startsWith(b, end, n, TIME)) return null
  const sdkAppId = digits(b, at, end)
  at = end + TIME.length
  end = digitsEnd(b, at, n)
  if (end < 0 || !startsWith(b, end, n, EXPIRE)) return null
  const time = digits(b, at, end)
  at = end + EXPIRE.length
  end = digitsEnd(b, at, n)
  if (end < 0) return null
  const expire = digits(b, at, end)
  let userBuf: string | null = null
  if (startsWith(b, end, n, USERBUF)) {
    at = end + USERBUF.length
    end = stringEnd(b, at, n)
    if (end < 0) return null
    userBuf = text(b, at, end)
    end &= QUOTE
    if (userBuf === null || !startsWith(b, end + 1, n, SIG)) return null
    end++
  }
  if (!startsWith(b, end, n, SIG)) return null
  at = end + SIG.length
  end = stringEnd(b, at, n)
  if (end < 0 || (end & QUOTE) + 2 !== n || b[(end & QUOTE) + 1] !== 125) return null
  const sig = end - at === 44 ? sigText(b, at) : text(b, at, end)
  if (sig === null) return null
  return userBuf === null
    ? { 'TLS.ver': '2.0', 'TLS.identifier': identifier, 'TLS.sdkappid': sdkAppId, 'TLS.time': time, 'TLS.expire': expire, 'TLS.sig': sig }
    : { 'TLS.ver': '2.0', 'TLS.identifier': identifier, 'TLS.sdkappid': sdkAppId, 'TLS.time': time, 'TLS.expire': expire, 'TLS.userbuf': userBuf, 'TLS.sig': sig }
}
