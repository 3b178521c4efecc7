/**
 * Flag values the CLI checks itself before the core sees them. A message shows a flag's value only through quoteValue:
 * a short prefix, and nothing of a value that looks like a key (a secret pasted into the wrong flag).
 */
import { usageError } from './errors.js'
import { KEY_NOT_SHOWN, looksLikeKey, quoteValue } from './quote.js'

/** Unix seconds now, or the `--now` value: unix seconds or an ISO 8601 date. */
export function parseNow(value: string | undefined): number {
  if (value === undefined) return Math.floor(Date.now() / 1000)
  const v = value.trim()
  if (/^\d+$/.test(v)) {
    const n = Number(v)
    if (n > 1e11) throw usageError(`--now ${quoteValue(v)} looks like milliseconds`, 'give unix seconds (10 digits) or an ISO date such as 2024-01-01T00:00:00Z')
    return n
  }
  const ms = /^\d{4}-\d{2}-\d{2}/.test(v) ? Date.parse(v) : Number.NaN
  if (Number.isNaN(ms)) {
    throw usageError(`--now must be unix seconds or an ISO 8601 date, got ${quoteValue(v)}`, 'for example --now 1700000000 or --now 2024-01-01T00:00:00Z')
  }
  return Math.floor(ms / 1000)
}

/** A whole number flag within [min, max]. */
export function parseInteger(flag: string, value: string, min: number, max: number): number {
  const v = value.trim()
  if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) {
    throw usageError(`${flag} must be a whole number, got ${quoteValue(value)}`, `use an integer from ${min} to ${max}`)
  }
  const n = Number(v)
  if (n < min || n > max) throw usageError(`${flag} must be from ${min} to ${max}, got ${n}`)
  return n
}

/** `--expires-in`: the text as given (trimmed); the core's parseExpiresIn is the one duration grammar. */
export function expiresInValue(value: string | undefined): string | undefined {
  return value === undefined ? undefined : refuseKeyShaped('--expires-in', value.trim())
}

const KEY_HINT = 'keys are read from USERSIG_SECRET_KEY, --key-file or --key-stdin, never from a flag value'

/**
 * A value for a flag the core parses and whose errors quote a prefix of it (`--expires-in`, `--privileges`): refused
 * here, unquoted, when it looks like a key. Nothing key-shaped is a valid duration or privilege list.
 */
export function refuseKeyShaped(flag: string, value: string): string {
  if (looksLikeKey(value)) throw usageError(`${flag}: ${KEY_NOT_SHOWN}`, KEY_HINT)
  return value
}

/**
 * Runs the core's check of a flag value: its UserSigError becomes a usage error naming the flag and quoting the value
 * (the core speaks of `sdkAppId` / `userId`). When the value looks like a key, neither it nor the core's message (which
 * may quote a prefix of it) is shown.
 */
function checkFlag<T>(flag: string, value: string, check: () => T): T {
  try {
    return check()
  } catch (err) {
    const e = err as { name?: string; message?: string; hint?: string }
    if (e.name !== 'UserSigError') throw err
    if (looksLikeKey(value)) throw usageError(`${flag}: ${KEY_NOT_SHOWN}`, KEY_HINT)
    throw usageError(`${flag} ${quoteValue(value)}: ${(e.message ?? 'invalid').replace(/^userId /, '')}`, e.hint)
  }
}

/** `--sdk-app-id`: the core's check, with the flag named in the message. */
export function parseSdkAppId(value: string, normalize: (v: unknown) => number): number {
  return checkFlag('--sdk-app-id', value, () => normalize(value))
}

/**
 * `--user-id` for gen and pmk: the core's tool check (no surrounding whitespace unless `--allow-unusual-user-id`), with
 * the flag named and the value quoted, so the whitespace is visible.
 */
export function checkUserIdFlag(value: string, allowUnusualUserId: boolean | undefined, check: (v: unknown, o: { allowUnusualUserId: boolean }) => string): string {
  return checkFlag('--user-id', value, () => check(value, { allowUnusualUserId: allowUnusualUserId === true }))
}
