/**
 * Writes the bytes of the signed content (docs/spec/format.md §2.2) and of the token JSON straight into a reused scratch buffer,
 * instead of building strings and UTF-8-encoding them. Profiling showed string building + utf8Encode at ~25% of a
 * signing call (V8 flattens the concatenated string on the first charCodeAt); writing bytes removes that.
 *
 * The signer writes the token JSON with deflatedJson, which also codes it as a zlib stream in the same pass (see the
 * section below); the tests hold it to the JSON built as a string (test/_reference.ts).
 */
import { utf8Encode } from './_utf8.js'
import { asciiBytes as ascii } from './_ascii.js'
import { base64EncodeInto, standardAlphabet } from './_base64.js'
import { adler32Range } from './_zlib.js'
import { BitWriter, fixedCodeTables, type FixedCodeTables } from './_deflate.js'

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

/** Standard padded base64 of `src[0..n)`, written as ASCII bytes (no intermediate string). */
function putBase64(b: Uint8Array, o: number, src: Uint8Array, n = src.length): number {
  return base64EncodeInto(src, n, b, o, standardAlphabet(), 61)
}

/** A userbuf is written as base64 of its bytes, or as the exact base64 text found in a token being verified. */
export type UserBufValue = Uint8Array | string | null

function b64Len(v: UserBufValue, n: number): number {
  return v === null ? 0 : typeof v === 'string' ? v.length : ((n + 2) / 3 | 0) * 4
}

