import { UserSigError } from './errors.js'

/** Converts an injected clock value (unix seconds or a Date) to whole unix seconds; reads the wall clock once if absent. */
export function toUnixSeconds(now?: number | Date, field = 'now'): number {
  if (now === undefined) return Math.floor(Date.now() / 1000)
  if (now instanceof Date) {
    const ms = now.getTime()
    if (!Number.isFinite(ms)) throw new UserSigError('INVALID_NOW', `${field} is an invalid Date`)
    return Math.floor(ms / 1000)
  }
  if (typeof now !== 'number' || !Number.isFinite(now) || now < 0) {
    throw new UserSigError('INVALID_NOW', `${field} must be unix seconds or a Date`, { hint: 'pass Math.floor(Date.now() / 1000) or a Date' })
  }
  if (now > 1e11) {
    throw new UserSigError('INVALID_NOW', `${field} looks like milliseconds (${now})`, { hint: 'pass unix seconds: Math.floor(ms / 1000)' })
  }
  return Math.floor(now)
}
