/**
 * explainUserSig: answers "why is my UserSig rejected?" offline (docs/spec/verify.md §5, docs/spec/errors.md). It runs the verifier's one
 * pass (check.ts) with whatever the caller knows, turns each failure into a finding of the code table (codes.ts), and
 * adds diagnosis on top: strings that are not UserSigs, truncation, wrong algorithm, a key with stray whitespace,
 * lifetimes, PrivateMapKey contents. It never throws for a token problem, never prints the key, and shows the token
 * only as a short prefix. Every check on the token text is linear in its length, and the length is checked first.
 */
import { base64DecodeStrict } from './_base64.js'
import { toUnixSeconds } from './_time.js'
import { zlibDecompress } from './_inflate.js'
import { ago, checkToken, isoTime, type Checked, type Expectations } from './check.js'
import { CODES, codeRank, type Code, type Severity } from './codes.js'
import { quote, UserSigError } from './errors.js'
import { MAX_TOKEN_LENGTH, capOf, type DecodedUserSig } from './decode.js'
import type { LegacyPublicKeyObject } from './keys.js'
import { normalizeSdkAppId } from './sdkappid.js'
import { checkToolUserId, checkUserId, checkUserIdString } from './userid.js'
import { roomOf } from './room.js'
import { isConsoleSecretKey, secretKeyFingerprint } from './secret.js'
import { repairUserSigInput } from './repair.js'
import { signerForensics, type NamedKey } from './forensics.js'
import { checkTolerance, prepareKeys, type SecretKeyEntry } from './verify.js'

/** One item of an explanation: a code of `CODES` with its severity, message, fix and Tencent error code. */
export interface Finding {
  /** A code of the table (CODES), e.g. EXPIRED, IDENTIFIER_MISMATCH, TRUNCATED, LOOKS_LIKE_JWT. */
  code: Code
  severity: Severity
  /** The cause, in one line: the code's message (CODES), then after a colon what is particular to this token. */
  message: string
  /** What to do, in one line (the code's fix, or the decoder's hint for a token that cannot be decoded). */
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

// What quote() escapes: C0 and C1 control characters, DEL, lone surrogates.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/**
 * The first characters of a token, for reference (short tokens are masked). What quote() would escape shows as U+FFFD
 * here, so that the prefix keeps its length and no control character reaches a terminal.
 */
function tokenPrefix(token: unknown): string {
  if (typeof token !== 'string') return ''
  const t = token.slice(0, 64).trim()
  return t.length <= 12 ? '*'.repeat(Math.min(4, t.length)) : t.slice(0, 10).replace(UNPRINTABLE, '\ufffd') + '…'
}

/** A finding of the table: its one wording, then what is particular to this token. */
function f(code: Code, detail?: string, severity?: Severity): Finding {
  const c = CODES[code]
  const out: Finding = { code, severity: severity ?? c.severity, message: detail ? `${c.message}: ${detail}` : c.message, fix: c.fix }
  if (c.tencentCode !== null) out.tencentCode = c.tencentCode
  return out
}

/**
 * A finding of the one pass (a verification failure or a decode warning): its message is already the code's message
 * (CODES) and its detail, as check.ts and decode.ts write it (codes.ts, M_*).
 */
function said(code: Code, message: string): Finding {
  return { ...f(code), message }
}

/** Only a-z A-Z 0-9 (and, when `urlSafe`, the RFC 4648 base64url '-' and '_', a JWT segment's too) from `from` to `to`. */
function onlyAlnum(t: string, urlSafe: boolean, from = 0, to = t.length): boolean {
  for (let k = from; k < to; k++) {
    const c = t.charCodeAt(k)
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (urlSafe && (c === 45 || c === 95)))) return false
  }
  return true
}

const URL_SAFE = true

