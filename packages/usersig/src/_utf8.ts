import { asciiString } from './_ascii.js'

/** UTF-8 without TextEncoder/TextDecoder (absent in WeChat mini-programs and bare ECMAScript hosts). */

/** Encodes a string as UTF-8. Lone surrogates become U+FFFD, as TextEncoder does. */
export function utf8Encode(s: string): Uint8Array {
  const n = s.length
  // Fast path: pure ASCII (the usual UserID and JSON).
  let ascii = true
  for (let i = 0; i < n; i++) if (s.charCodeAt(i) > 0x7f) { ascii = false; break }
  if (ascii) {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) out[i] = s.charCodeAt(i)
    return out
  }
  const out = new Uint8Array(n * 3)
  let o = 0
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i)
    if (c < 0x80) { out[o++] = c; continue }
    if (c < 0x800) { out[o++] = 0xc0 | (c >> 6); out[o++] = 0x80 | (c & 63); continue }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00)
        i++
        out[o++] = 0xf0 | (c >> 18)
        out[o++] = 0x80 | ((c >> 12) & 63)
        out[o++] = 0x80 | ((c >> 6) & 63)
        out[o++] = 0x80 | (c & 63)
        continue
      }
      c = 0xfffd
    }
    out[o++] = 0xe0 | (c >> 12)
    out[o++] = 0x80 | ((c >> 6) & 63)
    out[o++] = 0x80 | (c & 63)
  }
  return out.slice(0, o)
}

/** Number of UTF-8 bytes of a string. */
export function utf8Length(s: string): number {
  let len = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) len += 1
    else if (c < 0x800) len += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { len += 4; i++ }
    else len += 3
  }
  return len
}

/**
 * Decodes UTF-8. Returns null when the bytes are not well-formed UTF-8 (overlong forms, surrogates, truncated
 * sequences), so a token's JSON can be rejected rather than silently repaired.
 */
export function utf8Decode(b: Uint8Array, start: number = 0, end: number = b.length): string | null {
  // ASCII fast path: one String.fromCharCode call over the bytes.
  let k = start
  while (k < end && b[k]! < 0x80) k++
  if (k === end) return asciiString(b, start, end)
  let out = ''
  let chunk: number[] = []
  for (let i = start; i < end; ) {
    const c = b[i]!
    let cp: number
    if (c < 0x80) { cp = c; i += 1 }
    else if (c >= 0xc2 && c <= 0xdf) {
      const c1 = b[i + 1]
      if (i + 1 >= end || c1 === undefined || (c1 & 0xc0) !== 0x80) return null
      cp = ((c & 31) << 6) | (c1 & 63); i += 2
    } else if (c >= 0xe0 && c <= 0xef) {
      if (i + 2 >= end) return null
      const c1 = b[i + 1]!, c2 = b[i + 2]!
      if ((c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80) return null
      cp = ((c & 15) << 12) | ((c1 & 63) << 6) | (c2 & 63)
      if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) return null
      i += 3
    } else if (c >= 0xf0 && c <= 0xf4) {
      if (i + 3 >= end) return null
      const c1 = b[i + 1]!, c2 = b[i + 2]!, c3 = b[i + 3]!
      if ((c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80 || (c3 & 0xc0) !== 0x80) return null
      cp = ((c & 7) << 18) | ((c1 & 63) << 12) | ((c2 & 63) << 6) | (c3 & 63)
      if (cp < 0x10000 || cp > 0x10ffff) return null
      i += 4
    } else return null
    if (cp > 0xffff) {
      cp -= 0x10000
      chunk.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 1023))
    } else chunk.push(cp)
    if (chunk.length > 4096) { out += String.fromCharCode.apply(null, chunk); chunk = [] }
  }
  return out + String.fromCharCode.apply(null, chunk)
}
