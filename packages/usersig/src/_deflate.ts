/**
 * zlib (RFC 1950) compression with one final fixed-Huffman block (RFC 1951 §3.2.6): the bit writer and the fixed
 * code's tables, shared by the general compressor below (legacy signer, tests) and the token writer (_payload.ts).
 * The compressor's hash table is module-level and reused (everything is synchronous and never re-entered); results
 * are returned, output buffers belong to the caller.
 */
import { adler32Range, DBASE, DEXT, LBASE, LEXT, reverseBits } from './_zlib.js'

const HASH_BITS = 14
let HEAD: Int32Array | undefined // bucket -> generation + position of the last 3-byte sequence with that hash (on first use)
// Positions are stored as `generation + position` so the table never needs clearing between calls: an entry is
// from the current call iff it is ≥ the current generation.
let generation = 1
let LIT_CODE: Uint16Array // reversed fixed code of literal/length symbol
let LIT_BITS: Uint8Array // its length
let LEN_CODE: Uint16Array // match length 3..258 -> reversed code with its extra bits appended
let LEN_BITS: Uint8Array // total bits of LEN_CODE
let DIST_CODE_LO: Uint8Array // distance-1 (< 256) -> distance code
let DIST_CODE_HI: Uint8Array // (distance-1) >> 7 (distance > 256) -> distance code
let DIST_REV: Uint8Array // distance code -> reversed 5-bit fixed code
let deflateReady = false

function initDeflate(): void {
  LIT_CODE = new Uint16Array(288)
  LIT_BITS = new Uint8Array(288)
  for (let s = 0; s < 288; s++) {
    let code: number
    let bits: number
    if (s < 144) {
      code = 0x30 + s
      bits = 8
    } else if (s < 256) {
      code = 0x190 + s - 144
      bits = 9
    } else if (s < 280) {
      code = s - 256
      bits = 7
    } else {
      code = 0xc0 + s - 280
      bits = 8
    }
    LIT_CODE[s] = reverseBits(code, bits)
    LIT_BITS[s] = bits
  }
  LEN_CODE = new Uint16Array(259)
  LEN_BITS = new Uint8Array(259)
  for (let i = 0; i < 29; i++) {
    const s = 257 + i
    const first = LBASE[i]!
    const last = i === 28 ? 258 : i === 27 ? 257 : first + (1 << LEXT[i]!) - 1
    for (let len = first; len <= last; len++) {
      LEN_CODE[len] = LIT_CODE[s]! | ((len - first) << LIT_BITS[s]!)
      LEN_BITS[len] = LIT_BITS[s]! + LEXT[i]!
    }
  }
  // Length 258 must use symbol 285 (no extra bits), which the loop above wrote last.
  DIST_CODE_LO = new Uint8Array(256)
  DIST_CODE_HI = new Uint8Array(256)
  DIST_REV = new Uint8Array(30)
  for (let c = 0; c < 30; c++) {
    DIST_REV[c] = reverseBits(c, 5)
    const first = DBASE[c]!
    const last = first + (1 << DEXT[c]!) - 1
    for (let d = first; d <= last; d++) {
      if (d <= 256) DIST_CODE_LO[d - 1] = c
      else DIST_CODE_HI[(d - 1) >> 7] = c
    }
  }
  deflateReady = true
}

/** The fixed Huffman code's tables (RFC 1951 §3.2.6), for writers that emit their own codes (see _payload.ts). */
export interface FixedCodeTables {
  /** Reversed code and bit length of each literal/length symbol. */
  lit: Uint16Array
  litBits: Uint8Array
  /** Match length 3..258: reversed length code with its extra bits, and their bit count. */
  len: Uint16Array
  lenBits: Uint8Array
  /** Distance code of distance d: distLo[d - 1] for d <= 256, distHi[(d - 1) >> 7] above. */
  distLo: Uint8Array
  distHi: Uint8Array
  /** Per distance code: reversed 5-bit code, base distance and extra bit count. */
  distRev: Uint8Array
  distBase: Uint16Array
  distExtra: Uint8Array
}

let FIXED_CODES: FixedCodeTables | undefined

export function fixedCodeTables(): FixedCodeTables {
  if (FIXED_CODES) return FIXED_CODES
  if (!deflateReady) initDeflate()
  return FIXED_CODES = { lit: LIT_CODE, litBits: LIT_BITS, len: LEN_CODE, lenBits: LEN_BITS, distLo: DIST_CODE_LO, distHi: DIST_CODE_HI, distRev: DIST_REV, distBase: DBASE, distExtra: DEXT }
}


/**
 * Writes deflate codes least-significant bit first (RFC 1951 §3.1.1) into `out`, for both the general compressor below
 * and the token writer of _payload.ts. Fewer than 8 bits are pending between calls (every whole byte is written as
 * soon as it is complete), so `put` takes codes of up to 16 bits, and a writer that knows its codes are 8 bits (the
 * fixed code of any byte below 144) can write one output byte per code with the pending bits at a fixed shift (the
 * token writer does: see _payload.ts). The caller sizes `out` for the worst case (fixed codes are at most 9 bits per
 * input byte) and owns it.
 */
export class BitWriter {
  readonly out: Uint8Array
  /** Next byte to write. */
  o: number
  /** Pending bits (the low `bc`, fewer than 8) and their count. */
  bb: number
  bc: number

  /** Starts a zlib stream in `out`: header 78 9c, then the header of one final fixed-Huffman block. */
  constructor(out: Uint8Array) {
    this.out = out
    out[0] = 0x78
    out[1] = 0x9c
    this.o = 2
    this.bb = 3 // BFINAL = 1, BTYPE = 01 (fixed Huffman)
    this.bc = 3
  }

