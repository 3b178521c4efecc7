import { UserSigError } from './errors.js'
import { sha256 } from './_sha256.js'
import { utf8Encode } from './_utf8.js'
import { base64DecodeStrict } from './_base64.js'
import { parseLegacyPrivateKey, parseLegacyPublicKey, encodeLegacyPublicKeyPem } from './legacy/keys.js'
import { curveImpl } from './legacy/_curves.js'

const HEX = '0123456789abcdef'

function hex(bytes: Uint8Array, n = bytes.length): string {
  let s = ''
  for (let i = 0; i < n; i++) s += HEX[bytes[i]! >>> 4]! + HEX[bytes[i]! & 15]!
  return s
}

interface CryptoLike { getRandomValues<T extends Uint8Array>(a: T): T }

/**
 * A new 64-hex-character secret key from the platform CSPRNG (`crypto.getRandomValues`), like the console's.
 * @example const secretKey = generateSecretKey()
 */
export function generateSecretKey(): string {
  const c = (globalThis as { crypto?: CryptoLike }).crypto
  if (!c || typeof c.getRandomValues !== 'function') {
    throw new Error('generateSecretKey needs crypto.getRandomValues, which this runtime does not have')
  }
  return hex(c.getRandomValues(new Uint8Array(32)))
}

/**
 * The short id used in results, logs and the console to name a key without revealing it: the first 8 hex characters
 * of SHA-256 of the secret key string (UTF-8), or of the DER bytes of a PEM public or private key.
 * @example keyFingerprint(secretKey) // 'a1b2c3d4'
 */
export function keyFingerprint(key: string): string {
  if (typeof key !== 'string' || key.length === 0) throw new TypeError('keyFingerprint needs a non-empty key string')
  if (key.includes('-----BEGIN')) {
    // A legacy key pair has one id: a private key is named by its public key's SPKI bytes.
    const spki = legacySpki(key)
    if (spki) return hex(sha256(spki), 4)
    const der = pemBody(key)
    if (der) return hex(sha256(der), 4)
  }
  return hex(sha256(utf8Encode(key)), 4)
}

function legacySpki(pem: string): Uint8Array | null {
  try {
    if (/-----BEGIN PUBLIC KEY-----/.test(pem)) return pemBody(encodeLegacyPublicKeyPem(...publicOf(pem)))
    const k = parseLegacyPrivateKey(pem)
    return pemBody(encodeLegacyPublicKeyPem(k.curve, curveImpl(k.curve).getPublicKey(k.privateKey, false)))
  } catch {
    return null
  }
}

function publicOf(pem: string): [ReturnType<typeof parseLegacyPublicKey>['curve'], Uint8Array] {
  const k = parseLegacyPublicKey(pem)
  return [k.curve, k.publicKey]
}

/** The DER bytes of the last PEM block that is a key (not EC PARAMETERS), or null when the text is not PEM. */
export function pemBody(text: string): Uint8Array | null {
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g
  let found: Uint8Array | null = null
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1] === 'EC PARAMETERS') continue
    const body = m[2]!.replace(/\\n|\s/g, '')
    found = base64DecodeStrict(body)
  }
  return found
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
