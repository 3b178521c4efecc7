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

/**
 * Runs the core's check of a flag value: its UserSigError becomes a usage error naming the flag and showing the value
 * (the core speaks of `sdkAppId` / `userId`; a flag value is never a secret, those come from files or the environment).
 */
function checkFlag<T>(flag: string, value: string, check: () => T): T {
  try {
    return check()
  } catch (err) {
    const e = err as { name?: string; message?: string; hint?: string }
    if (e.name !== 'UserSigError') throw err
    const shown = JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value)
    throw usageError(`${flag} ${shown}: ${(e.message ?? 'invalid').replace(/^userId /, '')}`, e.hint)
  }
}

/** `--sdkappid`: the core's check, with the flag named in the message. */
export function parseSdkAppId(value: string, normalize: (v: unknown) => number): number {
  return checkFlag('--sdkappid', value, () => normalize(value))
}

/**
 * `--userid` for gen and pmk: the core's tool check (no surrounding whitespace unless `--allow-unusual-user-id`), with
 * the flag named and the value shown JSON-quoted, so the whitespace is visible.
 */
export function checkUserIdFlag(value: string, allowUnusualUserId: boolean | undefined, check: (v: unknown, o: { allowUnusualUserId: boolean }) => string): string {
  return checkFlag('--userid', value, () => check(value, { allowUnusualUserId: allowUnusualUserId === true }))
}
