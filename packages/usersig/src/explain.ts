/**
 * explainUserSig: answers "why is my UserSig rejected?" offline (VERIFY.md §5, ERRORS.md). It runs the verifier's one
 * pass (check.ts) with whatever the caller knows, turns each failure into a finding of the code table (codes.ts), and
 * adds diagnosis on top: strings that are not UserSigs, truncation, wrong algorithm, a key with stray whitespace,
 * lifetimes, PrivateMapKey contents. It never throws for a token problem, never prints the key, and shows the token
 * only as a short prefix. Every check on the token text is linear in its length, and the length is checked first.
 */
import { base64DecodeStrict } from './_base64.js'
import { toUnixSeconds } from './_time.js'
import { zlibDecompress } from './_inflate.js'
import { ago, checkToken, isoTime, type Checked } from './check.js'
import { CODES, codeRank, type Code, type Severity } from './codes.js'
import { quote, UserSigError } from './errors.js'
import { DEFAULT_MAX_DECOMPRESSED_BYTES, MAX_TOKEN_LENGTH, capOf, type DecodedUserSig } from './decode.js'
import type { LegacyPublicKeyObject } from './keys.js'
import { normalizeSdkAppId } from './sdkappid.js'
import { checkUserId } from './userid.js'
import { isConsoleSecretKey, secretKeyFingerprint } from './secret.js'
import { repairUserSigInput } from './repair.js'
import { signerForensics, type NamedKey } from './forensics.js'
import { checkTolerance, prepareKeys, type SecretKeyEntry } from './verify.js'

export type { Severity } from './codes.js'

/** One item of an explanation: a code of `CODES` with its severity, message, fix and Tencent error code. */
export interface Finding {
  /** A code of the table (CODES), e.g. EXPIRED, IDENTIFIER_MISMATCH, TRUNCATED, LOOKS_LIKE_JWT. */
  code: Code
  severity: Severity
  /** The cause, in one line. */
  message: string
  /** What to do, in one line. */
  fix: string
  /** The Tencent error code this finding most likely produces. */
  tencentCode?: number
}

/** What `explainUserSig` may compare the token with; everything is optional, each given value adds checks. */
export interface ExplainOptions {
  /** The SDKAppID the client presents. */
  sdkAppId?: number | string
  /** The UserID the client presents. */
  userId?: string
  /** The app's secret key, to check the signature. */
  secretKey?: string
  /** Several candidate keys; the explanation names the one that signed the token. */
  secretKeys?: readonly SecretKeyEntry[]
  /**
   * Other keys the user has (a keyring, other apps or environments): never used to accept the token, only tried when
   * the signature matches none of the keys above, to name the key that signed it.
   */
  otherKeys?: readonly SecretKeyEntry[]
  /** For legacy (ECDSA) tokens: `legacyPublicKey(pem)` from `usersig/legacy`. */
  publicKey?: LegacyPublicKeyObject
  /** The room the token is meant for (then it must be a PrivateMapKey for that room). */
  roomId?: number
  /** The string room the token is meant for (then it must be a PrivateMapKey for that room). */
  strRoomId?: string
  /** Unix seconds or a Date; default the wall clock. */
  now?: number | Date
  /** Seconds of allowed clock skew for expiry (default 0). */
  clockTolerance?: number
  /** Decompression cap in bytes (default 65536). */
  maxDecompressedBytes?: number
  /**
   * Take the token out of what a user pasted first (repairUserSigInput: a Bearer or usersig= prefix, quotes, a JSON
   * response, a URL, percent-encoding, line breaks) and report each repair as a REPAIRED finding. Default false.
   */
  repair?: boolean
}

/** What `explainUserSig` found: a verdict, the likely Tencent error code, a summary and the findings behind it. */
export interface Explanation {
  /** `unknown` when no key was given, so the signature could not be checked. */
  verdict: 'valid' | 'invalid' | 'unknown'
  /** The Tencent error code the service would most likely return (for 'invalid'). */
  tencentCode?: number
  summary: string
  findings: Finding[]
  decoded?: DecodedUserSig
  /** Id or fingerprint of the key that verified the token. */
  keyId?: string
  /** The first characters of the token, for reference. */
  tokenPrefix: string
}