/** `eyJ…` then exactly two dots between base64url segments (the middle one non-empty). */
function looksLikeJwt(t: string): boolean {
  const a = t.indexOf('.')
  const b = t.indexOf('.', a + 1)
  return t.startsWith('eyJ') && b > a + 1 && t.indexOf('.', b + 1) < 0 && onlyAlnum(t, URL_SAFE, 0, a) && onlyAlnum(t, URL_SAFE, a + 1, b) && onlyAlnum(t, URL_SAFE, b + 1)
}

/** The value of an RFC 4648 base64url character, or -1. */
function urlSafeValue(c: number): number {
  if (c >= 65 && c <= 90) return c - 65
  if (c >= 97 && c <= 122) return c - 71
  if (c >= 48 && c <= 57) return c + 4
  return c === 45 ? 62 : c === 95 ? 63 : -1
}

/**
 * True when the string decodes as RFC 4648 base64url to a valid zlib stream (within the caller's cap). Its first four
 * characters are the zlib header (CMF, FLG) and one more byte: only a string whose header fits is decoded whole, so 1 MiB
 * of '-' or '_a' costs a few characters, not two replace passes and a decode (205–291 ms before).
 */
function isRfcBase64UrlZlib(t: string, maxDecompressedBytes: number): boolean {
  if (t.length < 4) return false
  const v = (urlSafeValue(t.charCodeAt(0)) << 18) | (urlSafeValue(t.charCodeAt(1)) << 12) | (urlSafeValue(t.charCodeAt(2)) << 6) | urlSafeValue(t.charCodeAt(3))
  const cmf = v >>> 16
  // Deflate (CM 8) with a window of at most 32 KiB, a header that is a multiple of 31, no preset dictionary.
  if (v < 0 || (cmf & 15) !== 8 || cmf >>> 4 > 7 || (v >>> 8) % 31 !== 0 || (v & 0x2000) !== 0) return false
  if (!onlyAlnum(t, URL_SAFE)) return false
  const bytes = base64DecodeStrict(t.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (t.length % 4)) % 4))
  try {
    return bytes !== null && zlibDecompress(bytes, maxDecompressedBytes) !== null
  } catch {
    return false
  }
}

/** Recognises strings that are not UserSigs before decoding them; `retry` is the token inside, when there is one. */
function shapeFindings(t: string, maxDecompressedBytes: number): { found?: Finding; retry?: string } {
  if (t === '') return { found: f('EMPTY') }
  const q = t[0]
  if (t.length >= 2 && (q === '"' || q === "'") && t[t.length - 1] === q) return { found: f('QUOTED'), retry: t.slice(1, -1) }
  if (/%(2A|5F|2D|2B|2F|3D)/i.test(t)) {
    try {
      const decoded = decodeURIComponent(t)
      if (decoded !== t) return { found: f('URL_ENCODED'), retry: decoded }
    } catch { /* not URL-encoded after all */ }
  }
  if (looksLikeJwt(t)) return { found: f('LOOKS_LIKE_JWT') }
  if (t[0] === '{') {
    try {
      const time = (JSON.parse(t) as Record<string, unknown> | null)?.['TLS.time']
      return { found: f('PLAIN_JSON', typeof time === 'string' && /^\d{4}-\d\d-\d\dT/.test(time) ? 'the oldest legacy ticket format (JSON with a date time), which only the old C++ library reads' : undefined) }
    } catch { /* not JSON */ }
  }
  // RFC 4648 base64url uses '_' for 63: an '_' before the trailing padding means this alphabet, not Tencent's.
  if (onlyAlnum(t, URL_SAFE) && /_[^_]/.test(t)) return { found: f('RFC_BASE64URL', isRfcBase64UrlZlib(t, maxDecompressedBytes) ? undefined : 'or so the "_" before its end suggests (Tencent uses "_" only as trailing padding)') }
  return {}
}

const COLUMN_SIZES = [64, 100, 128, 200, 255, 256, 500, 512, 1000, 1024]

