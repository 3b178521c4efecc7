/** Flag values the CLI checks itself before the core sees them. */
import { usageError } from './errors.js'

/** Unix seconds now, or the `--now` value: unix seconds or an ISO 8601 date. */
export function parseNow(value: string | undefined): number {
  if (value === undefined) return Math.floor(Date.now() / 1000)
  const v = value.trim()
  if (/^\d+$/.test(v)) {
    const n = Number(v)
    if (n > 1e11) throw usageError(`--now ${v} looks like milliseconds`, 'give unix seconds (10 digits) or an ISO date such as 2024-01-01T00:00:00Z')
    return n
  }
  const ms = /^\d{4}-\d{2}-\d{2}/.test(v) ? Date.parse(v) : Number.NaN
  if (Number.isNaN(ms)) {
    throw usageError(`--now must be unix seconds or an ISO 8601 date, got ${JSON.stringify(v)}`, 'for example --now 1700000000 or --now 2024-01-01T00:00:00Z')
  }
  return Math.floor(ms / 1000)
}

/** A whole number flag within [min, max]. */
export function parseInteger(flag: string, value: string, min: number, max: number): number {
  const v = value.trim()
  if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) {
    throw usageError(`${flag} must be a whole number, got ${JSON.stringify(value)}`, `use an integer from ${min} to ${max}`)
  }
  const n = Number(v)
  if (n < min || n > max) throw usageError(`${flag} must be from ${min} to ${max}, got ${n}`)
  return n
}

/** `--expires-in`: the text as given (trimmed); the core's parseExpiresIn is the one duration grammar. */
export function expiresInValue(value: string | undefined): string | undefined {
  return value?.trim()
}

/** `--sdkappid`: the core's check, with the flag named in the message (the core speaks of `sdkAppId`). */
export function parseSdkAppId(value: string, normalize: (v: unknown) => number): number {
  try {
    return normalize(value)
  } catch (err) {
    const e = err as { name?: string; message?: string; hint?: string }
    if (e.name !== 'UserSigError') throw err
    throw usageError(`--sdkappid ${JSON.stringify(value)}: ${e.message ?? 'invalid'}`, e.hint)
  }
}
