/**
 * SHA-256 and HMAC-SHA256 (FIPS 180-4, RFC 2104) in plain ECMAScript.
 *
 * Written for the UserSig hot path: a v2 sig is one HMAC over ~90 bytes with the same key every time, so the key's
 * padded inner/outer blocks are compressed once (HmacSha256Key) and every later MAC costs only the message blocks plus
 * one outer block. All scratch state is module-level and reused: the functions are synchronous and never re-entered,
 * so sharing is safe and nothing is allocated per call except the returned digest.
 */

import { utf8Encode } from './_utf8.js'

// Round constants: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
])

// Initial hash value: the first 32 bits of the fractional parts of the square roots of the first 8 primes.
const IV = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
])

// Shared scratch: the message schedule, the running state and a two-block tail buffer for padding.
const W = new Int32Array(64)
const H = new Int32Array(8)
const TAIL = new Uint8Array(128)

/**
 * One SHA-256 compression of the 16 words already in W[0..15] into `h`.
 *
 * A fast path that earns its lines (bench:ab and the primitives bench: ~1.3x the rolled loop, and a one-shot
 * verifyUserSig runs seven compressions): the 16 schedule words live in locals w0..w15, not in an array, and 16
 * rounds are written out so that the eight working variables rotate by renaming instead of seven moves per round.
 * Round j of a group of 16 uses the names shifted by j; after each group the schedule is extended in place for the
 * next 16 rounds (FIPS 180-4 §6.2.2).
 */