function malformedFinding(e: UserSigError, t: string, maxDecompressedBytes: number): Finding {
  if (e.stage === 'zlib' && t.includes('-') && isRfcBase64UrlZlib(t, maxDecompressedBytes)) return f('RFC_BASE64URL')
  if (e.stage === 'zlib' && e.message.includes('truncated')) {
    return f('TRUNCATED', `${t.length} characters, the compressed stream ends early${COLUMN_SIZES.includes(t.length) ? ', and that length is a typical column size' : ''}`)
  }
  const m = f('MALFORMED', `${e.stage}: ${e.message}`)
  if (e.hint) m.fix = e.hint
  if (e.tencentCode !== undefined) m.tencentCode = e.tencentCode
  return m
}

/**
 * The explain options, each checked by the one checker of its input, as verifyUserSig and the signers check theirs:
 * the same mistake gives the same error. Only the keys are optional here.
 */
function expectations(o: ExplainOptions): Expectations {
  if (o === null || typeof o !== 'object') throw new TypeError('explainUserSig: options must be an object')
  if (o.userId !== undefined) checkUserIdString(o.userId)
  const { secretKeys, publicKey } = prepareKeys(o, false)
  if (o.otherKeys !== undefined) prepareKeys({ secretKeys: o.otherKeys }, false)
  if (o.roomId !== undefined || o.strRoomId !== undefined) roomOf(o)
  return {
    sdkAppId: o.sdkAppId === undefined ? undefined : normalizeSdkAppId(o.sdkAppId), userId: o.userId, secretKeys, publicKey, now: toUnixSeconds(o.now),
    clockTolerance: checkTolerance(o.clockTolerance), userBuf: undefined, maxDecompressedBytes: capOf(o),
  }
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 }

/**
 * Explains a UserSig or PrivateMapKey with whatever the caller knows. Every input is optional.
 * @throws UserSigError with the input's INVALID_* code for a bad sdkAppId, key, userId, room or now, the same error as
 *   verifyUserSig and the signers give; TypeError for a call not shaped like the API; never for a token problem.
 * @example
 * const ex = explainUserSig(userSig, { sdkAppId: 1400000000, userId: 'alice', secretKey })
 * console.log(ex.verdict, ex.tencentCode, ex.summary)
 * for (const f of ex.findings) console.log(f.severity, f.message, '→', f.fix)
 */
export function explainUserSig(token: string, options: ExplainOptions = {}): Explanation {
  const findings: Finding[] = []
  const x = expectations(options)
  let text = token
  let prefix = ''
  // Length first: every later check is linear, and this bounds them all.
  if (typeof token !== 'string') findings.push(f('NOT_A_STRING', `got ${token === null ? 'null' : typeof token}`))
  else if (token.length > MAX_TOKEN_LENGTH) {
    // The one pass refuses it at its length check, before decoding anything: its wording and stage.
    prefix = tokenPrefix(token)
    findings.push(malformedFinding(checkToken(token, x).error!, '', x.maxDecompressedBytes))
  } else {
    if (options.repair) {
      const r = repairUserSigInput(token)
      for (const what of r.removed) findings.push(f('REPAIRED', what))
      text = r.token
    }
    prefix = tokenPrefix(text)
    const shape = shapeFindings(text.trim(), x.maxDecompressedBytes)
    if (shape.found) findings.push(shape.found)
    if (shape.retry !== undefined) text = shape.retry
    if (!shape.found || shape.retry !== undefined) {
      const c = checkToken(text, x)
      if (c.decoded === null) findings.push(malformedFinding(c.error!, text.trim(), x.maxDecompressedBytes))
      else return done(findings, prefix, tokenFindings(c, c.decoded, options, x, findings), c)
    }
  }
  return done(findings, prefix)
}

