/**
 * The signer mistakes of issue 15 §1, each producing a bad token the way the faulty signer does: the official
 * `tls-sig-api-v2` package given the mangled key or SDKAppID, or the content built by hand with the known bug. The core,
 * CLI and HTTP tests all run these cases.
 */
import { createHmac } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import { Official, frozen } from './_official.js'

export const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
export const OTHER_KEY = '0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9'
export const APP = 1400000001
export const T = 1700000000
export const EXPIRE = 86400

function tencentB64(b: Buffer): string {
  return b.toString('base64').replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_')
}

/** A token whose JSON says `fields` and whose TLS.sig is the HMAC of `content` under `key`. */
function handMade(key: Buffer | string, content: string, id = 'alice'): string {
  const sig = createHmac('sha256', key).update(content).digest('base64')
  const json = { 'TLS.ver': '2.0', 'TLS.identifier': id, 'TLS.sdkappid': APP, 'TLS.time': T, 'TLS.expire': EXPIRE, 'TLS.sig': sig }
  return tencentB64(deflateSync(JSON.stringify(json)))
}

const body = (id: string, app: string, expire = String(EXPIRE), extra = '') => `TLS.identifier:${id}\nTLS.sdkappid:${app}\nTLS.time:${T}\nTLS.expire:${expire}\n${extra}`
const official = (app: unknown, key: string, id = 'alice') => frozen(T, () => new Official.Api(app as number, key).genSig(id, EXPIRE) as string)

export interface ForensicCase {
  name: string
  token: string
  code: 'KEY_WHITESPACE' | 'SIGNER_KEY_MANGLED' | 'SIGNER_CONTENT_BUG' | 'SIGNED_BY_OTHER_KEY'
  /** A phrase of the finding's message. */
  says: RegExp
  /** What the user believes (passed to explain as userId), when the case needs it. */
  userId?: string
  /** Another key the user has, with its name. */
  other?: { id: string; secretKey: string }
  /** The key the user gives, when not KEY. */
  givenKey?: string
}

export const CASES: readonly ForensicCase[] = [
  { name: 'key read from a file with \\n', token: official(APP, KEY + '\n'), code: 'SIGNER_KEY_MANGLED', says: /trailing line feed/ },
  { name: 'key read from a Windows file with \\r\\n', token: official(APP, KEY + '\r\n'), code: 'SIGNER_KEY_MANGLED', says: /CR LF/ },
  { name: 'key with a trailing space', token: official(APP, KEY + ' '), code: 'SIGNER_KEY_MANGLED', says: /trailing space/ },
  { name: 'key with a BOM', token: official(APP, '\uFEFF' + KEY), code: 'SIGNER_KEY_MANGLED', says: /byte order mark/ },
  { name: 'key in double quotes', token: official(APP, `"${KEY}"`), code: 'SIGNER_KEY_MANGLED', says: /double quotes/ },
  { name: 'key in single quotes', token: official(APP, `'${KEY}'`), code: 'SIGNER_KEY_MANGLED', says: /single quotes/ },
  { name: 'key hex-decoded', token: handMade(Buffer.from(KEY, 'hex'), body('alice', String(APP))), code: 'SIGNER_KEY_MANGLED', says: /hex-decoded/ },
  { name: 'key base64-decoded', token: handMade(Buffer.from(Buffer.from(KEY, 'hex').toString('base64'), 'base64'), body('alice', String(APP))), code: 'SIGNER_KEY_MANGLED', says: /base64-decoded/, givenKey: Buffer.from(KEY, 'hex').toString('base64') },
  { name: 'key upper-cased', token: official(APP, KEY.toUpperCase()), code: 'SIGNER_KEY_MANGLED', says: /upper-cased/ },
  { name: 'key lower-cased', token: official(APP, KEY), code: 'SIGNER_KEY_MANGLED', says: /lower-cased/, givenKey: KEY.toUpperCase() },
  { name: 'signer trimmed the key the user has with a newline', token: official(APP, KEY), code: 'KEY_WHITESPACE', says: /surrounding whitespace/, givenKey: KEY + '\n' },
  { name: 'SDKAppID as text " 1400000001" (official Node signer)', token: official(' ' + APP, KEY), code: 'SIGNER_CONTENT_BUG', says: /leading space.*official Node/ },
  { name: 'SDKAppID as text with a trailing newline', token: official(APP + '\n', KEY), code: 'SIGNER_CONTENT_BUG', says: /trailing line feed/ },
  { name: 'empty userbuf line signed, field left out (go-v2-head, FORMAT G2)', token: handMade(KEY, body('alice', String(APP), String(EXPIRE), 'TLS.userbuf:\n')), code: 'SIGNER_CONTENT_BUG', says: /empty "TLS.userbuf"/ },
  { name: 'float lifetime in the content (python-v2, FORMAT G29)', token: handMade(KEY, body('alice', String(APP), EXPIRE + '.0')), code: 'SIGNER_CONTENT_BUG', says: /float/ },
  { name: '"undefined" lifetime in the content (node-v2, FORMAT G29)', token: handMade(KEY, body('alice', String(APP), 'undefined')), code: 'SIGNER_CONTENT_BUG', says: /undefined/ },
  { name: 'signed the UserID the caller believes, wrote another', token: handMade(KEY, body('alice', String(APP)), 'alice2'), code: 'SIGNER_CONTENT_BUG', says: /UserID you gave/, userId: 'alice' },
  { name: 'signed by another key the user has', token: official(APP, OTHER_KEY), code: 'SIGNED_BY_OTHER_KEY', says: /staging/, other: { id: 'staging', secretKey: OTHER_KEY } },
]