const DAY = 86400

/** The first characters of a token, for reference (short tokens are masked). */
export function tokenPrefix(token: unknown): string {
  if (typeof token !== 'string') return ''
  const t = token.length > 64 ? token.slice(0, 64).trim() : token.trim()
  return t.length <= 12 ? '*'.repeat(Math.min(4, t.length)) : t.slice(0, 10) + '…'
}

/** A finding of the table; the message, fix and severity default to the table's. */
function f(code: Code, message: string = CODES[code].message, fix: string = CODES[code].fix, severity: Severity = CODES[code].severity): Finding {
  const tencentCode = CODES[code].tencentCode
  return tencentCode === null ? { code, severity, message, fix } : { code, severity, message, fix, tencentCode }
}

function isQuoted(t: string): boolean {
  const q = t[0]
  return t.length >= 2 && (q === '"' || q === "'") && t[t.length - 1] === q
}

/** a-z A-Z 0-9 - _ : the RFC 4648 base64url alphabet (a JWT segment too). */
function isUrlSafe(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95
}

function allUrlSafe(t: string, from = 0, to = t.length): boolean {
  for (let k = from; k < to; k++) if (!isUrlSafe(t.charCodeAt(k))) return false
  return true
}

/** `eyJ…` then exactly two dots between base64url segments (the middle one non-empty). */
function looksLikeJwt(t: string): boolean {
  if (!t.startsWith('eyJ')) return false
  const a = t.indexOf('.')
  const b = a < 0 ? -1 : t.indexOf('.', a + 1)
  return b > a + 1 && t.indexOf('.', b + 1) < 0 && allUrlSafe(t, 0, a) && allUrlSafe(t, a + 1, b) && allUrlSafe(t, b + 1)
}

/** True when an "_" occurs before the trailing run of "_" (Tencent uses "_" only as padding at the end). */
function underscoreBeforeEnd(t: string): boolean {
  let end = t.length
  while (end > 0 && t.charCodeAt(end - 1) === 95) end--
  return end > 0 && t.lastIndexOf('_', end - 1) >= 0
}

const URL_ESCAPE = /%(2A|2a|5F|5f|2D|2d|2B|2b|2F|2f|3D|3d)/

/** Recognises strings that are not UserSigs before decoding them. */
function shapeFindings(token: string): { findings: Finding[]; retry?: string } {
  const t = token.trim()
  if (t === '') return { findings: [f('EMPTY', 'the UserSig is empty')] }
  if (isQuoted(t)) return { findings: [f('QUOTED')], retry: t.slice(1, -1) }
  if (URL_ESCAPE.test(t)) {
    let decoded: string | undefined
    try { decoded = decodeURIComponent(t) } catch { /* not URL-encoded after all */ }
    if (decoded !== undefined && decoded !== t) return { findings: [f('URL_ENCODED')], retry: decoded }
  }
  if (looksLikeJwt(t)) return { findings: [f('LOOKS_LIKE_JWT', 'this is a JWT, not a UserSig')] }
  if (t.startsWith('{')) {
    let json: unknown
    try { json = JSON.parse(t) } catch { /* not JSON */ }
    if (json !== undefined) {
      const time = json !== null && typeof json === 'object' ? (json as Record<string, unknown>)['TLS.time'] : undefined
      const legacyPlain = typeof time === 'string' && /^\d{4}-\d\d-\d\dT/.test(time)
      return {
        findings: [legacyPlain
          ? f('PLAIN_JSON', 'this is the oldest plaintext legacy ticket format (JSON with a date time), which only the old C++ library understands', 'issue a current UserSig with createSigner (or the legacy signer for ECDSA apps)')
          : f('PLAIN_JSON', 'this is plain JSON, not a UserSig: a UserSig is zlib-compressed JSON in Tencent base64')],
      }
    }
  }
  // RFC 4648 base64url uses '-' for 62 and '_' for 63: an '_' before the end means this alphabet, not Tencent's.
  if (allUrlSafe(t) && underscoreBeforeEnd(t)) {
    return {
      findings: [isRfcBase64UrlZlib(t)
        ? f('RFC_BASE64URL', 'the UserSig was encoded with RFC 4648 base64url (- and _ for 62 and 63); Tencent\'s alphabet uses * for +, - for / and _ only as padding')
        : f('RFC_BASE64URL', 'the UserSig contains "_" before its end: Tencent uses "_" only as trailing padding (RFC base64url?)')],
    }
  }
  return { findings: [] }
}