function compress(h: Int32Array): void {
  const w = W
  let w0 = w[0]!, w1 = w[1]!, w2 = w[2]!, w3 = w[3]!, w4 = w[4]!, w5 = w[5]!, w6 = w[6]!, w7 = w[7]!
  let w8 = w[8]!, w9 = w[9]!, w10 = w[10]!, w11 = w[11]!, w12 = w[12]!, w13 = w[13]!, w14 = w[14]!, w15 = w[15]!
  let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!, e = h[4]!, f = h[5]!, g = h[6]!, hh = h[7]!
  let t = 0
  for (let i = 0; ; i += 16) {
    t = (hh + ((e >>> 6 | e << 26) ^ (e >>> 11 | e << 21) ^ (e >>> 25 | e << 7)) + (g ^ (e & (f ^ g))) + K[i + 0]! + w0) | 0
    d = (d + t) | 0
    hh = (t + ((a >>> 2 | a << 30) ^ (a >>> 13 | a << 19) ^ (a >>> 22 | a << 10)) + ((a & b) | (c & (a | b)))) | 0
    t = (g + ((d >>> 6 | d << 26) ^ (d >>> 11 | d << 21) ^ (d >>> 25 | d << 7)) + (f ^ (d & (e ^ f))) + K[i + 1]! + w1) | 0
    c = (c + t) | 0
    g = (t + ((hh >>> 2 | hh << 30) ^ (hh >>> 13 | hh << 19) ^ (hh >>> 22 | hh << 10)) + ((hh & a) | (b & (hh | a)))) | 0
    t = (f + ((c >>> 6 | c << 26) ^ (c >>> 11 | c << 21) ^ (c >>> 25 | c << 7)) + (e ^ (c & (d ^ e))) + K[i + 2]! + w2) | 0
    b = (b + t) | 0
    f = (t + ((g >>> 2 | g << 30) ^ (g >>> 13 | g << 19) ^ (g >>> 22 | g << 10)) + ((g & hh) | (a & (g | hh)))) | 0
    t = (e + ((b >>> 6 | b << 26) ^ (b >>> 11 | b << 21) ^ (b >>> 25 | b << 7)) + (d ^ (b & (c ^ d))) + K[i + 3]! + w3) | 0
    a = (a + t) | 0
    e = (t + ((f >>> 2 | f << 30) ^ (f >>> 13 | f << 19) ^ (f >>> 22 | f << 10)) + ((f & g) | (hh & (f | g)))) | 0
    t = (d + ((a >>> 6 | a << 26) ^ (a >>> 11 | a << 21) ^ (a >>> 25 | a << 7)) + (c ^ (a & (b ^ c))) + K[i + 4]! + w4) | 0
    hh = (hh + t) | 0
    d = (t + ((e >>> 2 | e << 30) ^ (e >>> 13 | e << 19) ^ (e >>> 22 | e << 10)) + ((e & f) | (g & (e | f)))) | 0
    t = (c + ((hh >>> 6 | hh << 26) ^ (hh >>> 11 | hh << 21) ^ (hh >>> 25 | hh << 7)) + (b ^ (hh & (a ^ b))) + K[i + 5]! + w5) | 0
    g = (g + t) | 0
    c = (t + ((d >>> 2 | d << 30) ^ (d >>> 13 | d << 19) ^ (d >>> 22 | d << 10)) + ((d & e) | (f & (d | e)))) | 0
    t = (b + ((g >>> 6 | g << 26) ^ (g >>> 11 | g << 21) ^ (g >>> 25 | g << 7)) + (a ^ (g & (hh ^ a))) + K[i + 6]! + w6) | 0
    f = (f + t) | 0
    b = (t + ((c >>> 2 | c << 30) ^ (c >>> 13 | c << 19) ^ (c >>> 22 | c << 10)) + ((c & d) | (e & (c | d)))) | 0
    t = (a + ((f >>> 6 | f << 26) ^ (f >>> 11 | f << 21) ^ (f >>> 25 | f << 7)) + (hh ^ (f & (g ^ hh))) + K[i + 7]! + w7) | 0
    e = (e + t) | 0
    a = (t + ((b >>> 2 | b << 30) ^ (b >>> 13 | b << 19) ^ (b >>> 22 | b << 10)) + ((b & c) | (d & (b | c)))) | 0
    t = (hh + ((e >>> 6 | e << 26) ^ (e >>> 11 | e << 21) ^ (e >>> 25 | e << 7)) + (g ^ (e & (f ^ g))) + K[i + 8]! + w8) | 0
    d = (d + t) | 0
    hh = (t + ((a >>> 2 | a << 30) ^ (a >>> 13 | a << 19) ^ (a >>> 22 | a << 10)) + ((a & b) | (c & (a | b)))) | 0
    t = (g + ((d >>> 6 | d << 26) ^ (d >>> 11 | d << 21) ^ (d >>> 25 | d << 7)) + (f ^ (d & (e ^ f))) + K[i + 9]! + w9) | 0
    c = (c + t) | 0
    g = (t + ((hh >>> 2 | hh << 30) ^ (hh >>> 13 | hh << 19) ^ (hh >>> 22 | hh << 10)) + ((hh & a) | (b & (hh | a)))) | 0
    t = (f + ((c >>> 6 | c << 26) ^ (c >>> 11 | c << 21) ^ (c >>> 25 | c << 7)) + (e ^ (c & (d ^ e))) + K[i + 10]! + w10) | 0
    b = (b + t) | 0
    f = (t + ((g >>> 2 | g << 30) ^ (g >>> 13 | g << 19) ^ (g >>> 22 | g << 10)) + ((g & hh) | (a & (g | hh)))) | 0
    t = (e + ((b >>> 6 | b << 26) ^ (b >>> 11 | b << 21) ^ (b >>> 25 | b << 7)) + (d ^ (b & (c ^ d))) + K[i + 11]! + w11) | 0
    a = (a + t) | 0
    e = (t + ((f >>> 2 | f << 30) ^ (f >>> 13 | f << 19) ^ (f >>> 22 | f << 10)) + ((f & g) | (hh & (f | g)))) | 0
    t = (d + ((a >>> 6 | a << 26) ^ (a >>> 11 | a << 21) ^ (a >>> 25 | a << 7)) + (c ^ (a & (b ^ c))) + K[i + 12]! + w12) | 0
    hh = (hh + t) | 0
    d = (t + ((e >>> 2 | e << 30) ^ (e >>> 13 | e << 19) ^ (e >>> 22 | e << 10)) + ((e & f) | (g & (e | f)))) | 0
    t = (c + ((hh >>> 6 | hh << 26) ^ (hh >>> 11 | hh << 21) ^ (hh >>> 25 | hh << 7)) + (b ^ (hh & (a ^ b))) + K[i + 13]! + w13) | 0
    g = (g + t) | 0
    c = (t + ((d >>> 2 | d << 30) ^ (d >>> 13 | d << 19) ^ (d >>> 22 | d << 10)) + ((d & e) | (f & (d | e)))) | 0
    t = (b + ((g >>> 6 | g << 26) ^ (g >>> 11 | g << 21) ^ (g >>> 25 | g << 7)) + (a ^ (g & (hh ^ a))) + K[i + 14]! + w14) | 0
    f = (f + t) | 0
    b = (t + ((c >>> 2 | c << 30) ^ (c >>> 13 | c << 19) ^ (c >>> 22 | c << 10)) + ((c & d) | (e & (c | d)))) | 0
    t = (a + ((f >>> 6 | f << 26) ^ (f >>> 11 | f << 21) ^ (f >>> 25 | f << 7)) + (hh ^ (f & (g ^ hh))) + K[i + 15]! + w15) | 0
    e = (e + t) | 0
    a = (t + ((b >>> 2 | b << 30) ^ (b >>> 13 | b << 19) ^ (b >>> 22 | b << 10)) + ((b & c) | (d & (b | c)))) | 0
    if (i === 48) break
    w0 = (w0 + ((w1 >>> 7 | w1 << 25) ^ (w1 >>> 18 | w1 << 14) ^ (w1 >>> 3)) + w9 + ((w14 >>> 17 | w14 << 15) ^ (w14 >>> 19 | w14 << 13) ^ (w14 >>> 10))) | 0
    w1 = (w1 + ((w2 >>> 7 | w2 << 25) ^ (w2 >>> 18 | w2 << 14) ^ (w2 >>> 3)) + w10 + ((w15 >>> 17 | w15 << 15) ^ (w15 >>> 19 | w15 << 13) ^ (w15 >>> 10))) | 0
    w2 = (w2 + ((w3 >>> 7 | w3 << 25) ^ (w3 >>> 18 | w3 << 14) ^ (w3 >>> 3)) + w11 + ((w0 >>> 17 | w0 << 15) ^ (w0 >>> 19 | w0 << 13) ^ (w0 >>> 10))) | 0
    w3 = (w3 + ((w4 >>> 7 | w4 << 25) ^ (w4 >>> 18 | w4 << 14) ^ (w4 >>> 3)) + w12 + ((w1 >>> 17 | w1 << 15) ^ (w1 >>> 19 | w1 << 13) ^ (w1 >>> 10))) | 0
    w4 = (w4 + ((w5 >>> 7 | w5 << 25) ^ (w5 >>> 18 | w5 << 14) ^ (w5 >>> 3)) + w13 + ((w2 >>> 17 | w2 << 15) ^ (w2 >>> 19 | w2 << 13) ^ (w2 >>> 10))) | 0
    w5 = (w5 + ((w6 >>> 7 | w6 << 25) ^ (w6 >>> 18 | w6 << 14) ^ (w6 >>> 3)) + w14 + ((w3 >>> 17 | w3 << 15) ^ (w3 >>> 19 | w3 << 13) ^ (w3 >>> 10))) | 0
    w6 = (w6 + ((w7 >>> 7 | w7 << 25) ^ (w7 >>> 18 | w7 << 14) ^ (w7 >>> 3)) + w15 + ((w4 >>> 17 | w4 << 15) ^ (w4 >>> 19 | w4 << 13) ^ (w4 >>> 10))) | 0
    w7 = (w7 + ((w8 >>> 7 | w8 << 25) ^ (w8 >>> 18 | w8 << 14) ^ (w8 >>> 3)) + w0 + ((w5 >>> 17 | w5 << 15) ^ (w5 >>> 19 | w5 << 13) ^ (w5 >>> 10))) | 0
    w8 = (w8 + ((w9 >>> 7 | w9 << 25) ^ (w9 >>> 18 | w9 << 14) ^ (w9 >>> 3)) + w1 + ((w6 >>> 17 | w6 << 15) ^ (w6 >>> 19 | w6 << 13) ^ (w6 >>> 10))) | 0
    w9 = (w9 + ((w10 >>> 7 | w10 << 25) ^ (w10 >>> 18 | w10 << 14) ^ (w10 >>> 3)) + w2 + ((w7 >>> 17 | w7 << 15) ^ (w7 >>> 19 | w7 << 13) ^ (w7 >>> 10))) | 0
    w10 = (w10 + ((w11 >>> 7 | w11 << 25) ^ (w11 >>> 18 | w11 << 14) ^ (w11 >>> 3)) + w3 + ((w8 >>> 17 | w8 << 15) ^ (w8 >>> 19 | w8 << 13) ^ (w8 >>> 10))) | 0
    w11 = (w11 + ((w12 >>> 7 | w12 << 25) ^ (w12 >>> 18 | w12 << 14) ^ (w12 >>> 3)) + w4 + ((w9 >>> 17 | w9 << 15) ^ (w9 >>> 19 | w9 << 13) ^ (w9 >>> 10))) | 0
    w12 = (w12 + ((w13 >>> 7 | w13 << 25) ^ (w13 >>> 18 | w13 << 14) ^ (w13 >>> 3)) + w5 + ((w10 >>> 17 | w10 << 15) ^ (w10 >>> 19 | w10 << 13) ^ (w10 >>> 10))) | 0
    w13 = (w13 + ((w14 >>> 7 | w14 << 25) ^ (w14 >>> 18 | w14 << 14) ^ (w14 >>> 3)) + w6 + ((w11 >>> 17 | w11 << 15) ^ (w11 >>> 19 | w11 << 13) ^ (w11 >>> 10))) | 0
    w14 = (w14 + ((w15 >>> 7 | w15 << 25) ^ (w15 >>> 18 | w15 << 14) ^ (w15 >>> 3)) + w7 + ((w12 >>> 17 | w12 << 15) ^ (w12 >>> 19 | w12 << 13) ^ (w12 >>> 10))) | 0
    w15 = (w15 + ((w0 >>> 7 | w0 << 25) ^ (w0 >>> 18 | w0 << 14) ^ (w0 >>> 3)) + w8 + ((w13 >>> 17 | w13 << 15) ^ (w13 >>> 19 | w13 << 13) ^ (w13 >>> 10))) | 0
  }
  h[0] = (h[0]! + a) | 0
  h[1] = (h[1]! + b) | 0
  h[2] = (h[2]! + c) | 0
  h[3] = (h[3]! + d) | 0
  h[4] = (h[4]! + e) | 0
  h[5] = (h[5]! + f) | 0
  h[6] = (h[6]! + g) | 0
  h[7] = (h[7]! + hh) | 0
}

