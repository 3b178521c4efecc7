/**
 * explainUserSig: answers "why is my UserSig rejected?" offline (VERIFY.md §5, ERRORS.md). It decodes whatever it
 * can, runs every check the caller has inputs for, and returns findings with a plain cause, a fix and the Tencent
 * error code the service would most likely return. It never throws for a token problem, never prints the key, and
 * shows the token only as a short prefix.
 */
import { base64DecodeStrict } from './_base64.js'
import { zlibDecompress } from './_zlib.js'
import { UserSigError } from './errors.js'
import { toUnixSeconds } from './_time.js'
import { openEnvelope, readFields, DEFAULT_MAX_DECOMPRESSED_BYTES, type DecodedUserSig } from './decode.js'
import { verifyUserSig, isoTime, type SecretKeyEntry, type VerifyResult } from './verify.js'
import { checkUserId } from './userid.js'

export type Severity = 'error' | 'warning' | 'info'

export interface Finding {
  /** Stable code, e.g. EXPIRED, IDENTIFIER_MISMATCH, TRUNCATED, LOOKS_LIKE_JWT. */
  code: string
  severity: Severity
  /** The cause, in one line. */
  message: string
  /** What to do, in one line. */
  fix: string
  /** The Tencent error code this finding most likely produces. */
  tencentCode?: number
}

export interface ExplainOptions {
  sdkAppId?: number | string
  userId?: string
  secretKey?: string
  secretKeys?: readonly SecretKeyEntry[]
  /** SPKI PEM public key for legacy (ECDSA) tokens. */
  publicKey?: string
  /** The room the token is meant for (then it must be a PrivateMapKey for that room). */
  roomId?: number
  strRoomId?: string
  now?: number | Date
  clockTolerance?: number
  maxDecompressedBytes?: number
}

