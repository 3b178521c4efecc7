/**
 * A strict, bounded zlib (RFC 1950) inflater in plain ECMAScript, tuned for short inputs: decode tables for the fixed
 * code are built once, dynamic tables use a small first-level lookup (longer codes fall back to a canonical bit-by-bit
 * decode), and the tables are module-level and reused (everything is synchronous and never re-entered). Results are
 * returned, never left in module state; output buffers belong to the caller.
 */
import { adler32Range, DBASE, DEXT, LBASE, LEXT, reverseBits, ZlibError } from './_zlib.js'

/**
 * A canonical Huffman code prepared for decoding. `table` is indexed by the next `bits` input bits (LSB first) and
 * holds `symbol << 4 | length` for codes no longer than `bits`, or 0 (a longer code, or no code: decodeSlow decides
 * from `count` and `bucket`).
 *
 * The code lengths come in as `count` (codes per length) and `bucket`: the symbols of length `len`, in increasing
 * order, at bucket[len * stride ...]. That is canonical order already, so building needs no sort pass, and the table
 * is filled one length at a time, with the same number of writes per code within a length (measured on the dynamic
 * blocks of Node-made tokens: the literal table build went from 0.48 to 0.27 µs against a sort by length followed by a
 * fill in symbol order).
 */
class Huffman {
  readonly table: Uint16Array
  bits = 0
  mask = 0
  readonly count = new Uint16Array(16)
  readonly stride: number
  readonly bucket: Uint16Array
  /** decodeSlow's canonical-walk state after the first `bits` lengths. */
  slowFirst = 0

  constructor(tableBits: number, symbols: number) {
    this.table = new Uint16Array(1 << tableBits)
    this.stride = symbols
    this.bucket = new Uint16Array(16 * symbols)
  }
}

/** Sets `h.count` and `h.bucket` from code lengths `lengths[off..off+n)` (0 = symbol unused). */
function bucketLengths(lengths: Uint8Array, off: number, n: number, h: Huffman): void {
  const count = h.count
  const bucket = h.bucket
  const stride = h.stride
  for (let k = 0; k < 16; k++) count[k] = 0
  for (let s = 0; s < n; s++) {
    const len = lengths[off + s]!
    if (len !== 0) bucket[len * stride + count[len]!++] = s
  }
}

/**
 * Builds `h` from the code lengths in `h.count` and `h.bucket` (see Huffman), with a first-level table of
 * at most `maxBits` bits. Over-subscribed codes are rejected. Incomplete codes are accepted only when
 * `allowIncomplete` and the code has at most one bit (a lone code, as zlib allows for a single distance or literal);
 * a missing code then fails at use.
 */
function buildHuffman(h: Huffman, maxBits: number, allowIncomplete: boolean): void {
  const count = h.count
  let left = 1
  let max = 0
  let used = 0
  for (let len = 1; len < 16; len++) {
    const c = count[len]!
    left = (left << 1) - c
    if (left < 0) throw new ZlibError('corrupt')
    if (c !== 0) max = len
    used += c
  }
  if (left > 0 && used !== 0 && !(allowIncomplete && max === 1)) {
    throw new ZlibError('corrupt')
  }
  if (used === 0 && !allowIncomplete) throw new ZlibError('corrupt')
  const bits = max === 0 ? 1 : Math.min(max, maxBits)
  const size = 1 << bits
  const table = h.table
  const bucket = h.bucket
  const stride = h.stride
  // A complete code writes every slot below, so clearing is only needed for incomplete codes (bench:ab against
  // clearing every time: decode 1.099, verify 0.996, verifier 1.001).
  if (left !== 0 || max > bits) table.fill(0, 0, size)
  // The canonical code, kept bit-reversed (the table is indexed LSB first): a code that grows by one bit keeps its
  // reversed value, and the next code of a length is its reversed value plus one counted from the top bit down. No
  // reversal per code, and no reversal table (measured as above: inflate 1.02-1.04 of 5f207cf, 0.95-1.0 with the
  // table-driven reversal of each code).
  let rev = 0
  for (let len = 1; len <= bits; len++) {
    const b0 = len * stride
    const step = 1 << len
    for (let k = 0, c = count[len]!; k < c; k++) {
      const entry = (bucket[b0 + k]! << 4) | len
      for (let j = rev; j < size; j += step) table[j] = entry
      let inc = 1 << (len - 1)
      while (rev & inc) inc >>= 1
      rev = inc === 0 ? 0 : (rev & (inc - 1)) + inc
    }
  }
  h.bits = bits
  h.mask = size - 1
  let first = 0
  for (let len = 1; len <= bits; len++) first = (first + count[len]!) << 1
  h.slowFirst = first
}

