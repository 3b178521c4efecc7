/**
 * zlib (RFC 1950) around deflate (RFC 1951), in plain ECMAScript: a strict, bounded inflater and a small,
 * fast compressor.
 *
 * Tokens are a few hundred bytes, so both directions are tuned for short inputs: decode tables for the fixed code are
 * built once, dynamic tables use a small first-level lookup (longer codes fall back to a canonical bit-by-bit decode),
 * and the decode tables and the compressor's hash table are module-level and reused (everything is synchronous and
 * never re-entered). Results are returned, never left in module state; output buffers belong to the caller.
 */

/** Why a zlib stream was rejected. */
export type ZlibErrorReason = 'header' | 'truncated' | 'corrupt' | 'checksum' | 'too-large'

/** The only error zlibDecompress throws for bad input; `reason` is stable, the message is for humans. */
export class ZlibError extends Error {
  override name = 'ZlibError'
  /** Which check failed. */
  readonly reason: ZlibErrorReason

  constructor(reason: ZlibErrorReason, message: string) {
    super(message)
    this.reason = reason
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Adler-32

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

// ---------------------------------------------------------------------------------------------------------------
// Shared deflate constants (RFC 1951 §3.2.5), built once on first use.

let LBASE: Uint16Array // length base for symbol 257+i
let LEXT: Uint8Array // extra bits for symbol 257+i
let DBASE: Uint16Array // distance base for code i
let DEXT: Uint8Array // extra bits for distance code i
let constantsReady = false

function initConstants(): void {
  LBASE = new Uint16Array(29)
  LEXT = new Uint8Array(29)
  for (let i = 0, base = 3; i < 28; i++) {
    const e = i < 8 ? 0 : (i >> 2) - 1
    LEXT[i] = e
    LBASE[i] = base
    base += 1 << e
  }
  // Symbol 285 is length 258 with no extra bits, not the 259 the pattern would give.
  LBASE[28] = 258
  LEXT[28] = 0
  DBASE = new Uint16Array(30)
  DEXT = new Uint8Array(30)
  for (let i = 0, base = 1; i < 30; i++) {
    const e = i < 4 ? 0 : (i >> 1) - 1
    DEXT[i] = e
    DBASE[i] = base
    base += 1 << e
  }
  constantsReady = true
}

/** Reverses the low `len` bits of `code` (deflate sends Huffman codes most-significant bit first). */
function reverseBits(code: number, len: number): number {
  // Two byte-table lookups instead of a bit loop (the loop showed up in profiles of dynamic-block tokens).
  const r = REV8!
  return ((r[code & 255]! << 8) | r[(code >>> 8) & 255]!) >>> (16 - len)
}

let REV8: Uint8Array | undefined
function initRev8(): void {
  REV8 = new Uint8Array(256)
  for (let i = 0; i < 256; i++) {
    let r = 0
    for (let b = 0; b < 8; b++) r |= ((i >>> b) & 1) << (7 - b)
    REV8[i] = r
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Inflate

/**
 * A canonical Huffman code prepared for decoding. `table` is indexed by the next `bits` input bits (LSB first) and
 * holds `symbol << 4 | length` for codes no longer than `bits`, or 0 (a longer code, or no code: decodeSlow decides).
 * `count`/`symbol` are the canonical description used by decodeSlow.
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
  readonly symbol: Uint16Array
  readonly stride: number
  readonly bucket: Uint16Array
  /** decodeSlow's canonical-walk state after the first `bits` lengths. */
  slowFirst = 0
  slowIndex = 0

  constructor(tableBits: number, symbols: number) {
    this.table = new Uint16Array(1 << tableBits)
    this.symbol = new Uint16Array(symbols)
    this.stride = symbols
    this.bucket = new Uint16Array(16 * symbols)
  }
}

/** Sets `h.count` and `h.bucket` from code lengths `lengths[off..off+n)` (0 = symbol unused). */
function bucketLengths(lengths: Uint8Array, off: number, n: number, h: Huffman): void {
  const count = h.count
  const bucket = h.bucket
  const stride = h.stride
  count.fill(0)
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
    if (left < 0) throw new ZlibError('corrupt', 'over-subscribed Huffman code')
    if (c !== 0) max = len
    used += c
  }
  if (left > 0 && used !== 0 && !(allowIncomplete && max === 1)) {
    throw new ZlibError('corrupt', 'incomplete Huffman code')
  }
  if (used === 0 && !allowIncomplete) throw new ZlibError('corrupt', 'empty Huffman code')
  const bits = max === 0 ? 1 : Math.min(max, maxBits)
  const size = 1 << bits
  const table = h.table
  const bucket = h.bucket
  const stride = h.stride
  // A complete code writes every slot below, so clearing is only needed for incomplete codes (measured: the fill was
  // ~1/3 of table building for the dynamic blocks of Node-made tokens).
  if (left !== 0 || max > bits) table.fill(0, 0, size)
  let code = 0
  for (let len = 1; len <= bits; len++) {
    const b0 = len * stride
    const step = 1 << len
    for (let k = 0, c = count[len]!; k < c; k++, code++) {
      const entry = (bucket[b0 + k]! << 4) | len
      for (let j = reverseBits(code, len); j < size; j += step) table[j] = entry
    }
    code <<= 1
  }
  h.bits = bits
  h.mask = size - 1
  let first = 0
  let idx = 0
  for (let len = 1; len <= bits; len++) {
    idx += count[len]!
    first = (first + count[len]!) << 1
  }
  h.slowFirst = first
  h.slowIndex = idx
  if (max > bits) {
    // Codes longer than the table: decodeSlow indexes the symbols in canonical order.
    const symbol = h.symbol
    for (let len = 1, o = 0; len <= max; len++) {
      for (let k = 0, c = count[len]!, b0 = len * stride; k < c; k++) symbol[o++] = bucket[b0 + k]!
    }
  }
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
  let index = h.slowIndex
  for (let len = bits + 1; len < 16; len++) {
    code |= bitBuf & 1
    bitBuf >>= 1
    const c = count[len]!
    if (code - c < first) return (h.symbol[index + code - first]! << 4) | len
    index += c
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
  if (!constantsReady) initConstants()
  if (!REV8) initRev8()
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
  if (needed > maxOutput) throw new ZlibError('too-large', `decompressed data exceeds ${maxOutput} bytes`)
  const size = Math.min(maxOutput, Math.max(needed, cap * 2, 1024))
  const next = new Uint8Array(size)
  next.set(out.subarray(0, used))
  return next
}

/** An inflated stream: the output is `output[0..length)`; the stream took `consumed` input bytes. */
export interface Inflated {
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
  if ((cmf & 15) !== 8 || cmf >> 4 > 7) throw new ZlibError('header', 'not a zlib stream (bad header)')
  if (len < 2) throw truncated()
  if (((cmf << 8) | flg) % 31 !== 0) {
    throw new ZlibError('header', 'not a zlib stream (bad header; raw deflate and gzip are not accepted)')
  }
  if (flg & 0x20) throw new ZlibError('header', 'zlib preset dictionaries are not supported')

  const lbase = LBASE
  const lext = LEXT
  const dbase = DBASE
  const dext = DEXT
  let cap = Math.min(maxOutput, out.length)
  let op = 0
  let pos = 2
  // Bit buffer: bits are consumed from the bottom. Refills keep it at 24..31 bits so it stays a small non-negative
  // integer. Past the end of input zero bytes are fed in; `pos * 8 - bitCnt > len * 8` then means "used bits that do
  // not exist", which is reported as truncation.
  let bitBuf = 0
  let bitCnt = 0
  let final = 0
  do {
    while (bitCnt < 24) {
      bitBuf |= (pos < len ? data[pos]! : 0) << bitCnt
      pos++
      bitCnt += 8
    }
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
      if ((n ^ 0xffff) !== nn) throw new ZlibError('corrupt', 'stored block length check failed')
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
      if (nlen > 286 || ndist > 30) throw new ZlibError('corrupt', 'too many length or distance codes')
      const lens = LENS
      lens.fill(0, 0, 19)
      for (let i = 0; i < ncode; i++) {
        if (bitCnt < 3) {
          while (bitCnt < 24) {
            bitBuf |= (pos < len ? data[pos]! : 0) << bitCnt
            pos++
            bitCnt += 8
          }
        }
        lens[CODELEN_ORDER[i]!] = bitBuf & 7
        bitBuf >>= 3
        bitCnt -= 3
      }
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
            // Same fast refill as the main loop: 1-3 whole bytes in one step.
            bitBuf |= ((data[pos]! | (data[pos + 1]! << 8) | (data[pos + 2]! << 16)) << bitCnt) & 0x7fffffff
            pos += (31 - bitCnt) >> 3
            bitCnt |= 24
          } else {
            while (bitCnt < 24) {
              bitBuf |= (pos < len ? data[pos]! : 0) << bitCnt
              pos++
              bitCnt += 8
            }
            if (pos > len && pos * 8 - bitCnt > len * 8) throw truncated()
          }
        }
        const e = clTable[bitBuf & clMask]!
        if (e === 0) throw new ZlibError('corrupt', 'invalid code-length code')
        const l = e & 15
        bitBuf >>= l
        bitCnt -= l
        const sym = e >>> 4
        if (sym < 16) {
          // A zero length goes to bucket 0, which building ignores: no branch on it (zeros and non-zeros alternate
          // unpredictably in a literal alphabet; measured: decodeUserSig 3.64 → 3.55 µs).
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
          if (i === 0) throw new ZlibError('corrupt', 'repeat with no previous code length')
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
        if (i + rep > total) throw new ZlibError('corrupt', 'code lengths overflow the code')
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
      if (!eob) throw new ZlibError('corrupt', 'no end-of-block code')
      lit = DYN_LIT
      dist = DYN_DIST
      buildHuffman(lit, 10, true)
      buildHuffman(dist, 8, true)
    } else {
      throw new ZlibError('corrupt', 'invalid block type')
    }

    const lt = lit.table
    const lmask = lit.mask
    const dt = dist.table
    const dmask = dist.mask
    for (;;) {
      if (pos + 3 <= len) {
        // Fast refill before every symbol, without testing the bit count: that test mispredicts (measured:
        // decodeUserSig 3.55 → 3.42 µs; the same change in the code-length and distance refills was slower).
        // It adds 0-3 whole bytes, up to 24..31 bits, for any count below 32. Bits of the third byte beyond the new
        // count are real look-ahead (later refills OR the same bits in again); bit 31 is kept clear so `>>` stays a
        // plain shift of a non-negative number.
        bitBuf |= ((data[pos]! | (data[pos + 1]! << 8) | (data[pos + 2]! << 16)) << bitCnt) & 0x7fffffff
        pos += (31 - bitCnt) >> 3
        bitCnt |= 24
      } else if (bitCnt < 20) {
        do {
          bitBuf |= (pos < len ? data[pos]! : 0) << bitCnt
          pos++
          bitCnt += 8
        } while (bitCnt < 24)
        if (pos > len && pos * 8 - bitCnt > len * 8) throw truncated()
      }
      let e = lt[bitBuf & lmask]!
      if (e === 0) {
        e = decodeSlow(bitBuf, lit)
        if (e === 0) throw overrun(pos, bitCnt, len) ?? new ZlibError('corrupt', 'invalid literal/length code')
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
      if (sym >= 29) throw overrun(pos, bitCnt, len) ?? new ZlibError('corrupt', 'invalid length symbol')
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
        } else {
          do {
            bitBuf |= (pos < len ? data[pos]! : 0) << bitCnt
            pos++
            bitCnt += 8
          } while (bitCnt < 24)
        }
      }
      e = dt[bitBuf & dmask]!
      if (e === 0) {
        e = decodeSlow(bitBuf, dist)
        if (e === 0) throw overrun(pos, bitCnt, len) ?? new ZlibError('corrupt', 'invalid distance code')
      }
      l = e & 15
      bitBuf >>= l
      bitCnt -= l
      sym = e >> 4
      if (sym >= 30) throw overrun(pos, bitCnt, len) ?? new ZlibError('corrupt', 'invalid distance symbol')
      l = dext[sym]!
      if (bitCnt < l) {
        if (pos + 3 <= len) {
          bitBuf |= ((data[pos]! | (data[pos + 1]! << 8) | (data[pos + 2]! << 16)) << bitCnt) & 0x7fffffff
          pos += (31 - bitCnt) >> 3
          bitCnt |= 24
        } else {
          do {
            bitBuf |= (pos < len ? data[pos]! : 0) << bitCnt
            pos++
            bitCnt += 8
          } while (bitCnt < 24)
        }
      }
      const d = dbase[sym]! + (bitBuf & ((1 << l) - 1))
      bitBuf >>= l
      bitCnt -= l
      if (pos > len && pos * 8 - bitCnt > len * 8) throw truncated()
      if (d > op) throw new ZlibError('corrupt', 'distance points before the start of the output')
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
  if (adler32Range(out, 0, op) !== want) throw new ZlibError('checksum', 'zlib Adler-32 checksum mismatch')
  return { output: out, length: op, consumed: pos + 4 }
}

function truncated(): ZlibError {
  return new ZlibError('truncated', 'zlib stream is truncated')
}

/** A truncation error when the bits read so far run past the input (so garbage zeros caused the failure). */
function overrun(pos: number, bitCnt: number, len: number): ZlibError | undefined {
  return pos > len && pos * 8 - bitCnt > len * 8 ? truncated() : undefined
}

// ---------------------------------------------------------------------------------------------------------------
// Deflate: one final fixed-Huffman block.

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
  if (!constantsReady) initConstants()
  if (!REV8) initRev8()
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
 * and the token writer of _payload.ts. Fewer than 16 bits are pending between calls and whole 16-bit words are
 * written as soon as they are complete, so `put` takes codes of up to 16 bits. The caller sizes `out` for the worst
 * case (fixed codes are at most 9 bits per input byte) and owns it.
 */
export class BitWriter {
  readonly out: Uint8Array
  /** Next byte to write. */
  o: number
  /** Pending bits (the low `bc`) and their count. */
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
    if (bc >= 16) {
      const o = this.o
      this.out[o] = bb
      this.out[o + 1] = bb >>> 8
      this.o = o + 2
      bb >>>= 16
      bc -= 16
    }
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
    q[o] = adler >>> 24
    q[o + 1] = adler >>> 16
    q[o + 2] = adler >>> 8
    q[o + 3] = adler
    return o + 4
  }
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
  const a = adler32Range(data, 0, n)
  out[o] = a >>> 24
  out[o + 1] = a >>> 16
  out[o + 2] = a >>> 8
  out[o + 3] = a
  return out
}