/** True when the string decodes as RFC 4648 base64url to a valid zlib stream. */
function isRfcBase64UrlZlib(t: string): boolean {
  if (!allUrlSafe(t)) return false
  let std = ''
  for (let k = 0; k < t.length; k++) { const c = t[k]!; std += c === '-' ? '+' : c === '_' ? '/' : c }
  const bytes = base64DecodeStrict(std + '='.repeat((4 - (std.length % 4)) % 4))
  if (!bytes) return false
  try { zlibDecompress(bytes, DEFAULT_MAX_DECOMPRESSED_BYTES); return true } catch { return false }
}

const COLUMN_SIZES = [64, 100, 128, 200, 255, 256, 500, 512, 1000, 1024]

function malformedFinding(e: UserSigError, token: string): Finding {
  const t = token.trim()
  if (e.stage === 'zlib' && t.includes('-') && isRfcBase64UrlZlib(t)) {
    return f('RFC_BASE64URL', 'the UserSig was encoded with RFC 4648 base64url (- and _ for 62 and 63); Tencent\'s alphabet uses * for +, - for / and _ only as padding')
  }
  if (e.stage === 'zlib' && e.message.includes('truncated')) {
    const column = COLUMN_SIZES.includes(t.length) ? ` Its length, ${t.length}, is a typical column or buffer size.` : ''
    return f('TRUNCATED', `the UserSig is cut off (${t.length} characters, the compressed stream ends early).${column}`,
      'was it stored in a column or buffer that is too short? Store UserSigs in a TEXT column or at least 1024 characters')
  }
  const m = f('MALFORMED', `the UserSig cannot be decoded (${e.stage}): ${e.message}`, e.hint ?? CODES.MALFORMED.fix)
  if (e.tencentCode !== undefined) m.tencentCode = e.tencentCode
  return m
}

/** The explain options, checked the way verifyUserSig checks its own: the same mistake gives the same error. */
function expectations(o: ExplainOptions, findings: Finding[]) {
  if (o === null || typeof o !== 'object') throw new TypeError('explainUserSig: options must be an object')
  let sdkAppId: number | undefined
  if (o.sdkAppId !== undefined) {
    let app = o.sdkAppId
    if (typeof app === 'string' && app.trim() !== app) {
      findings.push(f('SDKAPPID_WHITESPACE'))
      app = app.trim()
    }
    sdkAppId = normalizeSdkAppId(app)
  }
  if (o.userId !== undefined && typeof o.userId !== 'string') throw new TypeError('explainUserSig: userId must be a string')
  const { secretKeys, publicKey } = prepareKeys(o, 'explainUserSig', false)
  return {
    sdkAppId, userId: o.userId, secretKeys, publicKey, now: toUnixSeconds(o.now),
    clockTolerance: checkTolerance(o.clockTolerance, 'explainUserSig'), userBuf: undefined, maxDecompressedBytes: capOf(o),
  }
}

