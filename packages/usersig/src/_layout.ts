/**
 * The token JSON layout of the official Node signer, compact, which usersig's signer writes (_payload.ts) and its
 * decoder reads fastest (_tokenjson.ts):
 *   {"TLS.ver":"2.0","TLS.identifier":"…","TLS.sdkappid":N,"TLS.time":N,"TLS.expire":N[,"TLS.userbuf":"…"],"TLS.sig":"…"}
 * These are the constant texts before each value.
 */
import { asciiBytes } from './_ascii.js'

export const HEAD: Uint8Array = asciiBytes('{"TLS.ver":"2.0","TLS.identifier":')
export const SDKAPPID: Uint8Array = asciiBytes(',"TLS.sdkappid":')
export const TIME: Uint8Array = asciiBytes(',"TLS.time":')
export const EXPIRE: Uint8Array = asciiBytes(',"TLS.expire":')
export const USERBUF: Uint8Array = asciiBytes(',"TLS.userbuf":"')
export const SIG: Uint8Array = asciiBytes(',"TLS.sig":"')