/** Loads the 64-byte big-endian block at `data[o..]` into W[0..15]. */
function load(data: Uint8Array, o: number): void {
  const w = W
  for (let i = 0; i < 16; i++, o += 4) {
    w[i] = (data[o]! << 24) | (data[o + 1]! << 16) | (data[o + 2]! << 8) | data[o + 3]!
  }
}

/**
 * Hashes `data` into `h`, which already holds the state after `prefixLen` bytes (0, or 64 for an HMAC midstate),
 * including the final padding. The length field counts the prefix too.
 */
function update(h: Int32Array, data: Uint8Array, prefixLen: number): void {
  const n = data.length
  const full = n - (n & 63)
  for (let o = 0; o < full; o += 64) {
    load(data, o)
    compress(h)
  }
  const rem = n - full
  const tail = TAIL
  tail.fill(0)
  for (let i = 0; i < rem; i++) tail[i] = data[full + i]!
  finish(h, rem, prefixLen + n)
}

/** Loads 16 big-endian words from the ASCII string `s` at `o` into W[0..15]: its characters are its bytes. */
function loadAscii(s: string, o: number): void {
  for (let i = 0; i < 16; i++, o += 4) W[i] = (s.charCodeAt(o) << 24) | (s.charCodeAt(o + 1) << 16) | (s.charCodeAt(o + 2) << 8) | s.charCodeAt(o + 3)
}

