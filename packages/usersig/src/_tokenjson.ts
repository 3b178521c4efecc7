/**
 * Fast reader for the flat JSON object a UserSig carries: string and integer members only, straight from the
 * decompressed bytes (no UTF-8 decode of the whole text, no general parser). Anything else — escapes in keys, nested
 * values, fractions, duplicate keys, bad UTF-8 — returns null, and the caller falls back to the strict general parser,
 * which gives the precise error. Measured: ~4x faster than utf8Decode + parseJsonStrict on 190-byte payloads.
 */
import { utf8Decode } from './_utf8.js'
import { asciiBytes, asciiString } from './_ascii.js'
import { EXPIRE, HEAD, SDKAPPID, SIG, TIME, USERBUF } from './_layout.js'
import type { JsonObject } from './_json.js'

const ascii = asciiString

// The member names real tokens use, matched by bytes so that no key string is built for them.
const KNOWN = ['TLS.ver', 'TLS.identifier', 'TLS.sdkappid', 'TLS.time', 'TLS.expire', 'TLS.userbuf', 'TLS.sig',
  'TLS.account_type', 'TLS.appid_at_3rd', 'TLS.sdk_appid', 'TLS.expire_after', 'TLS.version']
const KNOWN_BYTES = KNOWN.map(asciiBytes)

function keyString(b: Uint8Array, start: number, end: number): string {
  const len = end - start
  outer: for (let k = 0; k < KNOWN_BYTES.length; k++) {
    const kb = KNOWN_BYTES[k]!
    if (kb.length !== len) continue
    for (let j = len - 1; j >= 0; j--) if (kb[j] !== b[start + j]) continue outer
    return KNOWN[k]!
  }
  return ascii(b, start, end)
}

function skipWs(b: Uint8Array, i: number, n: number): number {
  while (i < n) {
    const c = b[i]!
    if (c === 32 || c === 10 || c === 13 || c === 9) i++
    else break
  }
  return i
}

// ---------------------------------------------------------------------------------------------------------------
// The layout the official Node signer and usersig's own signer write (see _layout.ts). Matching it as a template
// (constant text compared, values scanned, the object built as a literal) skips the key scanning, key matching,
// duplicate checks and keyed stores of the general reader (measured: decodeUserSig of official Node tokens
// 4.05 → 3.62 µs). Anything else, including the other official signers' member orders, goes to the general reader;
// both give the same object (test/fastpaths.test.ts).

/** b[i..) starts with `lit`. */
function startsWith(b: Uint8Array, i: number, n: number, lit: Uint8Array): boolean {
  if (i + lit.length > n) return false
  for (let k = 0; k < lit.length; k++) if (b[i + k] !== lit[k]) return false
  return true
}

/** b[i] closes a string value and b[i+1..) starts with `lit`. */
function quoteThen(b: Uint8Array, i: number, n: number, lit: Uint8Array): boolean {
  return b[i] === 34 && startsWith(b, i + 1, n, lit)
}

// Where the last successful layoutString/layoutNumber call stopped (they return null / -1 when they fail).
let stop = 0

/** The string value starting at b[i] (after its quote), as the general reader reads it; `stop` is its closing quote. */
function layoutString(b: Uint8Array, i: number, n: number): string | null {
  const vs = i
  let high = false
  while (i < n) {
    const d = b[i]!
    if (d === 34) break
    if (d < 0x20 || d === 92) return null
    if (d > 0x7f) high = true
    i++
  }
  if (i >= n) return null
  stop = i
  return high ? utf8Decode(b, vs, i) : ascii(b, vs, i)
}

/** The integer starting at b[i], as the general reader reads it (-1 if it would not); `stop` is just after it. */
function layoutNumber(b: Uint8Array, i: number, n: number): number {
  const vs = i
  const c = b[i]
  if (c === undefined || c < 48 || c > 57) return -1
  if (c === 48) i++
  else while (i < n && b[i]! >= 48 && b[i]! <= 57) i++
  if (i - vs > 15) return -1
  const d = b[i]
  if (d === 46 || d === 101 || d === 69 || (d !== undefined && d >= 48 && d <= 57)) return -1
  let v = 0
  for (let k = vs; k < i; k++) v = v * 10 + (b[k]! - 48)
  stop = i
  return v
}

