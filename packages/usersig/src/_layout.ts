/**
 * The token JSON layout of the official Node signer, compact, which usersig's signer writes (_payload.ts) and its
 * decoder reads fastest (_tokenjson.ts):
 *   {"TLS.ver":"2.0","TLS.identifier":"…","TLS.sdkappid":N,"TLS.time":N,"TLS.expire":N[,"TLS.userbuf":"…"],"TLS.sig":"…"}
 * These are the constant texts before each value.
 */
import { asciiBytes } from './_ascii.js'

export const HEAD = asciiBytes('{"TLS.ver":"2.0","TLS.identifier":')
export const SDKAPPID = asciiBytes(',"TLS.sdkappid":')
export const TIME = asciiBytes(',"TLS.time":')
export const EXPIRE = asciiBytes(',"TLS.expire":')
export const USERBUF = asciiBytes(',"TLS.userbuf":"')
export const SIG = asciiBytes(',"TLS.sig":"')
