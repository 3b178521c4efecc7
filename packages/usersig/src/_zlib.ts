/**
 * What the zlib inflater (_inflate.ts) and the compressors (_deflate.ts) share: the error, Adler-32 (RFC 1950 §9) and
 * the length and distance symbols of deflate (RFC 1951 §3.2.5).
 */

/** Why a zlib stream was rejected. */
type ZlibErrorReason = 'header' | 'truncated' | 'corrupt' | 'checksum' | 'too-large'

/** The only error zlibDecompress throws for bad input; `reason` is stable. */
export class ZlibError extends Error {
  override name = 'ZlibError'

  constructor(readonly reason: ZlibErrorReason) {
    super(`zlib stream: ${reason}`)
  }
}

/**
 * Adler-32 (RFC 1950 §9) of data[start..end), as an unsigned 32-bit number. Eight bytes per step (b gains 8a plus the
 * weighted bytes, a the plain sum), which shortens the dependency chain; sums are reduced every 2000 bytes so they
 * stay small integers (fast in V8).
 */
export function adler32Range(data: Uint8Array, start: number, end: number): number {
  let a = 1
  let b = 0
  let i = start
  while (i < end) {
    const stop = Math.min(i + 2000, end)
    for (const stop8 = stop - 7; i < stop8; i += 8) {
      const x0 = data[i]!
      const x1 = data[i + 1]!
      const x2 = data[i + 2]!
      const x3 = data[i + 3]!
      const x4 = data[i + 4]!
      const x5 = data[i + 5]!
      const x6 = data[i + 6]!
      const x7 = data[i + 7]!
      b += 8 * (a + x0) + 7 * x1 + 6 * x2 + 5 * x3 + 4 * x4 + 3 * x5 + 2 * x6 + x7
      a += x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7
    }
    for (; i < stop; i++) {
      a += data[i]!
      b += a
    }
    a %= 65521
    b %= 65521
  }
  return ((b << 16) | a) >>> 0
}

/** Base value and extra-bit count of length symbols 257..285 (index 0..28) and distance codes 0..29. */
export const LBASE: Uint16Array = new Uint16Array(29)
export const LEXT: Uint8Array = new Uint8Array(29)
export const DBASE: Uint16Array = new Uint16Array(30)
export const DEXT: Uint8Array = new Uint8Array(30)
for (let i = 0, l = 3, d = 1; i < 30; i++) {
  const le = i < 8 || i > 27 ? 0 : (i >> 2) - 1
  const de = i < 4 ? 0 : (i >> 1) - 1
  LEXT[i] = le
  LBASE[i] = l
  l += 1 << le
  DEXT[i] = de
  DBASE[i] = d
  d += 1 << de
}
// Symbol 285 is length 258 with no extra bits, not the 259 the pattern gives.
LBASE[28] = 258

/** The low `n` bits of `code` in reverse order (deflate sends Huffman codes most-significant bit first). */
export function reverseBits(code: number, n: number): number {
  let r = 0
  for (let k = 0; k < n; k++, code >>= 1) r = (r << 1) | (code & 1)
  return r
}
