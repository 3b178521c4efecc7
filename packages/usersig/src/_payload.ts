/**
 * Writes the bytes of the signed content (docs/spec/format.md §2.2) and of the token JSON straight into a reused scratch buffer,
 * instead of building strings and UTF-8-encoding them. Profiling showed string building + utf8Encode at ~25% of a
 * signing call (V8 flattens the concatenated string on the first charCodeAt); writing bytes removes that.
 *
 * The signer writes the token JSON with TokenDeflater.write, which also codes it as a zlib stream in the same pass (see the
 * section below); the tests hold it to the JSON built as a string (test/_reference.ts).
 */
import { utf8Encode } from './_utf8.js'
import { asciiBytes as ascii, asciiString } from './_ascii.js'
import { base64EncodeInto, standardAlphabet } from './_base64.js'
import { adler32Range } from './_zlib.js'
import { BitWriter, fixedCodeTables, type FixedCodeTables } from './_deflate.js'
import type { HmacSha256Key } from './_sha256.js'

let scratch = new Uint8Array(2048)

function ensure(n: number): Uint8Array {
  if (scratch.length < n) scratch = new Uint8Array(Math.max(n, scratch.length * 2))
  return scratch
}

const C_ID = ascii('TLS.identifier:')
const C_SDK = ascii('\nTLS.sdkappid:')
const C_TIME = ascii('\nTLS.time:')
const C_EXPIRE = ascii('\nTLS.expire:')
const C_USERBUF = ascii('\nTLS.userbuf:')

function put(b: Uint8Array, o: number, c: Uint8Array): number {
  for (let i = 0; i < c.length; i++) b[o + i] = c[i]!
  return o + c.length
}

function putAscii(b: Uint8Array, o: number, s: string): number {
  for (let i = 0; i < s.length; i++) b[o + i] = s.charCodeAt(i)
  return o + s.length
}

/** Decimal digits of a non-negative integer (or a negative one, written with '-'). */
function putInt(b: Uint8Array, o: number, v: number): number {
  if (v < 0) { b[o++] = 45; v = -v }
  if (v < 10) { b[o] = 48 + v; return o + 1 }
  const s = String(v)
  return putAscii(b, o, s)
}


/** The identifier's UTF-8 bytes, and its JSON string literal bytes (with quotes). */
interface IdentifierBytes {
  raw: Uint8Array
  json: Uint8Array
}

/** Printable ASCII without '"' or '\': written as is, in the signed content and (in quotes) in the JSON. */
export function isPlainIdentifier(identifier: string): boolean {
  for (let i = 0; i < identifier.length; i++) {
    const c = identifier.charCodeAt(i)
    if (c < 0x20 || c > 0x7e || c === 34 || c === 92) return false
  }
  return true
}

/**
 * The identifier's UTF-8 and its JSON string literal (JSON.stringify), for an identifier that is not plain: a plain one
 * (isPlainIdentifier) is written straight from the string.
 */
export function identifierBytes(identifier: string): IdentifierBytes {
  return { raw: utf8Encode(identifier), json: utf8Encode(JSON.stringify(identifier)) }
}

/**
 * The HMAC input "TLS.identifier:…\nTLS.sdkappid:…\nTLS.time:…\nTLS.expire:…\n[TLS.userbuf:…\n]" as bytes, with the
 * userbuf as the exact base64 text found in the token being verified (the signer copies its content from the JSON it
 * writes: TokenDeflater.write). The returned view aliases the scratch buffer: use it before the next call.
 */
