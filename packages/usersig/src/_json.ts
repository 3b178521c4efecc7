/**
 * A strict JSON reader for token payloads. Unlike JSON.parse it rejects duplicate keys (the official parsers disagree on
 * which duplicate wins: FORMAT.md G30), remembers whether a number was written as an integer, and bounds depth and
 * member counts. Objects have a null prototype, so "__proto__" is an ordinary key.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject
export interface JsonObject { [key: string]: JsonValue }

export class JsonError extends Error {
  constructor(message: string, readonly position: number) {
    super(message)
  }
}

const MAX_DEPTH = 32
const MAX_MEMBERS = 1024

/** Integers are kept as numbers; a number written with a fraction or exponent is wrapped so callers can reject it. */
export class JsonNumberLiteral {
  constructor(readonly raw: string, readonly value: number) {}
}

export function parseJsonStrict(text: string): JsonValue {
  let i = 0
  const n = text.length
  let members = 0

  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i)
      if (c === 32 || c === 9 || c === 10 || c === 13) i++
      else break
    }
  }
  const fail = (msg: string): never => { throw new JsonError(`${msg} at position ${i}`, i) }

  const str = (): string => {
    // i at opening quote
    i++
    let out = ''
    let start = i
    for (;;) {
      if (i >= n) fail('unterminated string')
      const c = text.charCodeAt(i)
      if (c === 34) { out += text.slice(start, i); i++; return out }
      if (c < 0x20) fail('control character in string')
      if (c === 92) {
        out += text.slice(start, i)
        const e = text.charCodeAt(i + 1)
        i += 2
        switch (e) {
          case 34: out += '"'; break
          case 92: out += '\\'; break
          case 47: out += '/'; break
          case 98: out += '\b'; break
          case 102: out += '\f'; break
          case 110: out += '\n'; break
          case 114: out += '\r'; break
          case 116: out += '\t'; break
          case 117: {
            const h = text.slice(i, i + 4)
            if (!/^[0-9a-fA-F]{4}$/.test(h)) fail('bad \\u escape')
            out += String.fromCharCode(parseInt(h, 16))
            i += 4
            break
          }
          default: i -= 2; fail('bad escape')
        }
        start = i
        continue
      }
      i++
    }
  }

  const num = (): number | JsonNumberLiteral => {
    const m = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y
    m.lastIndex = i
    const r = m.exec(text)
    if (!r || r[0].length === 0 || r[0] === '-') fail('bad number')
    const raw = r![0]
    i += raw.length
    const value = Number(raw)
    if (r![1] !== undefined || r![2] !== undefined) return new JsonNumberLiteral(raw, value)
    if (!Number.isSafeInteger(value)) return new JsonNumberLiteral(raw, value)
    return value
  }

  const val = (depth: number): JsonValue | JsonNumberLiteral => {
    ws()
    if (i >= n) fail('unexpected end of JSON')
    const c = text.charCodeAt(i)
    if (c === 123) return obj(depth + 1)
    if (c === 91) return arr(depth + 1)
    if (c === 34) return str()
    if (c === 116 && text.startsWith('true', i)) { i += 4; return true }
    if (c === 102 && text.startsWith('false', i)) { i += 5; return false }
    if (c === 110 && text.startsWith('null', i)) { i += 4; return null }
    if (c === 45 || (c >= 48 && c <= 57)) return num()
    return fail('unexpected character')
  }

  const obj = (depth: number): JsonObject => {
    if (depth > MAX_DEPTH) fail('JSON nested too deeply')
    i++
    const o: JsonObject = Object.create(null)
    ws()
    if (text.charCodeAt(i) === 125) { i++; return o }
    for (;;) {
      ws()
      if (text.charCodeAt(i) !== 34) fail('expected a key')
      const keyPos = i
      const k = str()
      if (Object.prototype.hasOwnProperty.call(o, k)) { i = keyPos; fail(`duplicate key "${k.slice(0, 40)}"`) }
      if (++members > MAX_MEMBERS) fail('too many members')
      ws()
      if (text.charCodeAt(i) !== 58) fail("expected ':'")
      i++
      o[k] = val(depth) as JsonValue
      ws()
      const c = text.charCodeAt(i)
      if (c === 44) { i++; continue }
      if (c === 125) { i++; return o }
      fail("expected ',' or '}'")
    }
  }

  const arr = (depth: number): JsonValue[] => {
    if (depth > MAX_DEPTH) fail('JSON nested too deeply')
    i++
    const a: JsonValue[] = []
    ws()
    if (text.charCodeAt(i) === 93) { i++; return a }
    for (;;) {
      if (++members > MAX_MEMBERS) fail('too many members')
      a.push(val(depth) as JsonValue)
      ws()
      const c = text.charCodeAt(i)
      if (c === 44) { i++; continue }
      if (c === 93) { i++; return a }
      fail("expected ',' or ']'")
    }
  }

  const v = val(0)
  ws()
  if (i !== n) fail('unexpected data after JSON')
  return v as JsonValue
}

/** JSON string literal for the compact, raw-UTF-8 layout we sign (same escaping as JSON.stringify). */
export const jsonString: (s: string) => string = JSON.stringify