/**
 * Explains a UserSig or PrivateMapKey with whatever the caller knows. Every input is optional.
 * @throws UserSigError INVALID_SDKAPPID / INVALID_NOW / INVALID_PUBLIC_KEY and TypeError for mistakes in the options,
 *   like verifyUserSig; never for a token problem.
 * @example
 * const ex = explainUserSig(userSig, { sdkAppId: 1400000000, userId: 'alice', secretKey })
 * console.log(ex.verdict, ex.tencentCode, ex.summary)
 * for (const f of ex.findings) console.log(f.severity, f.message, '→', f.fix)
 */
export function explainUserSig(token: string, options: ExplainOptions = {}): Explanation {
  let prefix = tokenPrefix(token)
  const findings: Finding[] = []
  const x = expectations(options, findings)
  const done = (decoded?: DecodedUserSig, keyId?: string | null, signatureValid = false): Explanation => {
    findings.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || codeRank(a.code) - codeRank(b.code))
    const errors = findings.filter((y) => y.severity === 'error')
    const verdict = errors.length > 0 ? 'invalid' : signatureValid ? 'valid' : 'unknown'
    const first = errors[0]
    const summary = verdict === 'invalid' ? `Invalid: ${first!.message}${first!.tencentCode !== undefined ? ` (Tencent error ${first!.tencentCode})` : ''}`
      : verdict === 'valid' ? `Valid${keyId ? `, signed by key ${keyId}` : ''}${decoded ? `; expires ${isoTime(decoded.expiresAt)}` : ''}`
        : `Decoded; the signature was not checked (no key given)${findings.some((y) => y.severity === 'warning') ? ', with warnings' : ''}`
    const out: Explanation = { verdict, summary, findings, tokenPrefix: prefix }
    if (first?.tencentCode !== undefined) out.tencentCode = first.tencentCode
    if (decoded) out.decoded = decoded
    if (keyId) out.keyId = keyId
    return out
  }

  if (typeof token !== 'string') {
    findings.push(f('NOT_A_STRING', `the UserSig must be a string, got ${token === null ? 'null' : typeof token}`))
    return done()
  }
  // Length first: every later check is linear, and this bounds them all.
  if (token.length > MAX_TOKEN_LENGTH) {
    findings.push(f('MALFORMED', `the UserSig is ${token.length} characters long, far more than a UserSig can be`))
    return done()
  }
  let text = token
  if (options.repair) {
    const r = repairUserSigInput(token)
    for (const what of r.removed) findings.push(f('REPAIRED', `pasted input repaired: ${what}`))
    text = r.token
    prefix = tokenPrefix(text)
  }
  const shape = shapeFindings(text)
  findings.push(...shape.findings)
  if (shape.findings.length > 0) {
    if (shape.retry === undefined) return done()
    text = shape.retry
  }

  const c = checkToken(text, x)
  const d = c.decoded
  if (d === null) {
    findings.push(malformedFinding(c.error!, text))
    return done()
  }
  for (const w of c.warnings) findings.push(f(w.code as Code, w.message))
  if (d.version === 'v1') findings.push(f('LEGACY_V1', 'this is a legacy (v1) UserSig signed with ECDSA-SHA256, used by apps created before 2019-07-19'))
  lifetimeFindings(d, findings)
  failureFindings(c, d, options, x, findings)
  try { checkUserId(d.userId, 'im') } catch (e) {
    findings.push(f('USERID_NOT_IM', `the UserID ${e instanceof UserSigError ? e.message.replace(/^userId /, '') : 'is not accepted by IM'}`))
  }
  if (options.secretKey !== undefined) keyFindings(options.secretKey, findings)
  for (const k of options.secretKeys ?? []) keyFindings(k.secretKey, findings, k.id)
  if (c.keyId !== null) findings.push(f('SIGNED_BY', `signed by key ${c.keyId}`))
  pmkFindings(d, options, x.now, findings)
  return done(d, c.keyId, c.signature === 'valid')
}

function severityRank(s: Severity): number {
  return s === 'error' ? 0 : s === 'warning' ? 1 : 2
}

