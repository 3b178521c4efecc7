/**
 * PEM (RFC 7468) reading and writing, tolerant of the ways key text gets damaged on its way into a config:
 * CRLF line ends, indentation, surrounding whitespace or quotes, `\n` written as a literal backslash-n (a .env or
 * JSON paste), and a repeated BEGIN line (as in one official sample). Everything else fails with a message that names
 * the problem and never contains the key's base64 body.
 * @module
 */
import { base64Encode, base64DecodeStrict } from './_base64.js'
import { UserSigError, type UserSigErrorCode } from './errors.js'

/** One decoded PEM block. */
export interface PemBlock {
  /** The label between `BEGIN ` and the dashes, e.g. `EC PRIVATE KEY`. */
  label: string
  /** RFC 1421 headers such as `Proc-Type` (only old OpenSSL encrypted keys have them). */
  headers: Record<string, string>
  /** The DER bytes. */
  der: Uint8Array
}

const BEGIN = /^-----BEGIN ([A-Z0-9 ]{1,40})-----$/
const END = /^-----END ([A-Z0-9 ]{1,40})-----$/
const HEX_SECRET = /^[0-9a-fA-F]{32,128}$/
/** Longest key text read: an EC key is under 1 KB, an RSA-4096 key about 3.3 KB; more is not a key file. */
export const MAX_PEM_LENGTH = 65536

/**
 * Undoes common paste damage: surrounding whitespace and quotes, literal `\n` / `\r\n` escapes, CRLF.
 * @example
 * normalizePemText('"-----BEGIN PUBLIC KEY-----\\nMFkw…\\n-----END PUBLIC KEY-----"') // real newlines, no quotes
 */
function normalizePemText(text: string): string {
  let t = text.trim()
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0]) t = t.slice(1, -1).trim()
  // Backslashes never occur in PEM, so every "\n" / "\r" pair is an escaped line end from a .env file or JSON string.
  if (t.includes('\\')) t = t.replace(/\\r\\n|\\n|\\r/g, '\n')
  return t.replace(/\r\n?/g, '\n')
}

/**
 * Splits PEM text into its blocks and decodes each body. Text outside blocks is ignored (OpenSSL does the same, e.g.
 * for "Bag Attributes" lines). Throws UserSigError(code) when there is no block, a block is unterminated, or a body
 * is not valid base64.
 * @param what "private key" or "public key", for messages
 * @example
 * readPem(pemText, 'INVALID_PUBLIC_KEY', 'public key') // [{ label: 'PUBLIC KEY', headers: {}, der }]
 */
export function readPem(text: string, code: UserSigErrorCode, what: string): PemBlock[] {
  const fail: (message: string, hint?: string) => never = (message, hint) => {
    throw new UserSigError(code, `${what}: ${message}`, hint === undefined ? {} : { hint })
  }
  if (text.length > MAX_PEM_LENGTH) fail(`the key text is ${text.length} characters long; a PEM key is at most ${MAX_PEM_LENGTH}`, 'pass only the PEM file of the key')
  const t = normalizePemText(text)
  if (t === '') fail('the key text is empty', 'pass the whole text of the PEM file, including its -----BEGIN and -----END lines')
  if (!t.includes('-----BEGIN')) {
    if (HEX_SECRET.test(t)) {
      fail('this looks like a v2 secret key (a hex string), not a PEM key',
        'apps created after 2019-07-19 sign with HMAC-SHA256: use createSigner({ sdkAppId, secretKey }) from "usersig"; the legacy API needs the PEM key files of an older app')
    }
    if (t.includes('-----END')) fail('the text has an END line but no BEGIN line', 'the PEM text is cut off at the start; copy the whole file')
    fail('no "-----BEGIN …-----" line found: this is not a PEM key',
      'pass the whole text of the PEM file, including its -----BEGIN and -----END lines')
  }

  const blocks: PemBlock[] = []
  let label: string | undefined
  let headers: Record<string, string> = {}
  let body = ''
  let lineNo = 0
  for (const raw of t.split('\n')) {
    lineNo++
    const line = raw.trim()
    const begin = BEGIN.exec(line)
    if (begin) {
      // A repeated BEGIN line of the same label restarts the block (seen in an official sample); another label means
      // the END line of the open block is missing.
      if (label !== undefined && begin[1] !== label) fail(`the ${label} block has no END line before line ${lineNo}`, 'the PEM text is cut off; copy the whole file')
      label = begin[1]!
      headers = {}
      body = ''
      continue
    }
    const end = END.exec(line)
    if (end) {
      if (label === undefined) fail(`line ${lineNo} has an END ${end[1]} line without a BEGIN line`, 'the PEM text is cut off at the start; copy the whole file')
      if (end[1] !== label) fail(`the BEGIN ${label} block ends with END ${end[1]}`)
      blocks.push({ label, headers, der: decodeBody(body, label, fail) })
      label = undefined
      continue
    }
    if (label === undefined || line === '') continue
    const colon = line.indexOf(':')
    if (colon > 0 && body === '') {
      headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim()
      continue
    }
    if (line.startsWith('-----')) fail(`line ${lineNo} of the ${label} block is a damaged BEGIN/END line`)
    body += line
  }
  if (label !== undefined) fail(`the ${label} block has no END line`, 'the PEM text is cut off; copy the whole file')
  if (blocks.length === 0) fail('no complete PEM block found')
  return blocks
}

function decodeBody(body: string, label: string, fail: (m: string, h?: string) => never): Uint8Array {
  if (body === '') fail(`the ${label} block is empty`)
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i)
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 61
    if (!ok) {
      const shown = c >= 0x21 && c <= 0x7e ? `'${String.fromCharCode(c)}'` : `U+${c.toString(16).toUpperCase().padStart(4, '0')}`
      fail(`the base64 body of the ${label} block contains the character ${shown}, which is not base64`)
    }
  }
  if (body.length % 4 !== 0) {
    fail(`the base64 body of the ${label} block is truncated or damaged (its length is not a multiple of 4)`, 'copy the whole PEM file again')
  }
  const der = base64DecodeStrict(body)
  if (der === null) fail(`the base64 body of the ${label} block is damaged (misplaced padding)`, 'copy the whole PEM file again')
  return der
}

/**
 * Formats DER bytes as a PEM block with 64-character lines and a trailing newline.
 * @example
 * writePem('PUBLIC KEY', spkiDer) // '-----BEGIN PUBLIC KEY-----\nMFYw…\n-----END PUBLIC KEY-----\n'
 */
export function writePem(label: string, der: Uint8Array): string {
  const b64 = base64Encode(der)
  let out = `-----BEGIN ${label}-----\n`
  for (let i = 0; i < b64.length; i += 64) out += b64.slice(i, i + 64) + '\n'
  return out + `-----END ${label}-----\n`
}
