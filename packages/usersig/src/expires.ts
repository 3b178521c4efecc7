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

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }

/**
 * Parses a lifetime: positive integer seconds, or a duration string "90s", "30m", "12h", "7d", "2w".
 * @example parseExpiresIn('7d') // 604800
 */
export function parseExpiresIn(value: unknown, field = 'expiresIn', options: { allowUnusualLifetime?: boolean | undefined } = {}): number {
  let seconds: number
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) {
      throw new UserSigError('INVALID_EXPIRES_IN', `${field} must be whole seconds, got ${value}`, { hint: 'pass an integer number of seconds or a string like "7d"' })
    }
    seconds = value
  } else if (typeof value === 'string') {
    const m = /^([0-9]{1,12})\s*([smhdw]?)$/.exec(value)
    if (!m) throw new UserSigError('INVALID_EXPIRES_IN', `${field} ${quote(value)} is not a duration`, { hint: 'use seconds or a duration such as "90s", "30m", "12h", "7d"' })
    seconds = Number(m[1]) * UNITS[m[2] || 's']!
  } else {
    throw new UserSigError('INVALID_EXPIRES_IN', `${field} must be seconds or a duration string, got ${value === null ? 'null' : typeof value}`, { hint: 'use seconds or a duration such as "7d"' })
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