export function contentBytes(id: Uint8Array | string, sdkAppId: number, time: number, expire: number, userBuf: string | null): Uint8Array {
  // A string identifier (verification) is written straight in when it is ASCII, without encoding it first. bench:ab
  // against encoding it first (15 rounds): verifier 1.045, verify 1.030, verifyWrongKey 1.024.
  if (typeof id === 'string') {
    let ascii = true
    for (let i = 0; i < id.length; i++) if (id.charCodeAt(i) > 0x7f) { ascii = false; break }
    if (!ascii) id = utf8Encode(id)
  }
  const b = ensure(id.length + (userBuf === null ? 0 : userBuf.length) + 128)
  let o = put(b, 0, C_ID)
  if (typeof id === 'string') o = putAscii(b, o, id)
  else {
    b.set(id, o)
    o += id.length
  }
  o = putInt(b, put(b, o, C_SDK), sdkAppId)
  o = putInt(b, put(b, o, C_TIME), time)
  o = putInt(b, put(b, o, C_EXPIRE), expire)
  if (userBuf !== null) {
    o = putAscii(b, put(b, o, C_USERBUF), userBuf)
  }
  b[o++] = 10
  return b.subarray(0, o)
}

// ---------------------------------------------------------------------------------------------------------------
// The signer's token JSON, written and deflated in one pass (TokenDeflater.write).
//
// Writing the JSON bytes and then compressing them with the general compressor, which steps byte by
// byte in search of repeats, was ~1.7 µs of a 4.4 µs PrivateMapKey. This writer knows the template: each byte is
// coded as it is written, the repeats every token has ('"TLS.' in every name, ',"TLS.' or '","TLS.' starting every
// member, '":"' before every string value, 'e":' ending the time and expire names, a number starting like the number
// before) as matches, runs of one byte as matches, and nothing is searched. Measured (same process, interleaved):
// UserSig 3.26 → 3.09 µs, PrivateMapKey 4.39 → 4.22 µs, tokens within half a byte of the general compressor's on
// average (test/fastpaths.test.ts checks both the bytes and the size). The result is one fixed-Huffman block and the
// Adler-32 of the JSON, written by the compressor's BitWriter.
//
// What the signer does per token besides (issue 12, §3), measured together with bench:ab against 5f207cf (15 rounds):
// UserSig 1.13×, PrivateMapKey 1.09× (3.22 → 2.86 µs, 4.25 → 3.92 µs): the signed content is copied from the JSON as it
// is written (the userbuf's base64 and the digits made once, no second writer), the head is kept in the buffers, one
// output byte per 8-bit code with the bit state in locals, the writer itself reused (its construction alone was ~3%:
// separate-process runs, PrivateMapKey 1.03×, UserSig 1.04×), and the token text two characters per lookup (tokenText).
// Constant text other than the head is coded as literals: precomputed codes for it cost ~300 B gzip of the core's
// bundle and were not measurably faster.

// The pieces of the template (_layout.ts) that the writer codes as literals; the rest of it are repeats (write).
// Spelled here rather than cut from _layout's constants: importing those added ~40 B gzip to a sign-only bundle.
// test/fastpaths.test.ts holds the written JSON to the template.
const HEAD_START = ascii('{"TLS.ver":"2.0",')
const HEAD_MIDDLE = ascii('identifi')
const HEAD_LENGTH = 35 // '{"TLS.ver":"2.0","TLS.identifier":"'
const SDKAPPID = ascii('sdkappid":')
const TIME = ascii('time')
const QUOTE_COLON = ascii('":')
const EXPIR = ascii('expir')
const E_QUOTE_COLON = ascii('e":')
const USERBUF = ascii('userbuf')
const IG = ascii('ig')
const END = ascii('"}')

/** Copies json[from..to) to content at `q`; returns the end. */
function copy(c: Uint8Array, q: number, json: Uint8Array, from: number, to: number): number {
  for (let k = from; k < to; k++) c[q++] = json[k]!
  return q
}

/**
 * The writer of one token at a time: its JSON bytes in `json[0..p)`, their codes in the BitWriter's `out`, the signed
 * content copied from the JSON in `content`, the signature in `mac`. Every token starts with the same head, so it is
 * written into both buffers when they are made, and each token is written after it (`write` starts from the head's
 * end). Fewer than 8 bits are pending between steps (BitWriter), and every byte of a token below 144 has an 8-bit code,
 * so the loops below write one output byte per JSON byte with the pending bits at a fixed shift, in local variables
 * (see the measurements above: with the content copied from the JSON and the head kept, PrivateMapKey 1.03–1.09× in
 * separate-process runs). One writer is reused while tokens fit it (tokenWriter).
 */