function putUserBuf(b: Uint8Array, o: number, v: Uint8Array | string, n: number): number {
  return typeof v === 'string' ? putAscii(b, o, v) : putBase64(b, o, v, n)
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
export interface IdentifierBytes {
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

/** Plain printable ASCII without '"' or '\' is its own JSON literal body; anything else goes through JSON.stringify. */
export function identifierBytes(identifier: string): IdentifierBytes {
  const n = identifier.length
  if (isPlainIdentifier(identifier)) {
    const raw = new Uint8Array(n)
    const json = new Uint8Array(n + 2)
    json[0] = 34
    for (let i = 0; i < n; i++) { const c = identifier.charCodeAt(i); raw[i] = c; json[i + 1] = c }
    json[n + 1] = 34
    return { raw, json }
  }
  return { raw: utf8Encode(identifier), json: utf8Encode(JSON.stringify(identifier)) }
}

/**
 * The HMAC input "TLS.identifier:…\nTLS.sdkappid:…\nTLS.time:…\nTLS.expire:…\n[TLS.userbuf:…\n]" as bytes.
 * The returned view aliases the scratch buffer: use it before the next call.
 */
export function contentBytes(id: Uint8Array | string, sdkAppId: number, time: number, expire: number, userBuf: UserBufValue, userBufLength: number = userBuf === null ? 0 : userBuf.length): Uint8Array {
  // A string identifier (verification) is written straight in when it is ASCII, without encoding it first.
  if (typeof id === 'string') {
    let ascii = true
    for (let i = 0; i < id.length; i++) if (id.charCodeAt(i) > 0x7f) { ascii = false; break }
    if (!ascii) id = utf8Encode(id)
  }
  const b = ensure(id.length + b64Len(userBuf, userBufLength) + 128)
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
    o = put(b, o, C_USERBUF)
    o = putUserBuf(b, o, userBuf, userBufLength)
  }
  b[o++] = 10
  return b.subarray(0, o)
}

// ---------------------------------------------------------------------------------------------------------------
// The signer's token JSON, written and deflated in one pass (deflatedJson).
//
// Writing the JSON bytes and then compressing them with the general compressor, which steps byte by
// byte in search of repeats, was ~1.7 µs of a 4.4 µs PrivateMapKey. This writer knows the template: each byte is
// coded as it is written, constant text goes out as precomputed codes, the repeats every token has ('"TLS.' in every
// name, ',"TLS.' or '","TLS.' starting every member, '":"' before every string value, 'e":' ending the time and
// expire names, a number starting like the number before) as matches, runs of one byte as matches, and nothing is
// searched. Measured (same process, interleaved): UserSig 3.26 → 3.09 µs, PrivateMapKey 4.39 → 4.22 µs, tokens within
// half a byte of the general compressor's on average (test/fastpaths.test.ts checks both the bytes and the size).
// The result is one fixed-Huffman block and the Adler-32 of the JSON, written by the compressor's BitWriter.

/** Precomputed codes of constant text: words of at most 16 bits and their bit counts. */
interface Chunk { bytes: Uint8Array; words: Int32Array; counts: Uint8Array }

let T: FixedCodeTables
let CHUNKS: Record<'head' | 'sdkappid' | 'time' | 'expire' | 'userbuf' | 'ig' | 'end', Chunk> | undefined
// The codes of the last token, returned as a view (the caller base64-encodes them at once).
let zout = new Uint8Array(1024)

/** One token being written: its JSON bytes in `json[0..p)`, their codes in `w`. */
class TokenDeflater {
  p = 0
  constructor(readonly json: Uint8Array, readonly w: BitWriter) {}

  /** Writes `len` bytes copied from JSON offset `from`, coded as one match (as literals when deflate cannot reach back that far). */
  repeat(len: number, from: number): void {
    const b = this.json
    const at = this.p
    for (let k = 0; k < len; k++) b[at + k] = b[from + k]!
    if (at - from > 32768) return this.values(at + len, false)
    this.w.match(T, len, at - from)
    this.p = at + len
  }

  /** Writes constant text with its precomputed codes. */
  constant(c: Chunk): void {
    const b = this.json
    const bytes = c.bytes
    const at = this.p
    for (let k = 0; k < bytes.length; k++) b[at + k] = bytes[k]!
    this.p = at + bytes.length
    const words = c.words
    const counts = c.counts
    const w = this.w
    for (let j = 0; j < words.length; j++) w.put(words[j]!, counts[j]!)
  }

  /**
   * Codes bytes json[p..end) that the caller has just written there (values: identifier, digits, base64). With
   * `runs`, three or more copies of the byte before are coded as one match.
   */
  values(end: number, runs: boolean): void {
    const b = this.json
    const w = this.w
    const lc = T.lit
    const lb = T.litBits
    for (let i = this.p; i < end; i++) {
      const x = b[i]!
      if (runs && x === b[i - 1] && i + 2 < end && b[i + 1] === x && b[i + 2] === x) {
        let m = 3
        while (i + m < end && m < 258 && b[i + m] === x) m++
        w.match(T, m, 1)
        i += m - 1
        continue
      }
      w.put(lc[x]!, lb[x]!)
    }
    this.p = end
  }

  /**
   * Writes standard padded base64 of src[0..n) and codes it. Every base64 character, '=' included, has an 8-bit code,
   * so two of them are one 16-bit put (the signature: no runs to look for; measured: UserSig 3.10 → 2.98 µs).
   */
  base64Values(src: Uint8Array, n: number): void {
    const b = this.json
    const end = base64EncodeInto(src, n, b, this.p, standardAlphabet(), 61)
    const w = this.w
    const lc = T.lit
    for (let p = this.p; p < end; p += 2) w.put(lc[b[p]!]! | (lc[b[p + 1]!]! << 8), 16)
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
      this.w.match(T, m, at - prevAt)
      this.p = at + m
    }
    this.values(end, true)
  }
}

const QUOTE_COLON = ascii('":')
const E_QUOTE_COLON = ascii('e":')

function chunk(text: string, ...matches: [at: number, len: number, dist: number][]): Chunk {
  const bytes = ascii(text)
  const words: number[] = []
  const counts: number[] = []
  let w = 0
  let c = 0
  const add = (code: number, n: number): void => {
    if (c + n > 16) {
      words.push(w)
      counts.push(c)
      w = 0
      c = 0
    }
    w |= code << c
    c += n
  }
  for (let i = 0; i < bytes.length;) {
    const m = matches.find(([at]) => at === i)
    if (m) {
      // A match to a fixed distance: its two codes, each short here (length <= 10, distance <= 256).
      const [, len, dist] = m
      add(T.len[len]!, T.lenBits[len]!)
      const dc = T.distLo[dist - 1]!
      add(T.distRev[dc]! | ((dist - T.distBase[dc]!) << 5), 5 + T.distExtra[dc]!)
      i += len
    } else {
      add(T.lit[bytes[i]!]!, T.litBits[bytes[i]!]!)
      i++
    }
  }
  if (c > 0) {
    words.push(w)
    counts.push(c)
  }
  return { bytes, words: Int32Array.from(words), counts: Uint8Array.from(counts) }
}