/**
 * Decodes one symbol bit by bit from `bitBuf` (at least 15 valid bits) using the canonical description.
 * Returns `symbol << 4 | length`, or 0 when the bits are not a code.
 */
function decodeSlow(bitBuf: number, h: Huffman): number {
  const count = h.count
  // The table already ruled out every code of up to h.bits bits: resume the canonical walk at h.bits + 1 with the
  // state buildHuffman saved, instead of from length 1.
  const bits = h.bits
  let code = reverseBits(bitBuf & h.mask, bits) << 1
  bitBuf >>= bits
  let first = h.slowFirst
  for (let len = bits + 1; len < 16; len++) {
    code |= bitBuf & 1
    bitBuf >>= 1
    const c = count[len]!
    // The codes of one length are its bucket, in canonical order.
    if (code - first < c) return (h.bucket[len * h.stride + code - first]! << 4) | len
    first = (first + c) << 1
    code <<= 1
  }
  return 0
}

// Alphabet sizes of the dynamic codes, which are also their bucket strides (see Huffman).
const LIT_SYMBOLS = 288
const DIST_SYMBOLS = 32
let FIXED_LIT: Huffman
let FIXED_DIST: Huffman
let DYN_LIT: Huffman
let DYN_DIST: Huffman
let CODELEN: Huffman
let LENS: Uint8Array // the code-length code's lengths, read from a dynamic block header
let inflateReady = false
const CODELEN_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

function initInflate(): void {
  const fixed = new Uint8Array(288)
  for (let i = 0; i < 144; i++) fixed[i] = 8
  for (let i = 144; i < 256; i++) fixed[i] = 9
  for (let i = 256; i < 280; i++) fixed[i] = 7
  for (let i = 280; i < 288; i++) fixed[i] = 8
  FIXED_LIT = new Huffman(9, LIT_SYMBOLS)
  bucketLengths(fixed, 0, 288, FIXED_LIT)
  buildHuffman(FIXED_LIT, 9, false)
  fixed.fill(5, 0, 32)
  FIXED_DIST = new Huffman(5, DIST_SYMBOLS)
  bucketLengths(fixed, 0, 32, FIXED_DIST)
  buildHuffman(FIXED_DIST, 5, false)
  LENS = new Uint8Array(19)
  DYN_LIT = new Huffman(10, LIT_SYMBOLS)
  DYN_DIST = new Huffman(8, DIST_SYMBOLS)
  CODELEN = new Huffman(7, 19)
  inflateReady = true
}

/** Returns a buffer holding out[0..used) with room for `needed` bytes, never more than `maxOutput`. */
function grow(out: Uint8Array, used: number, cap: number, needed: number, maxOutput: number): Uint8Array {
  if (needed > maxOutput) throw new ZlibError('too-large')
  const size = Math.min(maxOutput, Math.max(needed, cap * 2, 1024))
  const next = new Uint8Array(size)
  next.set(out.subarray(0, used))
  return next
}

/** An inflated stream: the output is `output[0..length)`; the stream took `consumed` input bytes. */
interface Inflated {
  output: Uint8Array
  length: number
  consumed: number
}

/**
 * Decompresses one zlib stream from `data[0..dataLength)`, strictly: valid header without a preset dictionary, valid
 * deflate blocks, distances inside the output, Adler-32 trailer present and correct. Never holds more than
 * `maxOutput` output bytes: it throws 'too-large' as soon as a block would write past the cap. Bytes after the
 * stream are not read; `consumed` says where the stream ended so callers can notice them. Throws ZlibError only.
 *
 * Without `scratch`, `output` is a fresh array of exactly `length` bytes. With `scratch` (a buffer the caller owns and
 * reuses: a fresh typed array costs more than inflating a whole token), `output` is `scratch` itself when the output
 * fits, or a fresh larger array; only `output[0..length)` is the output.
 */
