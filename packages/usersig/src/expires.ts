import { quote, UserSigError } from './errors.js'

/** 50 years: the longest lifetime Tencent documents. Larger values are almost always milliseconds or a timestamp. */
export const MAX_EXPIRES_IN: number = 50 * 365 * 86400

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }

/**
 * Parses a lifetime: positive integer seconds, or a duration string "90s", "30m", "12h", "7d", "2w".
 * @example parseExpiresIn('7d') // 604800
 */
export function parseExpiresIn(value: unknown, field = 'expiresIn'): number {
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
  return seconds
}