  /** Appends the low `n` (<= 16) bits of `code`. */
  put(code: number, n: number): void {
    let bb = this.bb | (code << this.bc)
    let bc = this.bc + n
    let o = this.o
    const out = this.out
    while (bc >= 8) {
      out[o++] = bb
      bb >>>= 8
      bc -= 8
    }
    this.o = o
    this.bb = bb
    this.bc = bc
  }

  /** Appends the fixed codes of a match: `len` (3..258) bytes repeating those at distance `dist` (1..32768). */
  match(t: FixedCodeTables, len: number, dist: number): void {
    this.put(t.len[len]!, t.lenBits[len]!)
    const c = dist <= 256 ? t.distLo[dist - 1]! : t.distHi[(dist - 1) >> 7]!
    this.put(t.distRev[c]!, 5)
    const e = t.distExtra[c]!
    if (e !== 0) this.put(dist - t.distBase[c]!, e)
  }

  /** Ends the block (symbol 256 is seven zero bits), pads to a byte and appends the Adler-32 `adler`; returns the length. */
  finish(adler: number): number {
    const q = this.out
    let o = this.o
    let bb = this.bb
    for (let bc = this.bc + 7; bc > 0; bc -= 8) {
      q[o++] = bb
      bb >>>= 8
    }
    return putU32BE(q, o, adler)
  }
}

/** Writes the low 32 bits of `v` big-endian to `out[o..o+4)` (the Adler-32 trailer); returns o + 4. */
function putU32BE(out: Uint8Array, o: number, v: number): number {
  out[o] = v >>> 24
  out[o + 1] = v >>> 16
  out[o + 2] = v >>> 8
  out[o + 3] = v
  return o + 4
}

/**
 * Compresses `data` into a zlib stream (header 78 9c, one final fixed-Huffman block, Adler-32). When that would be
 * larger than storing, stored blocks are emitted instead, so the output is at most the input plus a small overhead.
 * Greedy LZ77 with a one-entry-per-bucket hash of 3 bytes. Returns a fresh array owned by the caller.
 */
export function zlibCompress(data: Uint8Array): Uint8Array {
  const t = fixedCodeTables()
  const n = data.length
  // Fixed-code output is at most 9 bits per input byte (a match never costs more than its bytes as literals).
  const w = new BitWriter(new Uint8Array(2 + ((9 * n + 10 + 7) >> 3) + 4 + 4))
  const head = (HEAD ??= new Int32Array(1 << HASH_BITS))
  if (generation + n >= 0x7fffffff) {
    head.fill(0)
    generation = 1
  }
  const gen = generation
  generation = gen + n + 1
  const lit = t.lit
  const litBits = t.litBits
  const last = n - 3 // the last position that starts a 3-byte sequence
  const shift = 32 - HASH_BITS
  let i = 0
  // The next three bytes packed into 24 bits, rolled forward one byte per position.
  let v = n > 1 ? (data[0]! << 8) | data[1]! : 0
  while (i <= last) {
    v = ((v << 8) | data[i + 2]!) & 0xffffff
    const h = Math.imul(v, 0x9e3779b1) >>> shift
    const cand = head[h]! - gen
    head[h] = gen + i
    if (cand >= 0 && i - cand <= 32768 && ((data[cand]! << 16) | (data[cand + 1]! << 8) | data[cand + 2]!) === v) {
      const maxLen = Math.min(258, n - i)
      let m = 3
      while (m < maxLen && data[cand + m] === data[i + m]) m++
      w.match(t, m, i - cand)
      // Index the positions inside the match too, so later repeats of them are found.
      const end = Math.min(i + m, last + 1)
      for (let j = i + 1; j < end; j++) {
        head[Math.imul((data[j]! << 16) | (data[j + 1]! << 8) | data[j + 2]!, 0x9e3779b1) >>> shift] = gen + j
      }
      i += m
      v = i <= last ? (data[i]! << 8) | data[i + 1]! : 0
    } else {
      w.put(lit[data[i]!]!, litBits[data[i]!]!)
      i++
    }
  }
  for (; i < n; i++) w.put(lit[data[i]!]!, litBits[data[i]!]!)
  const blocks = n === 0 ? 1 : Math.ceil(n / 65535)
  // Pending bits plus the end-of-block code: compare the finished size with storing.
  if (w.o + ((w.bc + 7 + 7) >> 3) > 2 + n + 5 * blocks) return storedStream(data, blocks)
  const end = w.finish(adler32Range(data, 0, n))
  return w.out.length === end ? w.out : w.out.slice(0, end)
}

/** The input as stored blocks of at most 65535 bytes (for incompressible data). */
function storedStream(data: Uint8Array, blocks: number): Uint8Array {
  const n = data.length
  const out = new Uint8Array(2 + n + 5 * blocks + 4)
  out[0] = 0x78
  out[1] = 0x01
  let o = 2
  for (let b = 0, p = 0; b < blocks; b++) {
    const size = Math.min(65535, n - p)
    out[o] = b === blocks - 1 ? 1 : 0
    out[o + 1] = size
    out[o + 2] = size >>> 8
    out[o + 3] = ~size
    out[o + 4] = ~size >>> 8
    out.set(data.subarray(p, p + size), o + 5)
    o += 5 + size
    p += size
  }
  putU32BE(out, o, adler32Range(data, 0, n))
  return out
}
