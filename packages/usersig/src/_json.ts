/**
 * The strict JSON reader for token payloads, straight from the decompressed bytes: the host's JSON.parse reads the
 * values (plain JSON values: ordinary objects and arrays, "__proto__" an ordinary own member), and one linear scan of
 * the bytes adds what JSON.parse does not check. It refuses duplicate keys (the official parsers disagree on which
 * duplicate wins: docs/spec/verify.md §3.1 step 3), strings that are not valid Unicode (bad UTF-8, or a `\ud800` escape without its
 * pair), nesting deeper than 32 and more than 1024 members and elements (counted in the scan, so a payload past the
 * bound is refused before JSON.parse sees it); and it reports the text of top-level numbers
 * not written as plain digits, so the caller can refuse a second spelling of a number (`1.0`, `1e3`, `-0`).
 */
import { asciiString } from './_ascii.js'
import { utf8Decode } from './_utf8.js'

type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject
export interface JsonObject { [key: string]: JsonValue }

/** Why a payload is not a token's JSON object. */
export class JsonError extends Error {}

/** A token's JSON object. */
export interface TokenJson {
  members: JsonObject
  /** For each top-level number not written as digits alone with a safe-integer value: its text (null when none). */
  numberText: Record<string, string> | null
}

const MAX_DEPTH = 32
/** Members and array elements in one payload. Real tokens have 6 or 7. */
const MAX_MEMBERS = 1024

function fail(message: string): never {
  throw new JsonError(message)
}

/** b[start..end) as text; JsonError when it is not UTF-8. */
function utf8Text(b: Uint8Array, start: number, end: number): string {
  return utf8Decode(b, start, end) ?? fail('string is not valid UTF-8')
}

/** The value of four hex digits at b[i..i+4), or -1. */
function hex4(b: Uint8Array, i: number): number {
  let v = 0
  for (let k = i; k < i + 4; k++) {
    const c = b[k]! | 32 // lower case; an absent byte (undefined) becomes 32, not a digit
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1
    if (d < 0) return -1
    v = (v << 4) | d
  }
  return v
}

/**
 * True when the array opened just before b[i] has an element: its first byte after whitespace is not ']'. (Other
 * control bytes are skipped too: JSON.parse refuses them there anyway.)
 */
function firstElement(b: Uint8Array, i: number, n: number): boolean {
  while (i < n && b[i]! <= 32) i++
  return i < n && b[i] !== 93
}

/** Reads `b[0..n)` as one JSON object. Throws JsonError for anything else. */
export function readJsonObject(b: Uint8Array, n: number): TokenJson {
  // One pass outside JSON.parse: depth, object members (one ':' each, outside strings), array elements (one ',' each
  // after the first, which is a value after '['), escapes, top-level numbers. The member bound fails as soon as the
  // count passes it: JSON.parse never sees more than MAX_MEMBERS members (measured before: 1.5 million duplicate
  // members under a raised maxDecompressedBytes took 341–611 ms in JSON.parse; test/json-bound.slow.test.ts).
  let depth = 0
  let colons = 0
  // Members and array elements so far; bit `depth` of `arrays` is set when the container at that depth is an array.
  let count = 0
  let arrays = 0
  let nested = false
  let high = false
  let keyStart = 0
  let keyEnd = 0
  // Top-level numbers with another spelling, as [key start, key end, text] runs; their keys are read after parsing.
  const spelled: (number | string)[] = []
  for (let i = 0; i < n; i++) {
    const c = b[i]!
    if (c === 34) {
      const start = ++i
      for (; i < n; i++) {
        const d = b[i]!
        if (d === 34) break
        if (d > 0x7f) high = true
        else if (d === 92) {
          if (b[++i] !== 117) continue
          const u = hex4(b, i + 1)
          if (u >= 0xd800 && u <= 0xdfff) {
            // A high surrogate must be followed at once by the escape of a low one.
            const v = u < 0xdc00 && b[i + 5] === 92 && b[i + 6] === 117 ? hex4(b, i + 7) : -1
            if (v < 0xdc00 || v > 0xdfff) fail('lone surrogate escape')
            i += 6
          }
          i += 4
        }
      }
      if (depth === 1) {
        keyStart = start
        keyEnd = i
      }
    } else if (c === 123 || c === 91) {
      if (++depth > MAX_DEPTH) fail('JSON nested too deeply')
      if (depth > 1) nested = true
      arrays = c === 91 ? arrays | (1 << depth) : arrays & ~(1 << depth)
      if (c === 91 && firstElement(b, i + 1, n)) count++
    } else if (c === 125 || c === 93) depth--
    else if (c === 58) {
      colons++
      count++
    } else if (c === 44 && (arrays >>> depth) & 1) count++
    else if (depth === 1 && (c === 45 || (c >= 48 && c <= 57))) {
      // A top-level number: digits alone, up to 15 of them, are its one spelling.
      const start = i
      let plain = c !== 45
      while (i + 1 < n && (((b[i + 1]! - 48) >>> 0) <= 9 || b[i + 1] === 46 || (b[i + 1]! | 32) === 101 || b[i + 1] === 43 || b[i + 1] === 45)) {
        if (((b[++i]! - 48) >>> 0) > 9) plain = false
      }
      if (!plain || i - start >= 15) {
        const text = asciiString(b, start, i + 1)
        const v = Number(text)
        // A negative integer stays a plain number (the caller refuses it for its sign); -0 is a second spelling of 0.
        if (!(Number.isSafeInteger(v) && /^-?[0-9]+$/.test(text) && text !== '-0')) spelled.push(keyStart, keyEnd, text)
      }
    }
    if (count > MAX_MEMBERS) fail(`more than ${MAX_MEMBERS} members`)
  }
  let members: unknown
  try {
    members = JSON.parse(high ? utf8Text(b, 0, n) : asciiString(b, 0, n))
  } catch (e) {
    if (e instanceof JsonError) throw e
    fail('a syntax error')
  }
  if (members === null || typeof members !== 'object' || Array.isArray(members)) fail('the payload is not a JSON object')
  const o = members as JsonObject
  // Every member is one ':' in the text: fewer keys than colons means a key was repeated (JSON.parse keeps the last).
  let keys = 0
  if (nested) {
    const walk = (v: JsonValue): void => {
      if (v === null || typeof v !== 'object') return
      if (Array.isArray(v)) {
        for (const x of v) walk(x)
        return
      }
      for (const k in v) {
        keys++
        walk(v[k]!)
      }
    }
    walk(o)
  } else keys = Object.keys(o).length
  if (keys !== colons) fail('duplicate key')
  let numberText: Record<string, string> | null = null
  for (let k = 0; k < spelled.length; k += 3) {
    const key = JSON.parse(utf8Text(b, (spelled[k] as number) - 1, (spelled[k + 1] as number) + 1)) as string
    ;(numberText ??= {})[key] = spelled[k + 2] as string
  }
  return { members: o, numberText }
}
