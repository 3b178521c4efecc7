import { UserSigError } from './errors.js'
import { sha256 } from './_sha256.js'
import { utf8Encode } from './_utf8.js'

const HEX = '0123456789abcdef'

export function hex(bytes: Uint8Array, n: number = bytes.length): string {
  let s = ''
  for (let i = 0; i < n; i++) s += HEX[bytes[i]! >>> 4]! + HEX[bytes[i]! & 15]!
  return s
}

/** Fingerprint of a v2 secret key: the first 8 hex chars of SHA-256 of its UTF-8 bytes (given as a string or as the bytes). */
export function secretKeyFingerprint(secretKey: string | Uint8Array): string {
  return hex(sha256(typeof secretKey === 'string' ? utf8Encode(secretKey) : secretKey), 4)
}

interface CryptoLike { getRandomValues<T extends Uint8Array>(a: T): T }
// Read with `typeof`, never through globalThis (older engines have none).
declare const crypto: CryptoLike | undefined

/**
 * A new 64-hex-character secret key from the platform CSPRNG (`crypto.getRandomValues`), like the console's.
 * @example const secretKey = generateSecretKey()
 */
export function generateSecretKey(): string {
  const c = typeof crypto === 'object' ? crypto : undefined
  if (!c || typeof c.getRandomValues !== 'function') {
    throw new Error('generateSecretKey needs crypto.getRandomValues, which this runtime does not have')
  }
  return hex(c.getRandomValues(new Uint8Array(32)))
}

/** The longest secret key accepted, in characters: a console key has 64; a longer one is a pasted file or a mistake. */
export const MAX_SECRET_KEY_LENGTH = 4096

const KEY_HINT = "copy the app's key (SDKSecretKey) from the console"

/**
 * Checks a v2 secret key: the one checker of the `secretKey` input (and of each `secretKeys` entry) for every entry
 * point, so the same mistake gives the same UserSigError INVALID_SECRET_KEY everywhere (docs/spec/errors.md §1). The
 * key is used exactly as given (its UTF-8 bytes are the HMAC key; never hex-decoded) and never quoted.
 * `use: 'sign'` (the default) also refuses surrounding whitespace: every token signed with it fails with 70009 at the
 * service. A verifier accepts such a key (the token then simply fails to match), so that explain can name the cause.
 * @example checkSecretKey(process.env.USERSIG_SECRET_KEY)
 */
export function checkSecretKey(secretKey: unknown, use: 'sign' | 'verify' = 'sign'): string {
  if (typeof secretKey !== 'string') {
    throw new UserSigError('INVALID_SECRET_KEY', `secretKey must be a string, got ${secretKey === null ? 'null' : typeof secretKey}`, { hint: KEY_HINT })
  }
  if (secretKey.length === 0) throw new UserSigError('INVALID_SECRET_KEY', 'secretKey is empty', { hint: KEY_HINT })
  if (secretKey.length > MAX_SECRET_KEY_LENGTH) {
    throw new UserSigError('INVALID_SECRET_KEY', `secretKey is longer than ${MAX_SECRET_KEY_LENGTH} characters`, { hint: KEY_HINT })
  }
  if (secretKey.includes('-----BEGIN')) {
    throw new UserSigError('INVALID_SECRET_KEY', 'secretKey is a PEM key: a legacy ECDSA key, not the HMAC secret', {
      hint: "apps created before 2019-07-19 sign with ECDSA: use 'usersig/legacy', or upgrade the app's algorithm in the console",
      tencentCode: 70009,
    })
  }
  if (use === 'sign' && secretKey.trim() !== secretKey) {
    throw new UserSigError('INVALID_SECRET_KEY', 'secretKey has leading or trailing whitespace', { hint: 'a copy-paste error: remove the spaces or newline (otherwise every UserSig fails with 70009)', tencentCode: 70009 })
  }
  return secretKey
}

/** True iff `secretKey` has the shape of a console SDKSecretKey: 64 lowercase hex characters (docs/spec/errors.md). */
export function isConsoleSecretKey(secretKey: string): boolean {
  if (secretKey.length !== 64) return false
  for (let k = 0; k < 64; k++) {
    const c = secretKey.charCodeAt(k)
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false
  }
  return true
}

/**
 * For the tools (CLI, service configuration, console): refuses a key that cannot be a console SDKSecretKey unless
 * `allowUnusualKey` says it is intended. The signing primitives do not call this: they accept what the official
 * libraries accept. The key is never quoted.
 * @example checkToolSecretKey(process.env.USERSIG_SECRET_KEY, { allowUnusualKey: false })
 */
export function checkToolSecretKey(secretKey: unknown, options: { allowUnusualKey?: boolean | undefined } = {}): string {
  const key = checkSecretKey(secretKey)
  if (!options.allowUnusualKey && !isConsoleSecretKey(key)) {
    throw new UserSigError('INVALID_SECRET_KEY', `secretKey is not shaped like a console SDKSecretKey (64 lowercase hex characters; this one has ${key.length} characters)`, {
      hint: 'copy the SDKSecretKey from the IM/TRTC console page of the application; if this key is intended, allow it (--allow-unusual-key / allowUnusualKey)',
      tencentCode: 70009,
    })
  }
  return key
}