/** The Node layout above, or null (then the general reader decides). */
export function readNodeLayout(b: Uint8Array, n: number): JsonObject | null {
  if (!startsWith(b, 0, n, HEAD) || b[HEAD.length] !== 34) return null
  const identifier = layoutString(b, HEAD.length + 1, n)
  if (identifier === null || !quoteThen(b, stop, n, SDKAPPID)) return null
  const sdkAppId = layoutNumber(b, stop + 1 + SDKAPPID.length, n)
  if (sdkAppId < 0 || !startsWith(b, stop, n, TIME)) return null
  const time = layoutNumber(b, stop + TIME.length, n)
  if (time < 0 || !startsWith(b, stop, n, EXPIRE)) return null
  const expire = layoutNumber(b, stop + EXPIRE.length, n)
  if (expire < 0) return null
  let userBuf: string | null = null
  if (startsWith(b, stop, n, USERBUF)) {
    userBuf = layoutString(b, stop + USERBUF.length, n)
    if (userBuf === null || !quoteThen(b, stop, n, SIG)) return null
    stop += 1 + SIG.length
  } else {
    if (!startsWith(b, stop, n, SIG)) return null
    stop += SIG.length
  }
  const sig = layoutString(b, stop, n)
  if (sig === null || stop + 2 !== n || b[stop + 1] !== 125) return null
  return userBuf === null
    ? { 'TLS.ver': '2.0', 'TLS.identifier': identifier, 'TLS.sdkappid': sdkAppId, 'TLS.time': time, 'TLS.expire': expire, 'TLS.sig': sig }
    : { 'TLS.ver': '2.0', 'TLS.identifier': identifier, 'TLS.sdkappid': sdkAppId, 'TLS.time': time, 'TLS.expire': expire, 'TLS.userbuf': userBuf, 'TLS.sig': sig }
}

export function readFlatObject(b: Uint8Array, length = b.length): JsonObject | null {
  return readNodeLayout(b, length) ?? readFlatMembers(b, length)
}

/** The general flat reader: any member order, whitespace, other names. */
export function readFlatMembers(b: Uint8Array, length = b.length): JsonObject | null {
  const n = length
  // `i` stays a local: a whitespace closure capturing it would keep it in a heap context, read and written there on
  // every step.
  let i = skipWs(b, 0, n)
  if (b[i] !== 123) return null
  i++
  // A plain object (the general parser uses null-prototype objects); "__proto__" sends the input to the general parser.
  const o: JsonObject = {}
  const keys: string[] = []
  i = skipWs(b, i, n)
  if (b[i] === 125) return skipWs(b, i + 1, n) === n ? o : null
  for (;;) {
    if (b[i]! <= 32) i = skipWs(b, i, n)
    if (b[i] !== 34) return null
    const ks = ++i
    while (i < n) { const c = b[i]!; if (c === 34) break; if (c < 0x20 || c > 0x7e || c === 92) return null; i++ }
    if (i >= n) return null
    const key = keyString(b, ks, i)
    if (key === '__proto__') return null
    i++
    for (let k = 0; k < keys.length; k++) if (keys[k] === key) return null
    keys.push(key)
    if (b[i]! <= 32) i = skipWs(b, i, n)
    if (b[i] !== 58) return null
    i++
    if (b[i]! <= 32) i = skipWs(b, i, n)
    const c = b[i]
    if (c === 34) {
      const vs = ++i
      let high = false
      while (i < n) { const d = b[i]!; if (d === 34) break; if (d < 0x20 || d === 92) return null; if (d > 0x7f) high = true; i++ }
      if (i >= n) return null
      let v: string | null
      if (high) { v = utf8Decode(b, vs, i); if (v === null) return null } else v = ascii(b, vs, i)
      o[key] = v
      i++
    } else if (c !== undefined && c >= 48 && c <= 57) {
      const vs = i
      if (c === 48) i++
      else while (i < n && b[i]! >= 48 && b[i]! <= 57) i++
      if (i - vs > 15) return null
      const d = b[i]
      if (d === 46 || d === 101 || d === 69 || (d !== undefined && d >= 48 && d <= 57)) return null
      let v = 0
      for (let k = vs; k < i; k++) v = v * 10 + (b[k]! - 48)
      o[key] = v
    } else return null
    if (b[i]! <= 32) i = skipWs(b, i, n)
    const e = b[i]
    if (e === 44) { i++; continue }
    if (e === 125) return skipWs(b, i + 1, n) === n ? o : null
    return null
  }
}
