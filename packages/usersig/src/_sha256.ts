/**
 * SHA-256 and HMAC-SHA256 (FIPS 180-4, RFC 2104) in plain ECMAScript.
 *
 * Written for the UserSig hot path: a v2 sig is one HMAC over ~90 bytes with the same key every time, so the key's
 * padded inner/outer blocks are compressed once (HmacSha256Key) and every later MAC costs only the message blocks plus
 * one outer block. All scratch state is module-level and reused: the functions are synchronous and never re-entered,
 * so sharing is safe and nothing is allocated per call except the returned digest.
 */

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

// Shared scratch: the message schedule (W[0..15] is the block being compressed) and the running state.
const W = new Int32Array(64)
const H = new Int32Array(8)
// An HMAC's outer midstate while the inner hash runs, for a key object built without precomputing.
const OUTER = new Int32Array(8)

/**
 * One SHA-256 compression of the 16 words in W[0..15] into `h`. The schedule is expanded first in its own loop, so the
 * round loop has no branch and reads one schedule word per round. Against the 16-word in-place schedule with a branch
 * per round: 10% less time per block alone; bench:ab (21 rounds, its noise here ±3%) 1.02 on userSig and verify, 1.00
 * on verifier; same size. A fully unrolled compression takes another 30% off a block but costs 1.2 KB gzip, past the
 * core's size budget.
 */
function compress(h: Int32Array): void {
  const w = W
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!
    const y = w[i - 2]!
    w[i] = (w[i - 16]! + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) + w[i - 7]! + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10))) | 0
  }
  let a = h[0]!
  let b = h[1]!
  let c = h[2]!
  let d = h[3]!
  let e = h[4]!
  let f = h[5]!
  let g = h[6]!
  let hh = h[7]!
  for (let i = 0; i < 64; i++) {
    const t1 = (hh + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + K[i]! + w[i]!) | 0
    const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0
    hh = g
    g = f
    f = e
    e = (d + t1) | 0
    d = c
    c = b
    b = a
    a = (t1 + t2) | 0
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

/**
 * Loads `data[o..end)` (at most 64 bytes) big-endian into W[0..15]: the byte `marker` right after the data, zeros
 * after it, every word XORed with `xor`. One loader for whole blocks, the padded last block and HMAC's padded key
 * blocks, so no byte is copied into a padding buffer first.
 */
function load(data: Uint8Array, o: number, end: number, xor: number, marker: number): void {
  const w = W
  for (let i = 0; i < 16; i++, o += 4) {
    let v = 0
    if (o + 4 <= end) v = (data[o]! << 24) | (data[o + 1]! << 16) | (data[o + 2]! << 8) | data[o + 3]!
    else for (let j = o; j < o + 4; j++) v = (v << 8) | (j < end ? data[j]! : j === end ? marker : 0)
    w[i] = v ^ xor
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
    load(data, o, o + 64, 0, 0)
    compress(h)
  }
  load(data, full, n, 0, 0x80)
  if (n - full >= 56) {
    // No room for the length: it goes in one more block of zeros.
    compress(h)
    W.fill(0, 0, 16)
  }
  // Bit length as a 64-bit big-endian number; split without 64-bit integers (messages > 512 MiB stay exact).
  const bytes = prefixLen + n
  W[14] = Math.floor(bytes / 0x20000000)
  W[15] = bytes * 8
  compress(h)
}

/**
 * Copies a state (8 words) from `src` to `dst`: a loop, not TypedArray set/fill, whose builtin calls cost ~10 ns more
 * each (three copies per MAC; bench:ab against set/fill: userSig, privateMapKey, verify, verifier 1.00–1.05).
 */
function copy(src: Int32Array, dst: Int32Array): void {
  for (let i = 0; i < 8; i++) dst[i] = src[i]!
}

/**
 * Writes the 8 state words big-endian to `out[offset..offset+32)`. Written out rather than through the shared writer
 * (putU32BE, _deflate.ts): bench:ab of store through it measured verify at 0.970 and 0.977 (two runs, 9 and 15
 * rounds), userSig 1.00–1.05, verifier 1.01–1.02.
 */
function store(h: Int32Array, out: Uint8Array, offset: number): void {
  for (let i = 0; i < 8; i++, offset += 4) {
    const v = h[i]!
    out[offset] = v >>> 24
    out[offset + 1] = v >>> 16
    out[offset + 2] = v >>> 8
    out[offset + 3] = v
  }
}

/** SHA-256 of `data`: a fresh 32-byte digest. */
export function sha256(data: Uint8Array): Uint8Array {
  copy(IV, H)
  update(H, data, 0)
  const out = new Uint8Array(32)
  store(H, out, 0)
  return out
}

/** Compresses the block `key XOR pad` (pad repeated in every byte; key at most 64 bytes) from IV into `h`: an HMAC midstate. */
function padMidstate(key: Uint8Array, pad: number, h: Int32Array): void {
  copy(IV, h)
  load(key, 0, key.length, pad, 0)
  compress(h)
}

const IPAD = 0x36363636
const OPAD = 0x5c5c5c5c

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
   * Precomputes both midstates (`precompute`, the default: for a key that signs or verifies many messages; the key
   * array may change afterwards). With `precompute` false nothing is kept but the key, and every MAC compresses the
   * padded key blocks again from it, so a key of at most 64 bytes must not change meanwhile: for a key used for one
   * MAC (a one-shot verification), where midstates to keep would only cost allocations (bench:ab verify 1.04 against
   * precomputing). Each kind has its own closure: one closure with a branch measured verify 0.97.
   */
  constructor(key: Uint8Array, precompute: boolean = true) {
    // Keys longer than the 64-byte block are hashed first (RFC 2104 §2).
    if (key.length > 64) key = sha256(key)
    if (!precompute) {
      this.macInto = (data, out, offset) => {
        fits(out, offset)
        padMidstate(key, OPAD, OUTER)
        // The inner midstate is made in H itself: hmac's copy of it into H is then a copy onto itself.
        padMidstate(key, IPAD, H)
        hmac(H, data, OUTER, out, offset)
      }
      return
    }
    const inner = new Int32Array(8)
    const outer = new Int32Array(8)
    padMidstate(key, IPAD, inner)
    padMidstate(key, OPAD, outer)
    this.macInto = (data, out, offset) => {
      fits(out, offset)
      hmac(inner, data, outer, out, offset)
    }
  }

  /** HMAC-SHA256 of `data` as a fresh 32-byte array. */
  mac(data: Uint8Array): Uint8Array {
    const out = new Uint8Array(32)
    this.macInto(data, out, 0)
    return out
  }
}

function fits(out: Uint8Array, offset: number): void {
  if (offset < 0 || offset + 32 > out.length) throw new RangeError('macInto: output does not fit')
}

/**
 * HMAC-SHA256 of `data` from the midstates `inner` and `outer`, written to `out[offset..offset+32)`: the inner hash
 * runs in H from a copy of `inner` (which may be H itself), then the outer hash from a copy of `outer` (left unchanged).
 */
function hmac(inner: Int32Array, data: Uint8Array, outer: Int32Array, out: Uint8Array, offset: number): void {
  const h = H
  copy(inner, h)
  update(h, data, 64)
  // Outer hash: the 32-byte inner digest is already a word sequence, so build its single padded block directly in
  // W (digest, 0x80 marker, zeros, bit length 96*8) instead of going through bytes.
  const w = W
  for (let i = 0; i < 8; i++) {
    w[i] = h[i]!
    w[i + 8] = 0
  }
  w[8] = 0x80000000 | 0
  w[15] = 768
  copy(outer, h)
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
