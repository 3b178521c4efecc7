/**
 * The strict JSON reader for token payloads, straight from the decompressed bytes. Unlike JSON.parse it rejects
 * duplicate keys (the official parsers disagree on which duplicate wins: FORMAT.md G30), rejects strings that are not
 * valid Unicode (bad UTF-8, or a `\ud800` escape without its pair), bounds depth and member count, and reports the
 * text of top-level numbers that are not written as plain digits, so the caller can refuse a second spelling of a
 * number (`1.0`, `1e3`, `-0`). Values are plain JSON values: ordinary objects and arrays, strings, numbers, booleans,
 * null ("__proto__" is an ordinary own member). Linear time: each byte is read once, duplicate checks are hash lookups.
 */
import { asciiString } from './_ascii.js'
import { utf8Decode } from './_utf8.js'

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject
export interface JsonObject { [key: string]: JsonValue }

export class JsonError extends Error {
  constructor(message: string, readonly position: number) {
    super(`${message} at position ${position}`)
  }
}

/** A token's JSON object. */
export interface TokenJson {
  members: JsonObject
  /** For each top-level number not written as digits alone with a safe-integer value: its text (null when none). */
  numberText: Record<string, string> | null
}

const MAX_DEPTH = 32
/** Members and array elements in one payload. Real tokens have 6 or 7. */
export const MAX_MEMBERS = 1024

const hasOwn = Object.prototype.hasOwnProperty

/** Reads `b[0..length)` as one JSON object. Throws JsonError for anything else. */
export function readJsonObject(b: Uint8Array, length: number): TokenJson {
  return new Reader(b, length).document()
}

class Reader {
  i = 0
  members = 0
  numberText: Record<string, string> | null = null
  constructor(readonly b: Uint8Array, readonly n: number) {}

  fail(message: string): never {
    throw new JsonError(message, this.i)
  }

  ws(): void {
    const b = this.b
    let i = this.i
    while (i < this.n) {
      const c = b[i]!
      if (c === 32 || c === 10 || c === 13 || c === 9) i++
      else break
    }
    this.i = i
  }

  document(): TokenJson {
    this.ws()
    if (this.b[this.i] !== 123 || this.i >= this.n) this.fail('the payload is not a JSON object')
    const members = this.object(1)
    this.ws()
    if (this.i !== this.n) this.fail('unexpected data after JSON')
    return { members, numberText: this.numberText }
  }

  count(): void {
    if (++this.members > MAX_MEMBERS) this.fail(`more than ${MAX_MEMBERS} members`)
  }

  value(depth: number, key: string | null): JsonValue {
    this.ws()
    const b = this.b
    const c = this.i < this.n ? b[this.i]! : -1
    if (c === 34) return this.string()
    if (c === 123) return this.object(depth + 1)
    if (c === 91) return this.array(depth + 1)
    if (c === 45 || (c >= 48 && c <= 57)) return this.number(depth === 1 ? key : null)
    if (this.word(c === 116 ? 'true' : c === 102 ? 'false' : c === 110 ? 'null' : '')) return c === 116 ? true : c === 102 ? false : null
    return this.fail(c < 0 ? 'unexpected end of JSON' : 'unexpected character')
  }

  word(w: string): boolean {
    if (w === '' || this.i + w.length > this.n) return false
    for (let k = 0; k < w.length; k++) if (this.b[this.i + k] !== w.charCodeAt(k)) return false
    this.i += w.length
    return true
  }

  /** After a member or element: true for ',' (more follow), false for the `close` bracket; anything else fails. */
  more(close: number): boolean {
    this.ws()
    const c = this.i < this.n ? this.b[this.i] : -1
    if (c !== 44 && c !== close) this.fail(`expected ',' or '${String.fromCharCode(close)}'`)
    this.i++
    return c === 44
  }