/** Sorts the findings and reads the verdict, the Tencent code and the summary off them. */
function done(findings: Finding[], prefix: string, d?: DecodedUserSig, c?: Checked): Explanation {
  findings.sort((a, b) => RANK[a.severity] - RANK[b.severity] || codeRank(a.code) - codeRank(b.code))
  const first = findings[0]?.severity === 'error' ? findings[0] : undefined
  const keyId = c?.keyId
  const verdict = first ? 'invalid' : c?.signature === 'valid' ? 'valid' : 'unknown'
  const summary = first ? `Invalid: ${first.message}${first.tencentCode !== undefined ? ` (Tencent error ${first.tencentCode})` : ''}`
    : verdict === 'valid' ? `Valid, signed by key ${quote(keyId!)}; expires ${isoTime(d!.expiresAt)}`
      : `Decoded; the signature was not checked (no key given)${findings.some((y) => y.severity === 'warning') ? ', with warnings' : ''}`
  const out: Explanation = { verdict, summary, findings, tokenPrefix: prefix }
  if (first?.tencentCode !== undefined) out.tencentCode = first.tencentCode
  if (d) out.decoded = d
  if (keyId) out.keyId = keyId
  return out
}

/** Everything said about a token that decoded: the one pass's warnings and failures, then diagnosis on top. */
function tokenFindings(c: Checked, d: DecodedUserSig, o: ExplainOptions, x: Expectations, findings: Finding[]): DecodedUserSig {
  for (const w of c.warnings) findings.push(said(w.code, w.message))
  if (d.version === 'v1') findings.push(f('LEGACY_V1'))
  // A lifetime of 0 is valid at now == issuedAt (docs/spec/verify.md §3.2): an error only when the pass found it expired.
  if (d.expiresIn === 0) findings.push(f('TTL_ZERO', undefined, c.failures.some((x) => x.reason === 'EXPIRED') ? 'error' : 'warning'))
  else if (d.privateMapKey === null && d.expiresIn < DAY) findings.push(f('TTL_SHORT', ago(d.expiresIn)))
  else if (d.expiresIn > 10 * 365 * DAY) findings.push(f('TTL_LONG', ago(d.expiresIn)))
  for (const fl of c.failures) {
    if (fl.reason === 'IDENTIFIER_MISMATCH') {
      const want = o.userId!
      findings.push(said(fl.reason, fl.message + (d.userId.toLowerCase() !== want.toLowerCase() && d.userId.trim() === want.trim() ? ' (they differ only in surrounding whitespace)' : '')))
    } else if (fl.reason === 'SIGNATURE_INVALID') {
      if (c.signature === 'wrong-algorithm') findings.push(said('WRONG_ALGORITHM', fl.message))
      else {
        const found = signerForensics(d, named(o.secretKeys, o.secretKey), named(o.otherKeys), { userId: o.userId, sdkAppId: x.sdkAppId })
        findings.push(f(found ? found.code : 'SIGNATURE_INVALID', found ? found.message : 'signed with a key you have not given: none of the usual signer mistakes reproduces it'))
      }
    } else findings.push(said(fl.reason, fl.message))
  }
  try { checkUserId(d.userId, 'im') } catch (e) {
    findings.push(f('USERID_NOT_IM', e instanceof UserSigError ? e.message : undefined))
  }
  try { checkToolUserId(d.userId) } catch (e) {
    findings.push(f('USERID_WHITESPACE', e instanceof UserSigError ? `${quote(d.userId)} ${e.message.replace(/^userId /, '')}` : undefined))
  }
  if (typeof o.secretKey === 'string') keyFindings(o.secretKey, findings)
  for (const k of o.secretKeys ?? []) keyFindings(k.secretKey, findings, k.id)
  // A key id is the caller's label: quoted short and sanitised, like every caller value in a message.
  if (c.keyId !== null) findings.push(f('SIGNED_BY', `key ${quote(c.keyId)}`))
  pmkFindings(d, o, x, findings)
  return d
}

/** A key list (and a single key first), already checked by expectations(), named as the verifier names them. */
function named(keys: readonly SecretKeyEntry[] | undefined, single?: string): NamedKey[] {
  const all = single === undefined ? keys ?? [] : [{ secretKey: single }, ...(keys ?? [])]
  return all.map((k) => ({ id: typeof k.id === 'string' && k.id ? k.id : secretKeyFingerprint(k.secretKey), secretKey: k.secretKey }))
}