export function zlibDecompress(data: Uint8Array, maxOutput: number, dataLength: number = data.length, scratch?: Uint8Array): Inflated {
  const r = inflate(data, dataLength, maxOutput, scratch ?? new Uint8Array(Math.min(maxOutput, 1024)))
  if (scratch === undefined && r.output.length !== r.length) r.output = r.output.slice(0, r.length)
  return r
}

/** The inflater, writing into `out` first (see zlibDecompress). */
function inflate(data: Uint8Array, dataLength: number, maxOutput: number, out: Uint8Array): Inflated {
  if (!(maxOutput >= 0)) throw new RangeError('maxOutput must be a non-negative number')
  if (!inflateReady) initInflate()
  const len = dataLength
  const cmf = len > 0 ? data[0]! : 8
  const flg = len > 1 ? data[1]! : -1
  if ((cmf & 15) !== 8 || cmf >> 4 > 7) throw new ZlibError('header')
  if (len < 2) throw truncated()
  if (((cmf << 8) | flg) % 31 !== 0) {
    throw new ZlibError('header')
  }
  if (flg & 0x20) throw new ZlibError('header')

  const lbase = LBASE
  const lext = LEXT
  const dbase = DBASE
  const dext = DEXT
  let cap = Math.min(maxOutput, out.length)
  let op = 0
  let pos = 2
  // Bit buffer: bits are consumed from the bottom. The refill, the same at every site: while three input bytes remain,
  // they are ORed in above the `bitCnt` bits held, masked to 31 bits, and `pos` advances by `(31 - bitCnt) >> 3` whole
  // bytes, to 24..31 bits; bits of the third byte beyond the new count are real look-ahead (the next refill ORs the
  // same bits in again), and bit 31 stays clear so `>>` is a plain shift of a non-negative number. Near the end of the
  // input, whole bytes go in one at a time, zero past the end; `pos * 8 - bitCnt > len * 8` then means bits that do
  // not exist were used, which is reported as truncation. Written out at each of the four sites, with the byte loop
  // inline: bench:ab of these copies against one shared refill(state, data, len) helper, its bit buffer, count and
  // position synced through a state object around each call: verify 1.071, verifier 1.052, decode 1.019.
  let bitBuf = 0
  let bitCnt = 0
  let final = 0
  do {
    // Once per block (and in the code-length code below, a few times per block): the byte loop alone.
    for (; bitCnt < 24; bitCnt += 8, pos++) bitBuf |= (pos < len ? data[pos]! : 0) << bitCnt
    if (pos > len && pos * 8 - bitCnt + 3 > len * 8) throw truncated()
    final = bitBuf & 1
    const type = (bitBuf >>> 1) & 3
    bitBuf >>= 3
    bitCnt -= 3
    if (type === 0) {
      // Stored: skip to the byte boundary, give back the whole bytes still in the bit buffer.
      pos -= bitCnt >> 3
      bitBuf = 0
      bitCnt = 0
      if (pos + 4 > len) throw truncated()
      const n = data[pos]! | (data[pos + 1]! << 8)
      const nn = data[pos + 2]! | (data[pos + 3]! << 8)
      if ((n ^ 0xffff) !== nn) throw new ZlibError('corrupt')
      pos += 4
      if (pos + n > len) throw truncated()
      if (op + n > cap) {
        out = grow(out, op, cap, op + n, maxOutput)
        cap = out.length
      }
      out.set(data.subarray(pos, pos + n), op)
      op += n
      pos += n
      continue
    }
    let lit: Huffman
    let dist: Huffman
    if (type === 1) {
      lit = FIXED_LIT
      dist = FIXED_DIST
    } else if (type === 2) {
      // Dynamic block header: counts, code-length code, then the literal/length and distance code lengths.
      const nlen = (bitBuf & 31) + 257
      const ndist = ((bitBuf >>> 5) & 31) + 1
      const ncode = ((bitBuf >>> 10) & 15) + 4
      bitBuf >>= 14
      bitCnt -= 14
      if (nlen > 286 || ndist > 30) throw new ZlibError('corrupt')
      const lens = LENS
      for (let i = 0; i < ncode; i++) {
        if (bitCnt < 3) for (; bitCnt < 24; bitCnt += 8, pos++) bitBuf |= (pos < len ? data[pos]! : 0) << bitCnt
        lens[CODELEN_ORDER[i]!] = bitBuf & 7
        bitBuf >>= 3
        bitCnt -= 3
      }
      // The lengths not sent are zero (a loop: fill() is a call that cost more than these few stores).
      for (let i = ncode; i < 19; i++) lens[CODELEN_ORDER[i]!] = 0
      if (pos > len && pos * 8 - bitCnt > len * 8) throw truncated()
      const cl = CODELEN
      bucketLengths(lens, 0, 19, cl)
      buildHuffman(cl, 7, false)
      const clTable = cl.table
      const clMask = cl.mask
      const total = nlen + ndist
      // The lengths go straight into each code's counts and per-length symbol lists (see Huffman): no array of
      // lengths is kept, and building needs no sort.
      const lc = DYN_LIT.count
      const dc = DYN_DIST.count
      const lb = DYN_LIT.bucket
      const db = DYN_DIST.bucket
      for (let k = 0; k < 16; k++) { lc[k] = 0; dc[k] = 0 }
      let prev = 0
      let eob = false
      let i = 0
      while (i < total) {
        if (bitCnt < 16) {
          if (pos + 3 <= len) {
            bitBuf |= ((data[pos]! | (data[pos + 1]! << 8) | (data[pos + 2]! << 16)) << bitCnt) & 0x7fffffff
            pos += (31 - bitCnt) >> 3
            bitCnt |= 24
          } else for (; bitCnt < 24; bitCnt += 8, pos++) bitBuf |= (pos < len ? data[pos]! : 0) << bitCnt
        }
        const e = clTable[bitBuf & clMask]!
        if (e === 0) throw new ZlibError('corrupt')
        const l = e & 15
        bitBuf >>= l
        bitCnt -= l
        const sym = e >>> 4
        if (sym < 16) {
          // A zero length goes to bucket 0, which building ignores: no branch on it (zeros and non-zeros alternate
          // unpredictably in a literal alphabet). bench:ab against a branch that skips zeros: verifier 1.014, decode
          // 1.005, verify 0.991 (at a load of 10 on 2 cores: within noise; kept, as it is the shorter form).
          prev = sym
          if (i < nlen) lb[sym * LIT_SYMBOLS + lc[sym]!++] = i
          else db[sym * DIST_SYMBOLS + dc[sym]!++] = i - nlen
          if (i === 256) eob = sym !== 0
          i++
          continue
        }
        let rep: number
        let value = 0
        if (sym === 16) {
          if (i === 0) throw new ZlibError('corrupt')
          value = prev
          rep = 3 + (bitBuf & 3)
          bitBuf >>= 2
          bitCnt -= 2
        } else if (sym === 17) {
          rep = 3 + (bitBuf & 7)
          bitBuf >>= 3
          bitCnt -= 3
        } else {
          rep = 11 + (bitBuf & 127)
          bitBuf >>= 7
          bitCnt -= 7
        }
        if (i + rep > total) throw new ZlibError('corrupt')
        prev = value
        if (value !== 0) {
          for (let k = i, end = i + rep; k < end; k++) {
            if (k < nlen) lb[value * LIT_SYMBOLS + lc[value]!++] = k
            else db[value * DIST_SYMBOLS + dc[value]!++] = k - nlen
          }
          if (i <= 256 && 256 < i + rep) eob = true
        }
        i += rep
      }
      if (pos > len && pos * 8 - bitCnt > len * 8) throw truncated()
      if (!eob) throw new ZlibError('corrupt')
      lit = DYN_LIT
      dist = DYN_DIST
      buildHuffman(lit, 10, true)
      buildHuffman(dist, 8, true)
    } else {
      throw new ZlibError('corrupt')
    }

    const lt = lit.table
    const lmask = lit.mask
    const dt = dist.table
    const dmask = dist.mask
    for (;;) {
      // Refilled before every symbol, without testing the bit count: that test mispredicts. bench:ab against a refill
      // when fewer than 20 bits are held (a code of up to 15 bits and a length's 5 extra bits), 15 rounds: verify
      // 1.020, verifier 1.006, decode 1.002.
      if (pos + 3 <= len) {
        bitBuf |= ((data[pos]! | (data[pos + 1]! << 8) | (data[pos + 2]! << 16)) << bitCnt) & 0x7fffffff
        pos += (31 - bitCnt) >> 3
        bitCnt |= 24
      } else for (; bitCnt < 24; bitCnt += 8, pos++) bitBuf |= (pos < len ? data[pos]! : 0) << bitCnt
      let e = lt[bitBuf & lmask]!
      if (e === 0) {
        e = decodeSlow(bitBuf, lit)
        if (e === 0) throw overrun(pos, bitCnt, len) ?? new ZlibError('corrupt')
      }
      let l = e & 15
      bitBuf >>= l
      bitCnt -= l
      let sym = e >> 4
      if (sym < 256) {
        if (op >= cap) {
          if (pos > len && pos * 8 - bitCnt > len * 8) throw truncated()
          out = grow(out, op, cap, op + 1, maxOutput)
          cap = out.length
        }
        out[op++] = sym
        continue
      }
      if (sym === 256) break
      sym -= 257
      if (sym >= 29) throw overrun(pos, bitCnt, len) ?? new ZlibError('corrupt')
      l = lext[sym]!
      const length = lbase[sym]! + (bitBuf & ((1 << l) - 1))
      bitBuf >>= l
      bitCnt -= l
      // Distance code (<= 15 bits) then its extra bits (<= 13): make sure 28 bits are there, or refill twice.
      if (bitCnt < 15) {
        if (pos + 3 <= len) {
          bitBuf |= ((data[pos]! | (data[pos + 1]! << 8) | (data[pos + 2]! << 16)) << bitCnt) & 0x7fffffff
          pos += (31 - bitCnt) >> 3
          bitCnt |= 24
        } else for (; bitCnt < 24; bitCnt += 8, pos++) bitBuf |= (pos < len ? data[pos]! : 0) << bitCnt
      }
      e = dt[bitBuf & dmask]!
      if (e === 0) {
        e = decodeSlow(bitBuf, dist)
        if (e === 0) throw overrun(pos, bitCnt, len) ?? new ZlibError('corrupt')
      }
      l = e & 15
      bitBuf >>= l
      bitCnt -= l
      sym = e >> 4
      if (sym >= 30) throw overrun(pos, bitCnt, len) ?? new ZlibError('corrupt')
      l = dext[sym]!
      if (bitCnt < l) {
        if (pos + 3 <= len) {
          bitBuf |= ((data[pos]! | (data[pos + 1]! << 8) | (data[pos + 2]! << 16)) << bitCnt) & 0x7fffffff
          pos += (31 - bitCnt) >> 3
          bitCnt |= 24
        } else for (; bitCnt < 24; bitCnt += 8, pos++) bitBuf |= (pos < len ? data[pos]! : 0) << bitCnt
      }
      const d = dbase[sym]! + (bitBuf & ((1 << l) - 1))
      bitBuf >>= l
      bitCnt -= l
      if (pos > len && pos * 8 - bitCnt > len * 8) throw truncated()
      if (d > op) throw new ZlibError('corrupt')
      if (op + length > cap) {
        out = grow(out, op, cap, op + length, maxOutput)
        cap = out.length
      }
      let from = op - d
      const end = op + length
      while (op < end) out[op++] = out[from++]!
    }
  } while (!final)

  // Trailer: byte-align, give back whole unread bytes, read the big-endian Adler-32.
  pos -= bitCnt >> 3
  if (pos + 4 > len) throw truncated()
  const want = ((data[pos]! << 24) | (data[pos + 1]! << 16) | (data[pos + 2]! << 8) | data[pos + 3]!) >>> 0
  if (adler32Range(out, 0, op) !== want) throw new ZlibError('checksum')
  return { output: out, length: op, consumed: pos + 4 }
}

function truncated(): ZlibError {
  return new ZlibError('truncated')
}

/** A truncation error when the bits read so far run past the input (so garbage zeros caused the failure). */
function overrun(pos: number, bitCnt: number, len: number): ZlibError | undefined {
  return pos > len && pos * 8 - bitCnt > len * 8 ? truncated() : undefined
}

