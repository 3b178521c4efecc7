import { quote, UserSigError } from './errors.js'

/** 50 years: the longest lifetime Tencent documents. Larger values are almost always milliseconds or a timestamp. */
export const MAX_EXPIRES_IN: number = 50 * 365 * 86400

/**
 * The common lifetime whose milliseconds `seconds` equals, or null: whole days up to a year, or hours that divide a day
 * (86400000 → 86400, one day in milliseconds; 604800000 → 604800).
 * @example lifetimeInMilliseconds(604800000) // 604800
 */
export function lifetimeInMilliseconds(seconds: number): number | null {
  const s = seconds / 1000
  return s % 3600 === 0 && s > 0 && (s % 86400 === 0 ? s <= 365 * 86400 : 86400 % s === 0) ? s : null
}

/**
 * The one duration grammar, as a regular expression's source (JSON Schema patterns use it too): a whole number of 1 to
 * 12 digits, optionally followed by a unit `ms`, `s`, `m`, `h`, `d` or `w` (none: seconds); whitespace around the
 * whole and before the unit is ignored; no fraction, no sign. The space before the unit sits in the unit's optional
 * group, so no two `\s*` meet and matching stays linear.
 */
export const DURATION_PATTERN: string = '^\\s*([0-9]{1,12})(?:\\s*(ms|[smhdw]))?\\s*$'

// The same grammar as a literal: the bundle of a signer carries no pattern string (a test holds the two equal).
const DURATION = /^\s*([0-9]{1,12})(?:\s*(ms|[smhdw]))?\s*$/
const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 }

/**
 * Seconds from a duration: a finite number is seconds as given; a string is read by the one grammar
 * (DURATION_PATTERN), `ms` giving a fraction of a second. Anything else, or a string longer than 32 characters, is NaN:
 * each caller words its own refusal and checks its own range (a lifetime also wants whole seconds).
 * @example parseDuration('2w') // 1209600
 * @example parseDuration('1.5h') // NaN: no fraction; write '90m'
 */
export function parseDuration(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN
  const m = typeof value === 'string' && value.length <= 32 ? DURATION.exec(value) : null
  return m ? Number(m[1]) * UNITS[m[2] ?? 's']! : NaN
}

/**
 * Parses a lifetime: positive whole seconds, or a duration string of the one grammar ("90s", "30m", "12h", "7d",
 * "2w"; see parseDuration) that comes to whole seconds.
 * @example parseExpiresIn('7d') // 604800
 */
export function parseExpiresIn(value: unknown, field = 'expiresIn', options: { allowUnusualLifetime?: boolean | undefined } = {}): number {
  const seconds = parseDuration(value)
  if (!Number.isInteger(seconds)) {
    const shown = typeof value === 'string' ? quote(value) : typeof value === 'number' ? value : value === null ? 'null' : typeof value
    throw new UserSigError('INVALID_EXPIRES_IN', `${field} ${shown} is not whole seconds or a duration`, { hint: 'use seconds or a duration such as "90s", "30m", "12h", "7d"' })
  }
  if (seconds <= 0) {
    throw new UserSigError('INVALID_EXPIRES_IN', `${field} must be positive, got ${seconds}`, { hint: 'a UserSig with no lifetime expires immediately (error 70001)', tencentCode: 70001 })
  }
  if (seconds > MAX_EXPIRES_IN) {
    throw new UserSigError('INVALID_EXPIRES_IN', `${field} of ${seconds} seconds is more than 50 years`, { hint: 'expiresIn is a duration in seconds, not milliseconds and not an absolute timestamp' })
  }
  const ms = options.allowUnusualLifetime ? null : lifetimeInMilliseconds(seconds)
  if (ms !== null) {
    throw new UserSigError('INVALID_EXPIRES_IN', `${field} ${seconds} is ${ms} s in milliseconds`, { hint: `pass ${ms}, or allowUnusualLifetime` })
  }
  return seconds
}
