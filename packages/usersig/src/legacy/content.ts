/**
 * The exact text a legacy (v1) UserSig signs (docs/spec/format.md §3, docs/spec/verify.md §4).
 * @module
 */
import { malformed } from '../errors.js'

// Signed lines in their fixed order; the JSON's own order never matters. TLS.version is never signed.
const LINES = ['TLS.account_type', 'TLS.identifier', 'TLS.sdk_appid', 'TLS.time', 'TLS.expire_after'] as const
const APPID_AT_3RD = 'TLS.appid_at_3rd'
const USERBUF = 'TLS.userbuf'

function value(fields: Record<string, unknown>, key: string): string {
  if (!Object.hasOwn(fields, key)) throw malformed('fields', `${key} is missing`)
  const v = fields[key]
  if (typeof v !== 'string') throw malformed('fields', `${key} must be a string in a legacy UserSig, found ${v === null ? 'null' : typeof v}`)
  // One line per field: a value with a line break could pose as the next line (the userbuf is base64, the last line).
  if (key !== USERBUF && v.includes('\n')) throw malformed('fields', `${key} contains a line break, which a legacy UserSig cannot sign unambiguously`)
  return v
}

/**
 * Builds the signed content of a legacy UserSig from its decoded JSON fields:
 *
 * ```
 * [TLS.appid_at_3rd:v\n]  (only if the field is present; always in the userbuf form)
 * TLS.account_type:v\n  TLS.identifier:v\n  TLS.sdk_appid:v\n  TLS.time:v\n  TLS.expire_after:v\n
 * [TLS.userbuf:v\n]       (userbuf form)
 * ```
 *
 * Values are the raw strings, unescaped. A missing or non-string field, or a line break in a field other than the
 * userbuf (it could pose as another line), makes the token malformed: throws
 * UserSigError MALFORMED with stage `fields`, and the caller decides how to report it.
 * @example
 * legacySignedContent({ 'TLS.account_type': '0', 'TLS.identifier': 'xiaojun', 'TLS.appid_at_3rd': '0',
 *   'TLS.sdk_appid': '1400000000', 'TLS.expire_after': '15552000', 'TLS.time': '1700000000' }, false)
 * // 'TLS.appid_at_3rd:0\nTLS.account_type:0\nTLS.identifier:xiaojun\nTLS.sdk_appid:1400000000\n'
 * //   + 'TLS.time:1700000000\nTLS.expire_after:15552000\n'
 */
export function legacySignedContent(fields: Record<string, unknown>, withUserBuf: boolean): string {
  let out = ''
  if (withUserBuf || Object.hasOwn(fields, APPID_AT_3RD)) out += `${APPID_AT_3RD}:${value(fields, APPID_AT_3RD)}\n`
  for (const key of LINES) out += `${key}:${value(fields, key)}\n`
  if (withUserBuf) out += `${USERBUF}:${value(fields, USERBUF)}\n`
  return out
}