class TokenDeflater extends BitWriter {
  p = 0
  readonly t: FixedCodeTables = fixedCodeTables()
  readonly json: Uint8Array
  readonly content: Uint8Array
  readonly mac: Uint8Array = new Uint8Array(32)
  // Where the head's codes end in `out`: its o, bb and bc (the next byte, and the pending bits). Short names: property
  // names survive minification, and with headO/headBb/headBc the test-sig module was 7 B gzip larger than on main.
  readonly ho: number
  readonly hb: number
  readonly hc: number

  /**
   * Buffers for tokens of up to `size` JSON bytes, with the zlib header and the head written. The content buffer is
   * the one to check for a later token: the others are larger in proportion.
   */
  constructor(size: number) {
    // Fixed codes take at most 9 bits per byte, plus the header, the end of block and the checksum.
    super(new Uint8Array(4 * size + 32))
    this.json = new Uint8Array(Math.max(2 * size, 1024))
    // The content is at most the JSON's values plus 64 bytes of names.
    this.content = new Uint8Array(2 * size)
    // The head is '{"TLS.ver":"2.0","TLS.identifier":"', with '"TLS.' and 'er":"' as repeats of what is before them.
    this.text(HEAD_START)
    this.repeat(5, 1) // '"TLS.'
    this.text(HEAD_MIDDLE)
    this.repeat(5, 7) // 'er":"'
    this.ho = this.o
    this.hb = this.bb
    this.hc = this.bc
  }

  /** Writes `len` bytes copied from JSON offset `from`, coded as one match (as literals when deflate cannot reach back that far). */
  repeat(len: number, from: number): void {
    const b = this.json
    const at = this.p
    for (let k = 0; k < len; k++) b[at + k] = b[from + k]!
    if (at - from > 32768) return this.values(at + len, false)
    this.match(this.t, len, at - from)
    this.p = at + len
  }

  /** Writes constant text, coded as literals. */
  text(t: Uint8Array): void {
    this.values(put(this.json, this.p, t), false)
  }

  /**
   * Codes bytes json[p..end) that the caller has just written there (values: identifier, digits, base64). With
   * `runs`, three or more copies of the byte before are coded as one match.
   */
  values(end: number, runs: boolean): void {
    const b = this.json
    const out = this.out
    const lc = this.t.lit
    const lb = this.t.litBits
    let o = this.o
    let bb = this.bb
    let bc = this.bc
    for (let i = this.p; i < end; i++) {
      const x = b[i]!
      if (runs && x === b[i - 1] && i + 2 < end && b[i + 1] === x && b[i + 2] === x) {
        let m = 3
        while (i + m < end && m < 258 && b[i + m] === x) m++
        // A match of length m at distance 1 (rare: the writer's state goes through its fields for it).
        this.o = o
        this.bb = bb
        this.bc = bc
        this.match(this.t, m, 1)
        o = this.o
        bb = this.bb
        bc = this.bc
        i += m - 1
        continue
      }
      // 8 bits (bytes below 144) or 9: one byte out, and a second when nine bits have made one more.
      bb |= lc[x]! << bc
      out[o++] = bb
      bb >>>= 8
      bc += lb[x]! - 8
      if (bc >= 8) {
        out[o++] = bb
        bb >>>= 8
        bc -= 8
      }
    }
    this.o = o
    this.bb = bb
    this.bc = bc
    this.p = end
  }

  /**
   * Writes standard padded base64 of `src` (the signature) and codes it. Every base64 character, '=' included, has an
   * 8-bit code: one output byte each, with no runs to look for.
   */
  base64Values(src: Uint8Array): void {
    const b = this.json
    const end = base64EncodeInto(src, src.length, b, this.p, standardAlphabet(), 61)
    const out = this.out
    const lc = this.t.lit
    const bc = this.bc
    let o = this.o
    let bb = this.bb
    for (let p = this.p; p < end; p++) {
      bb |= lc[b[p]!]! << bc
      out[o++] = bb
      bb >>>= 8
    }
    this.o = o
    this.bb = bb
    this.p = end
  }