/** As update from IV, for an ASCII string (read without copying it into bytes). */
function updateAscii(h: Int32Array, s: string): void {
  const n = s.length
  const full = n - (n & 63)
  for (let o = 0; o < full; o += 64) {
    loadAscii(s, o)
    compress(h)
  }
  const tail = TAIL
  tail.fill(0)
  for (let i = full; i < n; i++) tail[i - full] = s.charCodeAt(i)
  finish(h, n - full, n)
}

/**
 * The padding: TAIL[0..rem) holds the message's last partial block (the rest zero); `bytes` is the whole length,
 * prefix included.
 */
function finish(h: Int32Array, rem: number, bytes: number): void {
  const tail = TAIL
  tail[rem] = 0x80
  const end = rem < 56 ? 64 : 128
  // Bit length as a 64-bit big-endian number; split without 64-bit integers (messages > 512 MiB stay exact).
  const hi = Math.floor(bytes / 0x20000000)
  const lo = (bytes * 8) >>> 0
  tail[end - 8] = hi >>> 24
  tail[end - 7] = hi >>> 16
  tail[end - 6] = hi >>> 8
  tail[end - 5] = hi
  tail[end - 4] = lo >>> 24
  tail[end - 3] = lo >>> 16
  tail[end - 2] = lo >>> 8
  tail[end - 1] = lo
  load(tail, 0)
  compress(h)
  if (end === 128) {
    load(tail, 64)
    compress(h)
  }
}

/** Writes the 8 state words big-endian to `out[offset..offset+32)`. */
function store(h: Int32Array, out: Uint8Array, offset: number): void {
  for (let i = 0; i < 8; i++, offset += 4) {
    const v = h[i]!
    out[offset] = v >>> 24
    out[offset + 1] = v >>> 16
    out[offset + 2] = v >>> 8
    out[offset + 3] = v
  }
}

