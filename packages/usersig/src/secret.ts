import { UserSigError } from './errors.js'
import { sha256 } from './_sha256.js'
import { utf8Encode } from './_utf8.js'

const HEX = '0123456789abcdef'

export function hex(bytes: Uint8Array, n: number = bytes.length): string {
  let s = ''
  for (let i = 0; i < n; i++) s += HEX[bytes[i]! >>> 4]! + HEX[bytes[i]! & 15]!
  return s
}

/** Fingerprint of a v2 secret key string: the first 8 hex chars of SHA-256 of its UTF-8 bytes. */
export function secretKeyFingerprint(secretKey: string): string {
  return hex(sha256(utf8Encode(secretKey)), 4)
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

/**
 * Checks a v2 secret key. It is used exactly as given (its UTF-8 bytes are the HMAC key; never hex-decoded), so copy
 * errors are caught here instead of producing UserSigs that fail with 70009.
 */
export function checkSecretKey(secretKey: unknown): string {
  if (typeof secretKey !== 'string') {
    throw new UserSigError('INVALID_SECRET_KEY', `secretKey must be a string, got ${secretKey === null ? 'null' : typeof secretKey}`, { hint: "copy the app's key (SDKSecretKey) from the console" })
  }
  if (secretKey.length === 0) throw new UserSigError('INVALID_SECRET_KEY', 'secretKey is empty', { hint: "copy the app's key (SDKSecretKey) from the console" })
  if (secretKey.includes('-----BEGIN')) {
    throw new UserSigError('INVALID_SECRET_KEY', 'secretKey is a PEM key: that is a legacy ECDSA private key, not the HMAC secret', {
      hint: "apps created before 2019-07-19 sign with ECDSA: use createLegacySigner from 'usersig/legacy', or upgrade the app's algorithm in the console",
      tencentCode: 70009,
    })
  }
  if (secretKey.trim() !== secretKey) {
    throw new UserSigError('INVALID_SECRET_KEY', 'secretKey has leading or trailing whitespace', { hint: 'a copy-paste error: remove the spaces or newline (otherwise every UserSig fails with 70009)', tencentCode: 70009 })
  }
  return secretKey
}