  /**
   * Writes `tail` (the end of a member name, with its '":') and the digits of `v`, coded from `tail` on as a match
   * when they start like the text at JSON offset `prevAt` (the names of time and expire both end in 'e":'; two
   * numbers often share their first digit), then as values.
   */
  number(tail: Uint8Array, v: number, prevAt: number): void {
    const b = this.json
    const at = this.p
    for (let k = 0; k < tail.length; k++) b[at + k] = tail[k]!
    const end = putInt(b, at + tail.length, v)
    let m = 0
    while (at + m < end && b[prevAt + m] === b[at + m]) m++
    if (m >= 3) {
      this.match(this.t, m, at - prevAt)
      this.p = at + m
    }
    this.values(end, true)
  }

  /**
   * Writes the zlib stream of the signed token JSON in the Node layout (_layout.ts) for these values into `out`, in
   * one pass: see above. The signed content (contentBytes) is copied from the JSON as it is written (the userbuf's
   * base64 is computed once, the numbers' digits once) and MACed under `key` before the signature is written. `idRaw`
   * is the identifier's UTF-8 for the content when `idJson` is a JSON literal. Returns the stream's length: the stream
   * is `out[0..length)`, until the next write.
   */
  write(idJson: Uint8Array | string, idRaw: Uint8Array | null, sdkAppId: number, time: number, expire: number, userBuf: Uint8Array | null, key: HmacSha256Key, userBufLength: number): number {
    const c = this.content
    const b = this.json
    const mac = this.mac
    const z = this
    // The head is already in both buffers (constructor): go on after it.
    z.o = this.ho
    z.bb = this.hb
    z.bc = this.hc
    z.p = HEAD_LENGTH
    const idAt = z.p
    if (typeof idJson === 'string') {
      // A plain identifier (isPlainIdentifier): its JSON literal is the characters in quotes.
      z.values(putAscii(b, z.p, idJson), false)
    } else {
      // A JSON string literal: its opening quote is in the head.
      for (let k = 1; k < idJson.length - 1; k++) b[z.p + k - 1] = idJson[k]!
      z.values(z.p + idJson.length - 2, false)
    }
    const idEnd = z.p // where the closing quote goes: it starts the repeat below
    let q = put(c, 0, C_ID)
    if (idRaw === null) q = copy(c, q, b, idAt, idEnd)
    else {
      c.set(idRaw, q)
      q += idRaw.length
    }
    q = put(c, q, C_SDK)
    z.repeat(7, 15) // '","TLS.' as after "2.0"
    z.text(SDKAPPID)
    const sdkColon = z.p - 2
    z.values(putInt(b, z.p, sdkAppId), true)
    const timeAt = z.p
    q = put(c, copy(c, q, b, sdkColon + 2, timeAt), C_TIME)
    z.repeat(6, idEnd + 1) // ',"TLS.'
    z.text(TIME)
    const timeColon = z.p
    z.number(QUOTE_COLON, time, sdkColon)
    const expireAt = z.p
    q = put(c, copy(c, q, b, timeColon + 2, expireAt), C_EXPIRE)
    z.repeat(6, timeAt)
    z.text(EXPIR)
    const expireDigits = z.p + 3
    z.number(E_QUOTE_COLON, expire, timeColon - 1)
    q = copy(c, q, b, expireDigits, z.p)
    let quoteColonQuote = 32 // the '":"' before the identifier
    if (userBuf !== null) {
      z.repeat(6, expireAt) // ',"TLS.'
      z.text(USERBUF)
      z.repeat(3, quoteColonQuote)
      quoteColonQuote = z.p - 3
      const ubAt = z.p
      z.values(base64EncodeInto(userBuf, userBufLength, b, z.p, standardAlphabet(), 61), true)
      q = copy(c, put(c, q, C_USERBUF), b, ubAt, z.p)
      z.repeat(8, idEnd) // '","TLS.s' as in ","TLS.sdkappid"
    } else {
      z.repeat(7, idEnd + 1) // ',"TLS.s' as in ,"TLS.sdkappid"
    }
    c[q++] = 10
    key.macInto(c.subarray(0, q), mac, 0)
    z.text(IG)
    z.repeat(3, quoteColonQuote) // '":"'
    z.base64Values(mac)
    z.text(END)
    return z.finish(adler32Range(b, 0, z.p))
  }
}