/** SHA-256 of `data`, or of a string's UTF-8 bytes (an ASCII string is read without a byte copy): a fresh digest. */
export function sha256(data: Uint8Array | string): Uint8Array {
  H.set(IV)
  if (typeof data !== 'string') update(H, data, 0)
  else if (isAscii(data)) updateAscii(H, data)
  else update(H, utf8Encode(data), 0)
  const out = new Uint8Array(32)
  store(H, out, 0)
  return out
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false
  return true
}

/**
 * Loads the 64-byte block `key XOR pad` (zero-padded) into W[0..15]. A string key is read as its UTF-8 bytes; when it
 * is ASCII and fits the block, its words are read straight from the string, without a byte copy (the one-shot
 * verifyUserSig prepares a key per call).
 */
function loadPadded(key: Uint8Array | string, pad: number): void {
  const p = pad * 0x01010101
  const n = key.length
  if (typeof key === 'string') {
    for (let i = 0, o = 0; i < 16; i++, o += 4) {
      const word = o + 3 < n
        ? (key.charCodeAt(o) << 24) | (key.charCodeAt(o + 1) << 16) | (key.charCodeAt(o + 2) << 8) | key.charCodeAt(o + 3)
        : ((o < n ? key.charCodeAt(o) : 0) << 24) | ((o + 1 < n ? key.charCodeAt(o + 1) : 0) << 16) | ((o + 2 < n ? key.charCodeAt(o + 2) : 0) << 8)
      W[i] = word ^ p
    }
    return
  }
  for (let i = 0, o = 0; i < 16; i++, o += 4) {
    W[i] = (((key[o] ?? 0) << 24) | ((key[o + 1] ?? 0) << 16) | ((key[o + 2] ?? 0) << 8) | (key[o + 3] ?? 0)) ^ p
  }
}

/** The HMAC midstate for one pad: one compression of `key XOR pad` from IV. */
function padMidstate(key: Uint8Array | string, pad: number): Int32Array {
  const state = new Int32Array(IV)
  loadPadded(key, pad)
  compress(state)
  return state
}

/**
 * An HMAC-SHA256 key with its inner and outer padded-key blocks already compressed, so the per-message cost is the
 * message's own blocks plus one block for the outer hash. Build it once per secret key and reuse it.
 */
export class HmacSha256Key {
  /**
   * HMAC-SHA256 of `data` written to `out[offset..offset+32)`, for callers that keep their own buffer. The midstates
   * live in this closure, not in fields: nothing on the object shows them, and unlike `#private` fields a closure
   * needs no WeakMap shim where the browser build targets ES2017 (the test-sig module's size budget).
   */
  declare readonly macInto: (data: Uint8Array, out: Uint8Array, offset: number) => void

  /**
   * Precomputes both midstates. A string key means its UTF-8 bytes. Keys longer than the 64-byte block are hashed
   * first (RFC 2104 §2).
   */
  constructor(key: Uint8Array | string) {
    let k = key
    if (typeof k === 'string' && (k.length > 64 || !isAscii(k))) k = utf8Encode(k)
    if (typeof k !== 'string' && k.length > 64) k = sha256(k)
    const inner = padMidstate(k, 0x36)
    const outer = padMidstate(k, 0x5c)
    this.macInto = (data, out, offset) => hmac(inner, outer, data, out, offset)
  }

  /** HMAC-SHA256 of `data` as a fresh 32-byte array. */
  mac(data: Uint8Array): Uint8Array {
    const out = new Uint8Array(32)
    this.macInto(data, out, 0)
    return out
  }
}

/** HMAC-SHA256 of `data` from the key's midstates, written to `out[offset..offset+32)`. */
function hmac(inner: Int32Array, outer: Int32Array, data: Uint8Array, out: Uint8Array, offset: number): void {
  if (offset < 0 || offset + 32 > out.length) throw new RangeError('macInto: output does not fit')
  const h = H
  h.set(inner)
  update(h, data, 64)
  // Outer hash: the 32-byte inner digest is already a word sequence, so build its single padded block directly in
  // W (digest, 0x80 marker, zeros, bit length 96*8) instead of going through bytes.
  const w = W
  for (let i = 0; i < 8; i++) w[i] = h[i]!
  w[8] = 0x80000000 | 0
  w[9] = 0
  w[10] = 0
  w[11] = 0
  w[12] = 0
  w[13] = 0
  w[14] = 0
  w[15] = 768
  h.set(outer)
  compress(h)
  store(h, out, offset)
}

/**
 * Compares two byte arrays in time that depends only on their length (which is public for MACs): every byte is
 * visited and differences are OR-accumulated, with no early exit.
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  const n = a.length
  if (n !== b.length) return false
  let diff = 0
  for (let i = 0; i < n; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}
