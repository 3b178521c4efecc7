/**
 * Plain, slow reference forms that the fast paths of src/ are tested against (they are not part of the library).
 */
import { createHmac } from 'node:crypto'
import { identifierBytes, isPlainIdentifier, signedToken } from '../src/_payload.js'
import { HmacSha256Key } from '../src/_sha256.js'
import { utf8Encode } from '../src/_utf8.js'

/** Strict standard base64 decode, one character at a time: padding required, unused bits zero, else null. */
export function base64DecodeStrictReference(input: string): Uint8Array | null {
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  const len = input.length
  if (len % 4 !== 0) return null
  const out: number[] = []
  for (let i = 0; i < len; i += 4) {
    const last = i + 4 === len
    const group = input.slice(i, i + 4)
    const pads = last ? (group.endsWith('==') ? 2 : group.endsWith('=') ? 1 : 0) : 0
    let v = 0
    for (let j = 0; j < 4 - pads; j++) {
      const d = ALPHABET.indexOf(group[j]!)
      if (d < 0) return null
      v = (v << 6) | d
    }
    v <<= 6 * pads
    if (pads === 1 && (v & 0xff) !== 0) return null
    if (pads === 2 && (v & 0xffff) !== 0) return null
    out.push((v >>> 16) & 0xff)
    if (pads < 2) out.push((v >>> 8) & 0xff)
    if (pads < 1) out.push(v & 0xff)
  }
  return Uint8Array.from(out)
}

const b64 = (v: Uint8Array | string): string => (typeof v === 'string' ? v : Buffer.from(v).toString('base64'))

/**
 * The token JSON in the official Node layout, as the signer's one-pass writer must produce it. `idJson` is a plain
 * identifier (written in quotes as is) or the bytes of its JSON string literal.
 */
export function tokenJsonBytes(idJson: Uint8Array | string, sdkAppId: number, time: number, expire: number, userBuf: Uint8Array | string | null, sig: Uint8Array | string): Uint8Array {
  const id = typeof idJson === 'string' ? `"${idJson}"` : Buffer.from(idJson).toString('utf8')
  const text = `{"TLS.ver":"2.0","TLS.identifier":${id},"TLS.sdkappid":${sdkAppId},"TLS.time":${time},"TLS.expire":${expire}` +
    (userBuf === null ? '' : `,"TLS.userbuf":"${b64(userBuf)}"`) + `,"TLS.sig":"${b64(sig)}"}`
  return new Uint8Array(Buffer.from(text, 'utf8'))
}

/** The HMAC input of docs/spec/format.md §2.2 built as a string. The userbuf line is present iff a userbuf is used (even an empty one). */
export function hmacContent(identifier: string, sdkAppId: number, time: number, expire: number, userBufB64: string | null): string {
  let s = 'TLS.identifier:' + identifier + '\nTLS.sdkappid:' + sdkAppId + '\nTLS.time:' + time + '\nTLS.expire:' + expire + '\n'
  if (userBufB64 !== null) s += 'TLS.userbuf:' + userBufB64 + '\n'
  return s
}

/**
 * The zlib stream inside a token written by the signer's one-pass writer (signedToken) for these values under `key`,
 * and the HMAC that the token must carry (computed here by node:crypto from the string form of the content).
 */
export function signedStream(key: string, id: string, sdkAppId: number, time: number, expire: number, userBuf: Uint8Array | null): { z: Uint8Array; mac: Uint8Array } {
  const token = signedToken(new HmacSha256Key(utf8Encode(key)), isPlainIdentifier(id) ? id : identifierBytes(id), sdkAppId, time, expire, userBuf, userBuf === null ? 0 : userBuf.length)
  const z = new Uint8Array(Buffer.from(token.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '='), 'base64'))
  const mac = new Uint8Array(createHmac('sha256', key).update(hmacContent(id, sdkAppId, time, expire, userBuf === null ? null : b64(userBuf))).digest())
  return { z, mac }
}