  object(depth: number): JsonObject {
    if (depth > MAX_DEPTH) this.fail('JSON nested too deeply')
    this.i++
    const o: JsonObject = {}
    this.ws()
    if (this.b[this.i] === 125 && this.i < this.n) {
      this.i++
      return o
    }
    for (;;) {
      this.ws()
      if (this.b[this.i] !== 34 || this.i >= this.n) this.fail('expected a key')
      const at = this.i
      const k = this.string()
      if (hasOwn.call(o, k)) {
        this.i = at
        this.fail('duplicate key')
      }
      this.count()
      this.ws()
      if (this.b[this.i] !== 58 || this.i >= this.n) this.fail("expected ':'")
      this.i++
      const v = this.value(depth, k)
      if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })
      else o[k] = v
      if (!this.more(125)) return o
    }
  }

  array(depth: number): JsonValue[] {
    if (depth > MAX_DEPTH) this.fail('JSON nested too deeply')
    this.i++
    const a: JsonValue[] = []
    this.ws()
    if (this.b[this.i] === 93 && this.i < this.n) {
      this.i++
      return a
    }
    for (;;) {
      this.count()
      a.push(this.value(depth, null))
      if (!this.more(93)) return a
    }
  }

  /**
   * The string whose opening quote is at b[i]. Keys too are made with asciiString: a table of known names matched by
   * bytes saved little, and bench:ab's tokens never reach this reader (they take the template, _tokenjson.ts).
   */
  string(): string {
    const b = this.b
    const n = this.n
    const start = ++this.i
    let i = start
    let high = false
    for (;;) {
      if (i >= n) {
        this.i = i
        this.fail('unterminated string')
      }
      const c = b[i]!
      if (c === 34) break
      if (c === 92) {
        this.i = i
        return this.escaped(start)
      }
      if (c < 0x20) {
        this.i = i
        this.fail('control character in string')
      }
      if (c > 0x7f) high = true
      i++
    }
    this.i = i + 1
    if (high) return this.utf8(start, i)
    return asciiString(b, start, i)
  }

  utf8(start: number, end: number): string {
    const s = utf8Decode(this.b, start, end)
    if (s === null) {
      this.i = start
      this.fail('string is not valid UTF-8')
    }
    return s
  }

  /**
   * The rest of a string with escapes; b[i] is the first backslash, the text before it starts at `start`. Code units
   * are collected in an array and turned into strings in chunks (appending one short string per escape grows
   * superlinearly in V8: 400,000 escapes took 0.7 s).
   */
  escaped(start: number): string {
    const b = this.b
    const n = this.n
    const units: number[] = []
    const parts: string[] = []
    const raw = (from: number, to: number): void => {
      const s = this.utf8(from, to)
      for (let k = 0; k < s.length; k++) units.push(s.charCodeAt(k))
    }
    let from = start
    let i = this.i
    for (;;) {
      if (i >= n) {
        this.i = i
        this.fail('unterminated string')
      }
      const c = b[i]!
      if (c === 34) break
      if (c < 0x20) {
        this.i = i
        this.fail('control character in string')
      }
      if (c !== 92) {
        i++
        continue
      }
      if (i > from) raw(from, i)
      const e = b[i + 1]
      this.i = i
      switch (e) {
        case 34: units.push(34); break
        case 92: units.push(92); break
        case 47: units.push(47); break
        case 98: units.push(8); break
        case 102: units.push(12); break
        case 110: units.push(10); break
        case 114: units.push(13); break
        case 116: units.push(9); break
        case 117: {
          const u = hex4(b, i + 2, n)
          if (u < 0) this.fail('bad \\u escape')
          if (u >= 0xdc00 && u <= 0xdfff) this.fail('lone surrogate escape')
          if (u >= 0xd800 && u <= 0xdbff) {
            // A high surrogate must be followed at once by the escape of a low one.
            const v = b[i + 6] === 92 && b[i + 7] === 117 ? hex4(b, i + 8, n) : -1
            if (v < 0xdc00 || v > 0xdfff) this.fail('lone surrogate escape')
            units.push(u, v)
            i += 6
          } else units.push(u)
          i += 4
          break
        }
        default: this.fail('bad escape')
      }
      i += 2
      from = i
      if (units.length >= 8192) {
        parts.push(String.fromCharCode.apply(null, units))
        units.length = 0
      }
    }
    if (i > from) raw(from, i)
    this.i = i + 1
    parts.push(String.fromCharCode.apply(null, units))
    return parts.length === 1 ? parts[0]! : parts.join('')
  }

  /**
   * A number, as JSON writes it. Digits alone (up to 2^53) are the common case, read without a string; anything else
   * goes through Number(), and at the top level its text is kept in numberText under `key`.
   */
  number(key: string | null): number {
    const b = this.b
    const n = this.n
    const start = this.i
    let i = start
    const negative = b[i] === 45
    if (negative) i++
    const intStart = i
    if (b[i] === 48 && i < n) i++
    else while (i < n && b[i]! >= 48 && b[i]! <= 57) i++
    let bad = i === intStart
    let integer = true
    if (i < n && b[i] === 46) {
      integer = false
      const f = ++i
      while (i < n && b[i]! >= 48 && b[i]! <= 57) i++
      bad ||= i === f
    }
    if (i < n && (b[i] === 101 || b[i] === 69)) {
      integer = false
      i++
      if (i < n && (b[i] === 43 || b[i] === 45)) i++
      const f = i
      while (i < n && b[i]! >= 48 && b[i]! <= 57) i++
      bad ||= i === f
    }
    this.i = i
    if (bad) this.fail('bad number')
    if (!negative && integer && i - start <= 15) {
      let v = 0
      for (let k = start; k < i; k++) v = v * 10 + (b[k]! - 48)
      return v
    }
    const text = asciiString(b, start, i)
    const v = Number(text)
    // A negative integer stays a plain number (the caller refuses it for its sign); -0 is a second spelling of 0.
    if (key !== null && !(integer && Number.isSafeInteger(v) && !(negative && v === 0))) (this.numberText ??= {})[key] = text
    return v
  }
}

/** The value of four hex digits at b[i..i+4), or -1. */
function hex4(b: Uint8Array, i: number, n: number): number {
  if (i + 4 > n) return -1
  let v = 0
  for (let k = i; k < i + 4; k++) {
    const c = b[k]!
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1
    if (d < 0) return -1
    v = (v << 4) | d
  }
  return v
}