function lifetimeFindings(d: DecodedUserSig, findings: Finding[]): void {
  if (d.expiresIn === 0) findings.push(f('TTL_ZERO'))
  else if (d.privateMapKey === null && d.expiresIn < DAY) findings.push(f('TTL_SHORT', `the lifetime is only ${ago(d.expiresIn)}; Tencent recommends at least 24 h (TRTC reconnects and IM re-logins need a valid UserSig)`))
  else if (d.expiresIn > 10 * 365 * DAY) findings.push(f('TTL_LONG', `the lifetime is ${ago(d.expiresIn)}: more than 10 years`))
}

/** The verifier's failures as findings, with diagnosis added. */
function failureFindings(c: Checked, d: DecodedUserSig, o: ExplainOptions, x: { sdkAppId: number | undefined }, findings: Finding[]): void {
  for (const fl of c.failures) {
    if (fl.reason === 'IDENTIFIER_MISMATCH') {
      const want = o.userId!
      const why = d.userId.toLowerCase() !== want.toLowerCase() && d.userId.trim() === want.trim() ? ' (they differ only in surrounding whitespace)' : ''
      findings.push(f('IDENTIFIER_MISMATCH', fl.message + why))
    } else if (fl.reason === 'EXPIRED') {
      if (d.expiresIn > 0) findings.push(f('EXPIRED', fl.message))
    } else if (fl.reason === 'SIGNATURE_INVALID') {
      if (c.signature === 'wrong-algorithm') {
        findings.push(d.version === 'v2'
          ? f('WRONG_ALGORITHM', 'this UserSig uses the current HMAC algorithm, but you gave an ECDSA public key', 'verify with the app\'s secret key (SDKSecretKey); the app was upgraded from the legacy algorithm')
          : f('WRONG_ALGORITHM', 'this is a legacy ECDSA UserSig, but you gave an HMAC secret key', 'the app now uses the HMAC algorithm: issue new UserSigs with createSigner; to check this one pass legacyPublicKey(pem) of the old public key'))
      } else {
        const found = signerForensics(d, givenKeys(o), named(o.otherKeys), { userId: o.userId, sdkAppId: x.sdkAppId })
        findings.push(found ? f(found.code, found.message, found.fix) : f('SIGNATURE_INVALID', `${fl.message}: signed with a key you have not given (none of the usual signer mistakes reproduces it)`))
      }
    } else {
      findings.push(f(fl.reason, fl.message))
    }
  }
}

function named(keys: readonly SecretKeyEntry[] | undefined): NamedKey[] {
  if (!Array.isArray(keys)) return []
  return keys.filter((k) => k !== null && typeof k === 'object' && typeof k.secretKey === 'string').map((k) => ({ id: k.id ?? secretKeyFingerprint(k.secretKey), secretKey: k.secretKey }))
}

function givenKeys(o: ExplainOptions): NamedKey[] {
  const out = named(o.secretKeys)
  if (typeof o.secretKey === 'string') out.unshift({ id: secretKeyFingerprint(o.secretKey), secretKey: o.secretKey })
  return out
}

function keyFindings(key: string, findings: Finding[], id?: string): void {
  if (typeof key !== 'string') return
  // The key's name only: an id is the caller's label, quoted short; the key itself is never quoted.
  const name = id ? `key ${quote(id)}` : 'the secret key'
  if (key.includes('-----BEGIN')) findings.push(f('KEY_IS_PEM', `${name} is a PEM key: that is the legacy ECDSA key pair, not the HMAC secret`))
  else if (key.length >= 32 && key.length <= 40 && isAlphanumeric(key) && !isConsoleSecretKey(key)) findings.push(f('KEY_LOOKS_LIKE_CAM', `${name} looks like a Tencent Cloud API (CAM) SecretKey, not the app's SDKSecretKey`))
  else if (!isConsoleSecretKey(key.trim())) findings.push(f('KEY_UNUSUAL', `${name} is not shaped like a console SDKSecretKey (64 lowercase hex characters; it has ${key.length} characters)`))
  if (key.trim() !== key) findings.push(f('KEY_HAS_WHITESPACE', `${name} has leading or trailing whitespace`))
}

