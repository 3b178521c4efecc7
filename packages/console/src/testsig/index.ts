/**
 * The safe GenerateTestUserSig: signs a short-lived UserSig in the page for local development, synchronously, with
 * the core's pure-JS signer (no WebCrypto, no TextEncoder, so it also runs in mini-programs).
 *
 * Guard rails, because a secret key in a web page is readable by anyone who loads the page:
 * - refuses on any origin but localhost / 127.0.0.1 / [::1] / file: (where only the classic script loads: browsers
 *   block module scripts there) unless `allowInsecureOrigin: true`, and then logs a loud warning; where there is no
 *   `location` (a mini-program) it signs and warns once;
 * - default expiry 1 day (the shortest lifetime the debugger does not flag as TTL_SHORT), at most 7 days;
 * - an option name it does not know (`sdkAppId`, `secretKey`, `SecretKy`) is refused with the name it probably meant;
 * - the key is held in this module's memory only (never stored); `forgetTestUserSigConfig()` drops it.
 *
 * The whole bundle must stay under 8 KB gzipped (scripts/size.mjs), so this file is terse on purpose: it imports
 * the core's sign-only entry `signUserSig` (no PrivateMapKey code) and reuses the core's checks (SDKAppID, key, UserID,
 * duration syntax), whose helpers that entry already pulls in.
 */
import { normalizeSdkAppId, parseExpiresIn, signUserSig } from 'usersig'

/** What `configureTestUserSig` keeps for the page: the app, its key, and the lifetime of the test UserSigs. */
export interface TestSigConfig {
  /** The application ID, e.g. 1400000000. */
  SDKAppID: number | string
  /** The application's secret key (SDKSecretKey). Kept in memory only. */
  SecretKey: string
  /** Seconds or "90s" / "30m" / "12h" / "7d". Default 1 day, at most 7 days. */
  expiresIn?: number | string
  /** Sign even on an origin that is not local (a shared dev server). Logs a loud warning each time. */
  allowInsecureOrigin?: boolean
}

/** One-call form (`genTestUserSig`): the configuration and the user, as Tencent's demo file takes them. */
export interface TestSigOptions extends TestSigConfig {
  /** The user the test UserSig is for (spelled as in Tencent's demo `GenerateTestUserSig`). */
  userID: string
}

/** A test UserSig and the SDKAppID it is for, under both the glossary's name and the demos' name. */
export interface TestSigResult {
  sdkAppId: number
  /** The same value under the name the Tencent demos use. */
  SDKAppID: number
  userSig: string
}

/** Why genTestUserSig refused. Errors are `Error`s with `name: 'TestSigError'` and this `code`. */
export type TestSigErrorCode = 'NOT_CONFIGURED' | 'INSECURE_ORIGIN' | 'EXPIRES_IN_TOO_LONG' | 'UNKNOWN_OPTION'

/** The error every refusal throws: check `name === 'TestSigError'`, then branch on `code`. */
export interface TestSigError extends Error {
  name: 'TestSigError'
  code: TestSigErrorCode
}

const P = 'usersig-testsig: '
const MAX_EXPIRES_IN = 7 * 86400
/** One day: the debugger's explain flags anything shorter (TTL_SHORT), so the default must not be. */
const DEFAULT_EXPIRES_IN = 86400
const OPTION_NAMES = ['SDKAppID', 'SecretKey', 'expiresIn', 'allowInsecureOrigin', 'userID']

let config: TestSigConfig | undefined
let warnedNoLocation = false

function fail(code: TestSigErrorCode, message: string): never {
  throw Object.assign(new Error(P + message), { name: 'TestSigError', code })
}

/** Sets the values `genTestUserSig(userID)` uses. The key stays in this module's memory. */
export function configure(options: TestSigConfig): void {
  checkNames(options)
  config = Object.assign({}, options)
}

/** Refuses a name that is not an option, naming the option it was probably meant to be (case, `_`, one or two typos). */
function checkNames(options: object): void {
  for (const name of Object.keys(options)) {
    if (OPTION_NAMES.indexOf(name) >= 0) continue
    const near = OPTION_NAMES.filter((k) => isNear(flat(k), flat(name.slice(0, 40))))[0]
    fail('UNKNOWN_OPTION', `unknown option "${name.slice(0, 40)}": ${near ? `did you mean "${near}"?` : `use ${OPTION_NAMES}`}`)
  }
}

const flat = (x: string): string => x.toLowerCase().replace(/[_-]/g, '')

/**
 * The same name but for case, `_`/`-`, or up to two letters left out (`SecretKy`). Hand-written instead of an edit
 * distance because this module has an 8 KiB budget and these are the slips people make with five option names.
 */
function isNear(option: string, given: string): boolean {
  if (given.length > option.length || option.length - given.length > 2) return false
  let i = 0
  for (const c of option) if (c === given[i]) i++
  return i === given.length
}

/** Drops the configured key from memory. */
export function forgetTestUserSigConfig(): void {
  config = undefined
}

/**
 * Returns `{ sdkAppId, SDKAppID, userSig }` for `userID`, using `configure()`'s values, or the values passed in an
 * options object. Throws (code INSECURE_ORIGIN) off localhost unless allowInsecureOrigin is set.
 */
export function genTestUserSig(userIDOrOptions: string | TestSigOptions): TestSigResult {
  const o: TestSigOptions | undefined =
    typeof userIDOrOptions === 'string' ? config && Object.assign({ userID: userIDOrOptions }, config) : userIDOrOptions
  if (!o) fail('NOT_CONFIGURED', 'call configure({ SDKAppID, SecretKey }) first')
  if (typeof userIDOrOptions !== 'string') checkNames(userIDOrOptions)
  checkOrigin(o.allowInsecureOrigin === true)
  // The core parses and validates everything (UserSigError with a hint); the cap is checked on the parsed duration.
  const expiresIn = o.expiresIn === undefined ? DEFAULT_EXPIRES_IN : parseExpiresIn(o.expiresIn)
  if (expiresIn > MAX_EXPIRES_IN) fail('EXPIRES_IN_TOO_LONG', 'expiresIn is capped at 7 days for test sigs')
  const sdkAppId = normalizeSdkAppId(o.SDKAppID)
  const userSig = signUserSig({ sdkAppId, secretKey: o.SecretKey, userId: o.userID, expiresIn })
  return { sdkAppId, SDKAppID: sdkAppId, userSig }
}

function checkOrigin(allowInsecure: boolean): void {
  // `typeof location` rather than globalThis: older mini-program engines have no globalThis.
  const loc = (typeof location === 'object' ? location : undefined) as { protocol?: unknown; hostname?: unknown; origin?: unknown } | undefined
  const warn = (m: string): void => console.warn(P + m)
  if (!loc || typeof loc.protocol !== 'string') {
    // A mini-program (no location): allowed, since nothing here is served to strangers; reminded once.
    if (!warnedNoLocation) warn('secret key inside the app: development only')
    warnedNoLocation = true
    return
  }
  if (loc.protocol === 'file:' || /^(localhost|127\.0\.0\.1|\[::1\])$/i.test(String(loc.hostname))) return
  const where = String(loc.origin)
  if (!allowInsecure) {
    fail('INSECURE_ORIGIN', `refusing to sign on ${where}: a key in a web page is public. Use localhost, 127.0.0.1, file:// (classic .js) or allowInsecureOrigin: true`)
  }
  const bar = '\n' + '!'.repeat(64)
  warn(`${bar}\n!! SECRET KEY EXPOSED on ${where}: anyone can read it and sign as any user.\n!! allowInsecureOrigin is for development only; rotate the key if this page was public.${bar}`)
}