function chunks(): NonNullable<typeof CHUNKS> {
  if (CHUNKS) return CHUNKS
  T = fixedCodeTables()
  return (CHUNKS = {
    // '{"TLS.ver":"2.0","TLS.identifier":"' with '"TLS.' (distance 16) and 'er":"' as in 'ver":"' (distance 23).
    head: chunk('{"TLS.ver":"2.0","TLS.identifier":"', [17, 5, 16], [30, 5, 23]),
    sdkappid: chunk('sdkappid":'),
    time: chunk('time'),
    expire: chunk('expir'),
    userbuf: chunk('userbuf'),
    ig: chunk('ig'),
    end: chunk('"}'),
  })
}

/**
 * The zlib stream of the token JSON in the Node layout (_layout.ts) for these values, written in one pass: see above.
 * Returns a view of a buffer that the next call overwrites.
 */
export function deflatedJson(idJson: Uint8Array | string, sdkAppId: number, time: number, expire: number, userBuf: Uint8Array | null, mac: Uint8Array, userBufLength: number = userBuf === null ? 0 : userBuf.length): Uint8Array {
  const size = idJson.length + b64Len(userBuf, userBufLength) + 194
  const c = chunks()
  const b = ensure(size)
  // Fixed codes take at most 9 bits per byte, plus the header, the end of block and the checksum.
  if (zout.length < 2 * size + 16) zout = new Uint8Array(2 * size + 16)
  const z = new TokenDeflater(b, new BitWriter(zout))
  z.constant(c.head) // {"TLS.ver":"2.0","TLS.identifier":"
  if (typeof idJson === 'string') {
    // A plain identifier (isPlainIdentifier): its JSON literal is the characters in quotes.
    z.values(putAscii(b, z.p, idJson), false)
  } else {
    // A JSON string literal: its opening quote is in the head.
    for (let k = 1; k < idJson.length - 1; k++) b[z.p + k - 1] = idJson[k]!
    z.values(z.p + idJson.length - 2, false)
  }
  const idEnd = z.p // where the closing quote goes: it starts the repeat below
  z.repeat(7, 15) // '","TLS.' as after "2.0"
  z.constant(c.sdkappid)
  const sdkColon = z.p - 2
  z.values(putInt(b, z.p, sdkAppId), true)
  const timeAt = z.p
  z.repeat(6, idEnd + 1) // ',"TLS.'
  z.constant(c.time)
  const timeColon = z.p
  z.number(QUOTE_COLON, time, sdkColon)
  const expireAt = z.p
  z.repeat(6, timeAt)
  z.constant(c.expire)
  z.number(E_QUOTE_COLON, expire, timeColon - 1)
  let quoteColonQuote = 32 // the '":"' before the identifier
  if (userBuf !== null) {
    z.repeat(6, expireAt) // ',"TLS.'
    z.constant(c.userbuf)
    z.repeat(3, quoteColonQuote)
    quoteColonQuote = z.p - 3
    z.values(base64EncodeInto(userBuf, userBufLength, b, z.p, standardAlphabet(), 61), true)
    z.repeat(8, idEnd) // '","TLS.s' as in ","TLS.sdkappid"
  } else {
    z.repeat(7, idEnd + 1) // ',"TLS.s' as in ,"TLS.sdkappid"
  }
  z.constant(c.ig)
  z.repeat(3, quoteColonQuote) // '":"'
  z.base64Values(mac, mac.length)
  z.constant(c.end)
  return zout.subarray(0, z.w.finish(adler32Range(b, 0, z.p)))
}