function keyFindings(key: string, findings: Finding[], id?: string): void {
  if (typeof key !== 'string') return
  // The key's name only: an id is the caller's label, quoted short; the key itself is never quoted.
  const name = id ? `key ${quote(id)}` : undefined
  if (key.length >= 32 && key.length <= 40 && onlyAlnum(key, false) && !isConsoleSecretKey(key)) findings.push(f('KEY_LOOKS_LIKE_CAM', name))
  else if (!isConsoleSecretKey(key.trim())) findings.push(f('KEY_UNUSUAL', `${name ? name + ' has' : 'it has'} ${key.length} characters`))
  if (key.trim() !== key) findings.push(f('KEY_HAS_WHITESPACE', name))
}

function pmkFindings(d: DecodedUserSig, o: ExplainOptions, x: Expectations, findings: Finding[]): void {
  const wantsRoom = o.roomId !== undefined || o.strRoomId !== undefined
  const pmk = d.privateMapKey
  if (!pmk) {
    if (wantsRoom) findings.push(f('NOT_A_PRIVATE_MAP_KEY', d.userBuf ? 'its userbuf has another layout' : undefined))
    return
  }
  const room = pmk.strRoomId !== null ? `string room ${quote(pmk.strRoomId)}` : `room ${pmk.roomId}`
  if (!wantsRoom) findings.push(f('IS_PRIVATE_MAP_KEY', `${room}, privileges ${pmk.privileges} (${pmk.privilegeNames.join(', ') || 'none'})`))
  // A mix-up of the string and the numeric room of the same digits is named in capitals: it is the usual one.
  if (o.roomId !== undefined && (pmk.version !== 0 || pmk.roomId !== o.roomId)) {
    findings.push(f('PMK_ROOM_MISMATCH', `it is for ${room}, not room ${o.roomId}${pmk.strRoomId === String(o.roomId) ? ' (it is for the STRING room)' : ''}`))
  }
  if (o.strRoomId !== undefined && (pmk.version !== 1 || pmk.strRoomId !== o.strRoomId)) {
    findings.push(f('PMK_ROOM_MISMATCH', `it is for ${room}, not string room ${quote(o.strRoomId)}${pmk.strRoomId === null && String(pmk.roomId) === o.strRoomId ? ' (it is for the NUMERIC room)' : ''}`))
  }
  if (pmk.userId !== d.userId) findings.push(f('PMK_ACCOUNT_MISMATCH', `${quote(pmk.userId)}, not ${quote(d.userId)}${pmk.nonUtf8 ? ' (the signer truncated non-ASCII characters)' : ''}`))
  else if (pmk.nonUtf8) findings.push(f('PMK_NON_UTF8'))
  if (pmk.sdkAppId !== (d.sdkAppId >>> 0)) findings.push(f('PMK_SDKAPPID_MISMATCH', `${pmk.sdkAppId}, not ${d.sdkAppId}`))
  if (pmk.expiresAt < ((d.expiresAt >>> 0) - 1)) {
    findings.push(f('PMK_INNER_EXPIRY_EARLY', `${isoTime(pmk.expiresAt)}, the token ${isoTime(d.expiresAt)}`))
    // Expired as the token's own expiry is (check.ts): past it by more than the clock tolerance.
    if (x.now > pmk.expiresAt + x.clockTolerance) findings.push(f('PMK_EXPIRED', `at ${isoTime(pmk.expiresAt)}`))
  }
  if ((pmk.privileges & 2) === 0) findings.push(f('PMK_NO_ENTER', `privileges ${pmk.privileges}`, wantsRoom ? 'error' : 'warning'))
  else if ((pmk.privileges & 1) === 0) findings.push(f('PMK_NO_CREATE'))
}