export interface Explanation {
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

/** Order in which the Tencent service reports problems; the first error in this order gives the predicted code. */
const ORDER = ['EMPTY', 'NOT_A_STRING', 'URL_ENCODED', 'QUOTED', 'LOOKS_LIKE_JWT', 'PLAIN_JSON', 'RFC_BASE64URL', 'TRUNCATED', 'MALFORMED',
  'IDENTIFIER_MISMATCH', 'SDKAPPID_MISMATCH', 'EXPIRED', 'WRONG_ALGORITHM', 'KEY_WHITESPACE', 'SIGNATURE_INVALID',
  'NOT_A_PRIVATE_MAP_KEY', 'PMK_ROOM_MISMATCH', 'PMK_ACCOUNT_MISMATCH', 'PMK_SDKAPPID_MISMATCH', 'PMK_EXPIRED', 'PMK_NO_ENTER']

export function tokenPrefix(token: unknown): string {
  if (typeof token !== 'string') return ''
  const t = token.trim()
  return t.length <= 12 ? t.replace(/./g, '*').slice(0, 4) : t.slice(0, 10) + '…'
}

function f(code: string, severity: Severity, message: string, fix: string, tencentCode?: number): Finding {
  return tencentCode === undefined ? { code, severity, message, fix } : { code, severity, message, fix, tencentCode }
}

function ago(seconds: number): string {
  const s = Math.abs(seconds)
  if (s < 120) return `${s} s`
  if (s < 7200) return `${Math.round(s / 60)} min`
  if (s < 2 * DAY) return `${Math.round(s / 3600)} h`
  return `${Math.round(s / DAY)} days`
}

/** Recognises strings that are not UserSigs before decoding them. */
function shapeFindings(token: string): { findings: Finding[]; retry?: string } {
  const t = token.trim()
  const out: Finding[] = []
  if (t === '') return { findings: [f('EMPTY', 'error', 'the UserSig is empty', 'pass the UserSig your server issued for this user', 70002)] }
  if (/^(["']).*\1$/s.test(t)) {
    out.push(f('QUOTED', 'error', 'the UserSig is wrapped in quotes', 'pass the string value, not its JSON-encoded form', 70003))
    return { findings: out, retry: t.slice(1, -1) }
  }
  if (/%(2A|2a|5F|5f|2D|2d|2B|2b|2F|2f|3D|3d)/.test(t)) {
    let decoded: string | undefined
    try { decoded = decodeURIComponent(t) } catch { /* not URL-encoded after all */ }
    if (decoded !== undefined && decoded !== t) {
      out.push(f('URL_ENCODED', 'error', 'the UserSig is URL-encoded (%2A, %5F…): it was escaped once too often', 'URL-decode it once before passing it to the SDK, or do not encode it when storing', 70003))
      return { findings: out, retry: decoded }
    }
  }
  if (/^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(t)) {
    out.push(f('LOOKS_LIKE_JWT', 'error', 'this is a JWT, not a UserSig', 'Tencent IM and TRTC need a UserSig signed with the app\'s SDKSecretKey; issue one with createSigner', 70003))
    return { findings: out }
  }
  if (t.startsWith('{')) {
    let isJson = false
    try { JSON.parse(t); isJson = true } catch { /* not JSON */ }
    if (isJson) {
      const legacyPlain = /"TLS\.time"\s*:\s*"\d{4}-\d\d-\d\dT/.test(t)
      out.push(f('PLAIN_JSON', 'error', legacyPlain ? 'this is the oldest plaintext legacy ticket format (JSON with a date time), which only the old C++ library understands'
        : 'this is plain JSON, not a UserSig: a UserSig is zlib-compressed JSON in Tencent base64',
      legacyPlain ? 'issue a current UserSig with createSigner (or the legacy signer for ECDSA apps)' : 'compress and encode it as a signer does, or just issue a UserSig with createSigner', 70003))
      return { findings: out }
    }
  }
  // RFC 4648 base64url uses '-' for 62 and '_' for 63: an '_' before the end means this alphabet, not Tencent's.
  if (/^[A-Za-z0-9_-]+$/.test(t) && /_(?!_*$)/.test(t)) {
    const zlibOk = isRfcBase64UrlZlib(t)
    out.push(f('RFC_BASE64URL', 'error', zlibOk ? 'the UserSig was encoded with RFC 4648 base64url (- and _ for 62 and 63); Tencent\'s alphabet uses * for +, - for / and _ only as padding'
      : 'the UserSig contains "_" before its end: Tencent uses "_" only as trailing padding (RFC base64url?)',
    'encode with Tencent\'s alphabet: standard base64, then + → *, / → -, = → _', 70003))
    return { findings: out }
  }
  return { findings: out }
}

/** True when the string decodes as RFC 4648 base64url to a valid zlib stream. */
function isRfcBase64UrlZlib(t: string): boolean {
  if (!/^[A-Za-z0-9_-]+$/.test(t)) return false
  const std = t.replace(/-/g, '+').replace(/_/g, '/')
  const bytes = base64DecodeStrict(std + '='.repeat((4 - (std.length % 4)) % 4))
  if (!bytes) return false
  try { zlibDecompress(bytes, DEFAULT_MAX_DECOMPRESSED_BYTES); return true } catch { return false }
}

function malformedFinding(e: UserSigError, token: string): Finding {
  if (e.stage === 'zlib' && token.includes('-') && isRfcBase64UrlZlib(token.trim())) {
    return f('RFC_BASE64URL', 'error', 'the UserSig was encoded with RFC 4648 base64url (- and _ for 62 and 63); Tencent\'s alphabet uses * for +, - for / and _ only as padding',
      'encode with Tencent\'s alphabet: standard base64, then + → *, / → -, = → _', 70003)
  }
  if (e.stage === 'zlib' && /truncated/.test(e.message)) {
    const len = token.trim().length
    const column = [64, 100, 128, 200, 255, 256, 500, 512, 1000, 1024].includes(len) ? ` Its length, ${len}, is a typical column or buffer size.` : ''
    return f('TRUNCATED', 'error', `the UserSig is cut off (${len} characters, the compressed stream ends early).${column}`,
      'was it stored in a column or buffer that is too short? Store UserSigs in a TEXT column or at least 1024 characters', 70003)
  }
  return f('MALFORMED', 'error', `the UserSig cannot be decoded (${e.stage}): ${e.message}`, e.hint ?? 'issue a new UserSig with an official or usersig signer', e.tencentCode ?? 70003)
}

/**
 * Explains a UserSig or PrivateMapKey with whatever the caller knows. Every input is optional.
 * @example
 * const ex = explainUserSig(userSig, { sdkAppId: 1400000000, userId: 'alice', secretKey })
 * console.log(ex.verdict, ex.tencentCode, ex.summary)
 * for (const f of ex.findings) console.log(f.severity, f.message, '→', f.fix)
 */
export function explainUserSig(token: string, options: ExplainOptions = {}): Explanation {
  const prefix = tokenPrefix(token)
  const findings: Finding[] = []
  const done = (decoded?: DecodedUserSig, keyId?: string, signatureChecked = false): Explanation => {
    findings.sort((a, b) => rank(a) - rank(b))
    const errors = findings.filter((x) => x.severity === 'error')
    const verdict = errors.length > 0 ? 'invalid' : signatureChecked ? 'valid' : 'unknown'
    const first = errors[0]
    const summary = verdict === 'invalid' ? `Invalid: ${first!.message}${first!.tencentCode !== undefined ? ` (Tencent error ${first!.tencentCode})` : ''}`
      : verdict === 'valid' ? `Valid${keyId ? `, signed by key ${keyId}` : ''}${decoded ? `; expires ${isoTime(decoded.expiresAt)}` : ''}`
        : `Decoded; the signature was not checked (no key given)${findings.some((x) => x.severity === 'warning') ? ', with warnings' : ''}`
    const out: Explanation = { verdict, summary, findings, tokenPrefix: prefix }
    if (first?.tencentCode !== undefined) out.tencentCode = first.tencentCode
    if (decoded) out.decoded = decoded
    if (keyId) out.keyId = keyId
    return out
  }

  if (typeof token !== 'string') {
    findings.push(f('NOT_A_STRING', 'error', `the UserSig must be a string, got ${token === null ? 'null' : typeof token}`, 'pass the UserSig string', 70002))
    return done()
  }
  const now = safeNow(options.now)
  const cap = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES
  let text = token
  const shape = shapeFindings(text)
  findings.push(...shape.findings)
  if (shape.findings.some((x) => x.severity === 'error')) {
    if (shape.retry === undefined) return done()
    text = shape.retry
  }

  let decoded: DecodedUserSig
  try {
    const env = openEnvelope(text, cap)
    decoded = readFields(env.json, env.warnings)
  } catch (e) {
    findings.push(e instanceof UserSigError ? malformedFinding(e, text) : f('MALFORMED', 'error', 'the UserSig cannot be decoded', 'issue a new UserSig', 70003))
    return done()
  }

  for (const w of decoded.warnings) {
    if (w.code === 'MISSING_PADDING') findings.push(f(w.code, 'warning', w.message, 'keep the trailing "_" characters when storing or copying the UserSig'))
    else if (w.code === 'TRAILING_BYTES') findings.push(f(w.code, 'warning', w.message, 'the UserSig has extra data appended; pass exactly what the signer produced'))
    else if (w.code === 'WHITESPACE') findings.push(f(w.code, 'warning', w.message, 'trim the UserSig before passing it on'))
    else if (w.code === 'STANDARD_ALPHABET') findings.push(f(w.code, 'info', w.message, 'Tencent accepts it, but some tools expect * - _'))
  }

  if (decoded.version === 'v1') {
    findings.push(f('LEGACY_V1', 'info', 'this is a legacy (v1) UserSig signed with ECDSA-SHA256, used by apps created before 2019-07-19',
      'verify it with the app\'s public key; consider upgrading the app to the HMAC algorithm in the console'))
  }

  // Lifetime and time checks (no key needed).
  const isPmk = decoded.privateMapKey !== null
  if (decoded.expire === 0) findings.push(f('TTL_ZERO', 'error', 'the UserSig has a lifetime of 0 seconds: it expires the moment it is issued', 'issue it with a lifetime, e.g. 7 days (expiresIn: "7d")', 70001))
  else if (!isPmk && decoded.expire < DAY) findings.push(f('TTL_SHORT', 'warning', `the lifetime is only ${ago(decoded.expire)}; Tencent recommends at least 24 h (TRTC reconnects and IM re-logins need a valid UserSig)`, 'issue UserSigs for 1-7 days and refresh them before they expire'))
  else if (decoded.expire > 10 * 365 * DAY) findings.push(f('TTL_LONG', 'warning', `the lifetime is ${ago(decoded.expire)}: more than 10 years`, 'was milliseconds passed as seconds? Long-lived UserSigs cannot be revoked; prefer days'))
  if (decoded.time > now) findings.push(f('FUTURE_ISSUE_TIME', 'warning', `the UserSig was issued ${ago(decoded.time - now)} in the future: the signing server's clock is ahead`, 'synchronise the server clock (NTP)'))
  const tolerance = options.clockTolerance ?? 0
  if (decoded.expire > 0 && now > decoded.expiresAt + tolerance) {
    findings.push(f('EXPIRED', 'error', `the UserSig expired at ${isoTime(decoded.expiresAt)}, ${ago(now - decoded.expiresAt)} ago`, 'issue a new UserSig; refresh before expiry (IM: onUserSigExpired / error 6206)', 70001))
  }

  // Identity checks.
  if (options.userId !== undefined) {
    const want = String(options.userId)
    if (decoded.identifier !== want) {
      let why = ''
      if (decoded.identifier.toLowerCase() === want.toLowerCase()) why = ' (they differ only in case: UserIDs are case-sensitive)'
      else if (decoded.identifier.trim() === want.trim()) why = ' (they differ only in surrounding whitespace)'
      findings.push(f('IDENTIFIER_MISMATCH', 'error', `the UserSig is for UserID ${JSON.stringify(decoded.identifier)}, but the client logs in as ${JSON.stringify(want)}${why}`,
        'issue the UserSig for the exact UserID the client uses to log in or enter the room', 70013))
    }
  }
  try { checkUserId(decoded.identifier, 'im') } catch (e) {
    findings.push(f('USERID_NOT_IM', 'warning', `the UserID ${e instanceof UserSigError ? e.message.replace(/^userId /, '') : 'is not accepted by IM'}`, 'IM accepts printable ASCII UserIDs of at most 32 bytes (error 7003); TRTC is more lenient', 7003))
  }
  let expectedApp: number | undefined
  if (options.sdkAppId !== undefined) {
    expectedApp = typeof options.sdkAppId === 'string' && /^\d+$/.test(options.sdkAppId.trim()) ? Number(options.sdkAppId.trim()) : Number(options.sdkAppId)
    if (typeof options.sdkAppId === 'string' && options.sdkAppId.trim() !== options.sdkAppId) {
      findings.push(f('SDKAPPID_WHITESPACE', 'warning', 'the SDKAppID you gave has surrounding whitespace', 'pass the SDKAppID as a number'))
    }
    const tokenApp = decoded.version === 'v1' ? String(decoded.fields['TLS.sdk_appid']) : String(decoded.sdkAppId)
    if (tokenApp !== String(expectedApp)) {
      findings.push(f('SDKAPPID_MISMATCH', 'error', `the UserSig is for SDKAppID ${tokenApp}, but the client uses ${expectedApp}`,
        'use the SDKAppID of the app whose key signed the UserSig (a hard-coded demo SDKAppID, or staging vs production?)', 70014))
    }
  }

  // Signature.
  let keyId: string | undefined
  let signatureChecked = false
  const haveSecret = options.secretKey !== undefined || (options.secretKeys !== undefined && options.secretKeys.length > 0)
  const havePublic = typeof options.publicKey === 'string'
  if (options.secretKey !== undefined) keyFindings(options.secretKey, findings)
  for (const k of options.secretKeys ?? []) keyFindings(k.secretKey, findings, k.id)
  if (decoded.version === 'v2' && !haveSecret && havePublic) {
    findings.push(f('WRONG_ALGORITHM', 'error', 'this UserSig uses the current HMAC algorithm, but you gave an ECDSA public key', 'verify with the app\'s secret key (SDKSecretKey); the app was upgraded from the legacy algorithm', 70009))
  } else if (decoded.version === 'v1' && haveSecret && !havePublic) {
    findings.push(f('WRONG_ALGORITHM', 'error', 'this is a legacy ECDSA UserSig, but you gave an HMAC secret key', 'the app now uses the HMAC algorithm: issue new UserSigs with createSigner; to check this one pass the old public key', 70009))
  } else if (haveSecret || havePublic) {
    const r = runVerify(text, decoded, options, expectedApp, now)
    if (r) {
      signatureChecked = true
      if (r.ok) keyId = r.keyId
      else if (r.failures.some((x) => x.reason === 'SIGNATURE_INVALID')) {
        const trimmedMatch = options.secretKey !== undefined && options.secretKey.trim() !== options.secretKey && verifiesWith(text, decoded, options.secretKey.trim())
        if (trimmedMatch) {
          findings.push(f('KEY_WHITESPACE', 'error', 'the UserSig was signed with your key without its surrounding whitespace: the key you use has stray spaces or a newline', 'trim the secret key where it is configured', 70009))
        } else {
          const n = (options.secretKeys?.length ?? 0) + (options.secretKey !== undefined ? 1 : 0)
          findings.push(f('SIGNATURE_INVALID', 'error', n > 1 ? `the signature matches none of the ${n} keys given` : 'the signature does not match this key',
            'the UserSig was signed with another key: check that the key belongs to this SDKAppID (not another app, staging, or a Debug/Release mix-up)', 70009))
        }
      } else if (r.failures.length > 0 && !r.failures.some((x) => x.reason === 'SIGNATURE_INVALID')) {
        // The other checks already have findings; the signature itself matched.
        keyId = keyIdFromFailureRun(text, decoded, options, now)
      }
    }
  }
  if (keyId) findings.push(f('SIGNED_BY', 'info', `signed by key ${keyId}`, 'no action needed'))

  pmkFindings(decoded, options, now, findings)
  return done(decoded, keyId, signatureChecked)
}

function rank(x: Finding): number {
  const sev = x.severity === 'error' ? 0 : x.severity === 'warning' ? 1000 : 2000
  const i = ORDER.indexOf(x.code)
  return sev + (i < 0 ? 500 : i)
}

function safeNow(now: number | Date | undefined): number {
  try { return toUnixSeconds(now) } catch { return Math.floor(Date.now() / 1000) }
}

function keyFindings(key: string, findings: Finding[], id?: string): void {
  const name = id ? `key "${id}"` : 'the secret key'
  if (typeof key !== 'string') return
  if (key.includes('-----BEGIN')) findings.push(f('KEY_IS_PEM', 'warning', `${name} is a PEM key: that is the legacy ECDSA key pair, not the HMAC secret`, 'pass it as publicKey (for verification) or use the HMAC secret from the console'))
  else if (/^[A-Za-z0-9]{32,40}$/.test(key) && !/^[0-9a-f]{64}$/.test(key)) findings.push(f('KEY_LOOKS_LIKE_CAM', 'warning', `${name} looks like a Tencent Cloud API (CAM) SecretKey, not the app's SDKSecretKey`, 'copy the key from the IM/TRTC console page of this application (usually 64 hex characters)'))
  if (key.trim() !== key) findings.push(f('KEY_HAS_WHITESPACE', 'warning', `${name} has leading or trailing whitespace`, 'trim it: the HMAC uses the key bytes exactly as given'))
}

function runVerify(text: string, decoded: DecodedUserSig, o: ExplainOptions, expectedApp: number | undefined, now: number): VerifyResult | null {
  try {
    const opts: Parameters<typeof verifyUserSig>[1] = {
      // When the caller gave no expected identity, check only the signature: use the token's own values.
      sdkAppId: expectedApp !== undefined && Number.isInteger(expectedApp) ? expectedApp : decoded.version === 'v1' ? String(decoded.fields['TLS.sdk_appid']) : decoded.sdkAppId,
      userId: o.userId ?? decoded.identifier,
      now,
      maxDecompressedBytes: o.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES,
    }
    if (o.secretKey !== undefined) opts.secretKey = o.secretKey
    if (o.secretKeys !== undefined) opts.secretKeys = o.secretKeys
    if (o.publicKey !== undefined) opts.publicKey = o.publicKey
    if (o.clockTolerance !== undefined) opts.clockTolerance = o.clockTolerance
    return verifyUserSig(text, opts)
  } catch (e) {
    return null
  }
}

function verifiesWith(text: string, decoded: DecodedUserSig, secretKey: string): boolean {
  if (secretKey === '') return false
  const r = verifyUserSig(text, { sdkAppId: decoded.sdkAppId, userId: decoded.identifier, secretKey, now: decoded.time })
  return r.ok
}

function keyIdFromFailureRun(text: string, decoded: DecodedUserSig, o: ExplainOptions, now: number): string | undefined {
  // Re-run with the token's own identity and time so only the signature is judged, to name the key.
  const r = runVerify(text, decoded, { ...o, userId: decoded.identifier, sdkAppId: decoded.sdkAppId, clockTolerance: Math.max(0, now - decoded.expiresAt) }, undefined, decoded.time)
  return r && r.ok ? r.keyId : undefined
}

function pmkFindings(d: DecodedUserSig, o: ExplainOptions, now: number, findings: Finding[]): void {
  const wantsRoom = o.roomId !== undefined || o.strRoomId !== undefined
  const pmk = d.privateMapKey
  if (!pmk) {
    if (wantsRoom) {
      findings.push(f('NOT_A_PRIVATE_MAP_KEY', 'error', d.userBuf ? 'the UserSig carries a userbuf that is not a PrivateMapKey layout' : 'this is a plain UserSig, not a PrivateMapKey',
        'with advanced permission control on, enterRoom needs a privateMapKey issued for this user and room', -100006))
    }
    return
  }
  if (!wantsRoom) findings.push(f('IS_PRIVATE_MAP_KEY', 'info', `this is a PrivateMapKey for ${pmk.strRoomId !== null ? `string room ${JSON.stringify(pmk.strRoomId)}` : `room ${pmk.roomId}`} with privileges ${pmk.privileges} (${pmk.privilegeNames.join(', ') || 'none'})`,
    'pass it as privateMapKey when entering that room; log in with a plain UserSig'))
  if (o.roomId !== undefined && (pmk.version !== 0 || pmk.roomId !== o.roomId)) {
    const hint = pmk.strRoomId !== null && pmk.strRoomId === String(o.roomId) ? ' (it is for the STRING room "' + pmk.strRoomId + '"; string "123" and number 123 are different rooms)' : ''
    findings.push(f('PMK_ROOM_MISMATCH', 'error', `the PrivateMapKey is for ${pmk.strRoomId !== null ? `string room ${JSON.stringify(pmk.strRoomId)}` : `room ${pmk.roomId}`}, not room ${o.roomId}${hint}`, 'issue the PrivateMapKey for the room being entered', -100006))
  }
  if (o.strRoomId !== undefined && (pmk.version !== 1 || pmk.strRoomId !== o.strRoomId)) {
    const hint = pmk.strRoomId === null && String(pmk.roomId) === o.strRoomId ? ` (it is for the NUMERIC room ${pmk.roomId}; string "123" and number 123 are different rooms)` : ''
    findings.push(f('PMK_ROOM_MISMATCH', 'error', `the PrivateMapKey is for ${pmk.strRoomId !== null ? `string room ${JSON.stringify(pmk.strRoomId)}` : `room ${pmk.roomId}`}, not string room ${JSON.stringify(o.strRoomId)}${hint}`, 'issue the PrivateMapKey for the room being entered', -100006))
  }
  if (pmk.account !== d.identifier) {
    findings.push(f('PMK_ACCOUNT_MISMATCH', 'error', `the account inside the PrivateMapKey (${JSON.stringify(pmk.account)}) differs from TLS.identifier (${JSON.stringify(d.identifier)})`,
      pmk.nonUtf8 ? 'the signer truncated non-ASCII characters (official Node/Java libraries): use a signer that writes UTF-8' : 'issue the PrivateMapKey with a correct signer', -100006))
  } else if (pmk.nonUtf8) {
    findings.push(f('PMK_NON_UTF8', 'warning', 'the PrivateMapKey strings are not UTF-8 (a low-byte producer)', 'use a signer that writes UTF-8 (Go, PHP, C++ or usersig)'))
  }
  if (pmk.sdkAppId !== (d.sdkAppId >>> 0)) findings.push(f('PMK_SDKAPPID_MISMATCH', 'error', `the SDKAppID inside the PrivateMapKey (${pmk.sdkAppId}) differs from the token's (${d.sdkAppId})`, 'issue the PrivateMapKey with a correct signer', -100006))
  if (pmk.expiresAt < ((d.expiresAt >>> 0) - 1)) {
    findings.push(f('PMK_INNER_EXPIRY_EARLY', 'warning', `the room permission inside expires at ${isoTime(pmk.expiresAt)}, before the token itself (${isoTime(d.expiresAt)})`, 'the inner expiry is absolute (now + expire); an old signer may have written the relative value'))
    if (now > pmk.expiresAt) findings.push(f('PMK_EXPIRED', 'error', `the room permission expired at ${isoTime(pmk.expiresAt)}`, 'issue a new PrivateMapKey', -100006))
  }
  if ((pmk.privileges & 2) === 0) findings.push(f('PMK_NO_ENTER', wantsRoom ? 'error' : 'warning', `the privileges (${pmk.privileges}) do not include "enter" (2): this user cannot enter the room`, 'grant at least enter (2); audience = 42, anchor = 255', -100006))
  else if ((pmk.privileges & 1) === 0) findings.push(f('PMK_NO_CREATE', 'info', 'the privileges do not include "create" (1): the user cannot create the room if it does not exist yet (-102010)', 'grant create to the users who open rooms'))
}