function isAlphanumeric(s: string): boolean {
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k)
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return false
  }
  return true
}


function pmkFindings(d: DecodedUserSig, o: ExplainOptions, now: number, findings: Finding[]): void {
  const wantsRoom = o.roomId !== undefined || o.strRoomId !== undefined
  const pmk = d.privateMapKey
  if (!pmk) {
    if (wantsRoom) findings.push(f('NOT_A_PRIVATE_MAP_KEY', d.userBuf ? 'the UserSig carries a userbuf that is not a PrivateMapKey layout' : 'this is a plain UserSig, not a PrivateMapKey'))
    return
  }
  const room = pmk.strRoomId !== null ? `string room ${quote(pmk.strRoomId)}` : `room ${pmk.roomId}`
  if (!wantsRoom) findings.push(f('IS_PRIVATE_MAP_KEY', `this is a PrivateMapKey for ${room} with privileges ${pmk.privileges} (${pmk.privilegeNames.join(', ') || 'none'})`))
  if (o.roomId !== undefined && (pmk.version !== 0 || pmk.roomId !== o.roomId)) {
    const hint = pmk.strRoomId !== null && pmk.strRoomId === String(o.roomId) ? ` (it is for the STRING room ${quote(pmk.strRoomId)}; string "123" and number 123 are different rooms)` : ''
    findings.push(f('PMK_ROOM_MISMATCH', `the PrivateMapKey is for ${room}, not room ${Number.isFinite(o.roomId) ? o.roomId : typeof o.roomId}${hint}`))
  }
  if (o.strRoomId !== undefined && (pmk.version !== 1 || pmk.strRoomId !== o.strRoomId)) {
    const hint = pmk.strRoomId === null && String(pmk.roomId) === o.strRoomId ? ` (it is for the NUMERIC room ${pmk.roomId}; string "123" and number 123 are different rooms)` : ''
    findings.push(f('PMK_ROOM_MISMATCH', `the PrivateMapKey is for ${room}, not string room ${typeof o.strRoomId === 'string' ? quote(o.strRoomId) : typeof o.strRoomId}${hint}`))
  }
  if (pmk.userId !== d.userId) {
    findings.push(f('PMK_ACCOUNT_MISMATCH', `the account inside the PrivateMapKey (${quote(pmk.userId)}) differs from TLS.identifier (${quote(d.userId)})`,
      pmk.nonUtf8 ? 'the signer truncated non-ASCII characters (official Node/Java libraries): use a signer that writes UTF-8' : 'issue the PrivateMapKey with a correct signer'))
  } else if (pmk.nonUtf8) {
    findings.push(f('PMK_NON_UTF8'))
  }
  if (pmk.sdkAppId !== (d.sdkAppId >>> 0)) findings.push(f('PMK_SDKAPPID_MISMATCH', `the SDKAppID inside the PrivateMapKey (${pmk.sdkAppId}) differs from the token's (${d.sdkAppId})`))
  if (pmk.expiresAt < ((d.expiresAt >>> 0) - 1)) {
    findings.push(f('PMK_INNER_EXPIRY_EARLY', `the room permission inside expires at ${isoTime(pmk.expiresAt)}, before the token itself (${isoTime(d.expiresAt)})`))
    if (now > pmk.expiresAt) findings.push(f('PMK_EXPIRED', `the room permission expired at ${isoTime(pmk.expiresAt)}`))
  }
  if ((pmk.privileges & 2) === 0) findings.push(f('PMK_NO_ENTER', `the privileges (${pmk.privileges}) do not include "enter" (2): this user cannot enter the room`, undefined, wantsRoom ? 'error' : 'warning'))
  else if ((pmk.privileges & 1) === 0) findings.push(f('PMK_NO_CREATE'))
}