let writer: TokenDeflater | undefined

/** A writer for tokens of up to `size` JSON bytes: the last one, when they fit it (its construction alone cost ~3%). */
function tokenWriter(size: number): TokenDeflater {
  const w = writer
  return w !== undefined && w.content.length >= size ? w : (writer = new TokenDeflater(size))
}

/**
 * A signed token: Tencent's base64 of the zlib stream of the JSON for these values with the HMAC of their content
 * (docs/spec/format.md §2.2) under `key`, all in one pass (TokenDeflater.write). `id` is a plain identifier
 * (isPlainIdentifier) or its bytes (identifierBytes).
 */
export function signedToken(key: HmacSha256Key, id: string | IdentifierBytes, sdkAppId: number, time: number, expire: number, userBuf: Uint8Array | null, userBufLength: number): string {
  const w = tokenWriter((typeof id === 'string' ? id.length : id.json.length) + (userBuf === null ? 0 : ((userBufLength + 2) / 3 | 0) * 4) + 194)
  const n = typeof id === 'string'
    ? w.write(id, null, sdkAppId, time, expire, userBuf, key, userBufLength)
    : w.write(id.json, id.raw, sdkAppId, time, expire, userBuf, key, userBufLength)
  return tokenText(w.out, n)
}

// Tencent's base64 of the token, two characters per table entry (below).
let PAIRS: Uint16Array | undefined
let text = new Uint8Array(0)
let text16 = new Uint16Array(0)

/**
 * Tencent's base64 (tencentBase64Encode) of `z[0..n)`, a token's zlib stream, with each 12 bits looked up as two
 * characters at once and stored as one 16-bit word: half the lookups and stores of the general encoder. bench:ab
 * against tencentBase64Encode: privateMapKey 1.030, userSig 1.008. The words are laid out for the host's byte order.
 */
function tokenText(z: Uint8Array, n: number): string {
  if (text16.length < n + 3) {
    text16 = new Uint16Array(n + 3)
    text = new Uint8Array(text16.buffer)
  }
  const pairs = PAIRS ??= tokenPairs()
  const w = text16
  const full = n - (n % 3)
  let o = 0
  for (let i = 0; i < full; i += 3) {
    const v = (z[i]! << 16) | (z[i + 1]! << 8) | z[i + 2]!
    w[o] = pairs[v >>> 12]!
    w[o + 1] = pairs[v & 4095]!
    o += 2
  }
  if (full < n) {
    // One or two bytes left: two characters, then a third or '_', then '_' (written as bytes: no byte order).
    const two = full + 1 < n
    const v = (z[full]! << 16) | (two ? z[full + 1]! << 8 : 0)
    w[o] = pairs[v >>> 12]!
    text[2 * o + 2] = two ? tencentAlphabet()[(v >>> 6) & 63]! : 95
    text[2 * o + 3] = 95
    o += 2
  }
  return asciiString(text, 0, 2 * o)
}

let TENCENT: Uint8Array | undefined
/** Tencent's alphabet: the standard one with '*' and '-' for '+' and '/'. */
function tencentAlphabet(): Uint8Array {
  if (TENCENT) return TENCENT
  TENCENT = standardAlphabet().slice()
  TENCENT[62] = 42
  TENCENT[63] = 45
  return TENCENT
}

function tokenPairs(): Uint16Array {
  const a = tencentAlphabet()
  const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
  const p = new Uint16Array(4096)
  for (let i = 0; i < 4096; i++) {
    const first = a[i >>> 6]!
    const second = a[i & 63]!
    p[i] = littleEndian ? first | (second << 8) : (first << 8) | second
  }
  return p
}
