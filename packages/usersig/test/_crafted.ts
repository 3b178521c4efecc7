/** Correctly signed token JSON with chosen spellings, for the crafted-payload tests. */
import { createHmac } from 'node:crypto'
import { tencentBase64Encode } from '../src/_base64.js'
import { zlibCompress } from '../src/_deflate.js'

export const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
export const APP = 1400000000
export const T = 1700000000
export const E = 86400
export const NOW = T + 10

/** A token of these JSON bytes. */
export function tokenOf(json: string | Uint8Array): string {
  return tencentBase64Encode(zlibCompress(typeof json === 'string' ? new TextEncoder().encode(json) : json))
}

/** The correct TLS.sig for these values, in standard base64. */
export function sigFor(id: string, time = T, expire = E, app = APP): string {
  return createHmac('sha256', KEY).update(`TLS.identifier:${id}\nTLS.sdkappid:${app}\nTLS.time:${time}\nTLS.expire:${expire}\n`).digest('base64')
}

/** The members of a correctly signed token for `id`, before the raw JSON `extra` text (without braces). */
export function signedJson(id: string, { time = String(T), expire = String(E), sig = sigFor(id), extra = '', idJson = JSON.stringify(id) } = {}): string {
  return `{"TLS.ver":"2.0","TLS.identifier":${idJson},"TLS.sdkappid":${APP},"TLS.time":${time},"TLS.expire":${expire},"TLS.sig":"${sig}"${extra}}`
}

