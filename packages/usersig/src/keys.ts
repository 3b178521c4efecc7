import { sha256 } from './_sha256.js'
import { utf8Encode } from './_utf8.js'
import { base64DecodeStrict } from './_base64.js'
import { parseLegacyPrivateKey, parseLegacyPublicKey, encodeLegacyPublicKeyPem } from './legacy/keys.js'
import { curveImpl } from './legacy/_curves.js'

import { hex } from './secret.js'
export { generateSecretKey, checkSecretKey } from './secret.js'

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

