/**
 * Legacy (v1) key files: reading the console's private and public keys, and generating new pairs in the same formats.
 *
 * Accepted private keys: SEC1 `EC PRIVATE KEY` (with or without the `EC PARAMETERS` block the console puts before it)
 * and unencrypted PKCS#8 `PRIVATE KEY`. Accepted public keys: SPKI `PUBLIC KEY`. Curves: secp256k1 and P-256
 * (docs/spec/format.md §3). Every rejection is a UserSigError (INVALID_PRIVATE_KEY / INVALID_PUBLIC_KEY) naming the problem,
 * with a hint; messages never contain key material.
 * @module
 */
import { UserSigError, type UserSigErrorCode } from '../errors.js'
import { CURVE_OID, OID_EC_PUBLIC_KEY, curveByOid, curveImpl, describeOid, normalizeCurve, type LegacyCurve } from './_curves.js'
import { DerReader, TAG, derBitString, derContext, derInteger, derOctetString, derOid, derSequence } from './_der.js'
import { readPem, writePem, type PemBlock } from '../_pem.js'

/** A parsed legacy private key. */
export interface LegacyPrivateKey {
  curve: LegacyCurve
  /** The 32-byte big-endian private scalar. */
  privateKey: Uint8Array
}

/** A parsed legacy public key. */
export interface LegacyPublicKey {
  curve: LegacyCurve
  /** The SEC1 uncompressed point (65 bytes, 0x04 ‖ X ‖ Y). */
  publicKey: Uint8Array
}

/** A generated key pair, in the console's file formats. */
export interface LegacyKeyPair {
  curve: LegacyCurve
  /** `EC PARAMETERS` block + SEC1 `EC PRIVATE KEY` (with curve [0] and public key [1]), like the console's private_key. */
  privateKeyPem: string
  /** SPKI `PUBLIC KEY`, like the console's public_key. */
  publicKeyPem: string
}

/** Options of generateLegacyKeyPair. */
export interface GenerateLegacyKeyPairOptions {
  /** `secp256k1` or `P-256` (also `p256`, `prime256v1`, `secp256r1`, any case). Default `P-256`. */
  curve?: LegacyCurve | string
}

const PRIV = 'INVALID_PRIVATE_KEY'
const PUB = 'INVALID_PUBLIC_KEY'
const CURVES: readonly LegacyCurve[] = ['secp256k1', 'P-256']
const CURVE_HINT = 'legacy UserSig keys are ECDSA on secp256k1 or P-256 (prime256v1): use the key files the Tencent console issued for the app'

function fail(code: UserSigErrorCode, message: string, hint?: string): never {
  throw new UserSigError(code, message, hint === undefined ? {} : { hint })
}

/**
 * The one checker of a PEM input's type (`privateKey` or `publicKey` text): a string, else UserSigError with the
 * input's code. The value is never quoted.
 */
function checkPemText(pem: unknown, code: typeof PRIV | typeof PUB): asserts pem is string {
  if (typeof pem === 'string') return
  const name = code === PRIV ? 'privateKey' : 'publicKey'
  fail(code, `${name} must be the text of the PEM file (a string), got ${pem === null ? 'null' : typeof pem}`, 'read the key file as text, e.g. readFileSync(path, "utf8")')
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let d = 0
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!
  return d === 0
}

/** Explains a PEM block of the wrong kind. */
function rejectBlock(block: PemBlock, code: UserSigErrorCode): never {
  const what = code === PRIV ? 'private key' : 'public key'
  switch (block.label) {
    case 'ENCRYPTED PRIVATE KEY':
      return fail(code, `${what}: the key is encrypted with a password`,
        'decrypt it once (openssl pkcs8 -in encrypted.pem -out key.pem asks for the password) and keep the result secret')
    case 'RSA PRIVATE KEY':
    case 'RSA PUBLIC KEY':
      return fail(code, `${what}: this is an RSA key, not an ECDSA key`, CURVE_HINT)
    case 'DSA PRIVATE KEY':
      return fail(code, `${what}: this is a DSA key, not an ECDSA key`, CURVE_HINT)
    case 'OPENSSH PRIVATE KEY':
      return fail(code, `${what}: this is an OpenSSH key file, not a PEM EC key`, CURVE_HINT)
    case 'CERTIFICATE':
      return fail(code, `${what}: this is an X.509 certificate, not a key`,
        code === PUB ? 'extract its public key with: openssl x509 -in cert.pem -pubkey -noout' : CURVE_HINT)
    case 'PUBLIC KEY':
      return fail(code, 'private key: this is a public key; signing needs the private key',
        "pass the app's private_key file (BEGIN EC PRIVATE KEY or BEGIN PRIVATE KEY)")
    case 'EC PRIVATE KEY':
    case 'PRIVATE KEY':
      return fail(code, 'public key: this is a private key; verifying needs only the public key',
        'derive it with: openssl ec -in private.pem -pubout -out public.pem (and keep the private key off verifiers)')
    case 'EC PARAMETERS':
      return fail(code, `${what}: the text has only an EC PARAMETERS block and no key`,
        code === PRIV ? 'copy the EC PRIVATE KEY block that follows it too' : 'pass the BEGIN PUBLIC KEY block')
    default:
      return fail(code, `${what}: unsupported PEM block "${block.label}"`,
        code === PRIV ? 'expected BEGIN EC PRIVATE KEY (SEC1) or BEGIN PRIVATE KEY (PKCS#8)' : 'expected BEGIN PUBLIC KEY (SPKI)')
  }
}

/** Reads ECParameters (a named-curve OID) from `r`: ours, or a UserSigError naming what it is. */
function readCurve(r: DerReader): LegacyCurve {
  const tag = r.peekTag()
  if (tag === TAG.SEQUENCE) {
    r.fail('the curve is given as explicit parameters, which are not supported',
      'convert the key to a named curve: openssl ec -in key.pem -param_enc named_curve -out named.pem')
  }
  if (tag === TAG.NULL) r.fail('the key has implicit curve parameters (NULL), which are not supported', CURVE_HINT)
  const oid = r.oid()
  const curve = curveByOid(oid)
  if (curve === undefined) r.fail(`unsupported curve ${describeOid(oid)}`, CURVE_HINT)
  return curve
}

/** Reads AlgorithmIdentifier { id-ecPublicKey, namedCurve }. */
function readEcAlgorithm(r: DerReader): LegacyCurve {
  const alg = r.sequence()
  const oid = alg.oid()
  if (oid !== OID_EC_PUBLIC_KEY) {
    if (oid === '1.2.840.113549.1.1.1') alg.fail('this is an RSA key, not an ECDSA key', CURVE_HINT)
    alg.fail(`the key algorithm is ${describeOid(oid)}, not an EC key`, CURVE_HINT)
  }
  if (alg.done) alg.fail('the EC key algorithm has no curve parameters')
  const curve = readCurve(alg)
  alg.end()
  return curve
}

interface EcPrivateKeyParts {
  d: Uint8Array
  curve: LegacyCurve | undefined
  publicKey: Uint8Array | undefined
}

/** SEC1 §C.4 ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING, [0] params OPTIONAL, [1] BIT STRING OPTIONAL } */
function readEcPrivateKey(der: Uint8Array): EcPrivateKeyParts {
  const top = new DerReader(der, PRIV, 'private key')
  const seq = top.sequence()
  top.end()
  const version = seq.smallInteger()
  if (version !== 1) seq.fail(`unsupported EC private key version ${version} (SEC1 keys have version 1)`)
  const d = seq.octetString()
  const params = seq.optionalContext(0)
  let curve: LegacyCurve | undefined
  if (params) {
    curve = readCurve(params)
    params.end()
  }
  const pub = seq.optionalContext(1)
  let publicKey: Uint8Array | undefined
  if (pub) {
    publicKey = pub.bitString()
    pub.end()
  }
  seq.end()
  return { d, curve, publicKey }
}

function publicKeyMatches(curve: LegacyCurve, d: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    const impl = curveImpl(curve)
    if (!impl.utils.isValidSecretKey(d)) return false
    return equalBytes(impl.getPublicKey(d, publicKey[0] !== 0x04), publicKey)
  } catch {
    return false
  }
}

/**
 * Settles the curve and checks the scalar. `curve` comes from the key itself or its container; without one, the
 * curve is inferred from the embedded public key. The embedded public key, when present, must match.
 */
function finishPrivateKey(parts: EcPrivateKeyParts, curve: LegacyCurve | undefined): LegacyPrivateKey {
  const raw = parts.d
  let start = 0
  while (start < raw.length - 32 && raw[start] === 0) start++
  const n = raw.length - start
  if (n > 32) fail(PRIV, `private key: the private value is ${n} bytes; a key on a 256-bit curve has 32`, CURVE_HINT)
  if (n === 0) fail(PRIV, 'private key: the private value is empty')
  const d = new Uint8Array(32)
  d.set(raw.subarray(start), 32 - n)
  const pub = parts.publicKey
  if (curve === undefined && pub !== undefined) curve = CURVES.find((c) => publicKeyMatches(c, d, pub))
  if (curve === undefined) {
    fail(PRIV, 'private key: the key does not say which curve it is on',
      'include the EC PARAMETERS block that came with the key, or convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in key.pem')
  }
  if (!curveImpl(curve).utils.isValidSecretKey(d)) fail(PRIV, `private key: the private value is out of range for ${curve}`)
  if (pub !== undefined && !publicKeyMatches(curve, d, pub)) {
    fail(PRIV, `private key: the public key stored in the file does not belong to this private key on ${curve}`,
      'the file is damaged or its parts come from different keys; copy the original key file again')
  }
  return { curve, privateKey: d }
}

/** PKCS#8 PrivateKeyInfo / OneAsymmetricKey (RFC 5208, RFC 5958) holding an ECPrivateKey. */
function readPkcs8(der: Uint8Array): LegacyPrivateKey {
  const top = new DerReader(der, PRIV, 'private key')
  const seq = top.sequence()
  top.end()
  if (seq.peekTag() === TAG.SEQUENCE) {
    seq.fail('this is an encrypted PKCS#8 key (EncryptedPrivateKeyInfo)',
      'decrypt it once (openssl pkcs8 -in encrypted.pem -out key.pem asks for the password) and keep the result secret')
  }
  const version = seq.smallInteger()
  if (version > 1) seq.fail(`unsupported PKCS#8 version ${version}`)
  const curve = readEcAlgorithm(seq)
  const parts = readEcPrivateKey(seq.octetString())
  // Optional attributes [0] and public key [1] may follow; neither is needed.
  if (parts.curve !== undefined && parts.curve !== curve) {
    fail(PRIV, `private key: the PKCS#8 algorithm says ${curve} but the embedded EC key says ${parts.curve}`, 'the file is damaged; copy the original key file again')
  }
  return finishPrivateKey(parts, curve)
}

/**
 * Parses a legacy UserSig private key: SEC1 (`EC PRIVATE KEY`, optionally after an `EC PARAMETERS` block, as the
 * console issues it) or unencrypted PKCS#8 (`PRIVATE KEY`), on secp256k1 or P-256.
 *
 * The curve comes from the key's own parameters, else from the EC PARAMETERS block, else from the embedded public key.
 * CRLF, indentation, surrounding quotes and literal `\n` escapes are tolerated.
 * @throws UserSigError INVALID_PRIVATE_KEY naming the problem (encrypted, RSA, unknown curve with its OID, a v2 secret
 *   key, truncated or damaged text, or not a string at all).
 * @example
 * const { curve, privateKey } = parseLegacyPrivateKey(readFileSync('private_key', 'utf8'))
 * // curve: 'secp256k1', privateKey: Uint8Array(32)
 */
export function parseLegacyPrivateKey(pem: string): LegacyPrivateKey {
  checkPemText(pem, PRIV)
  const blocks = readPem(pem, PRIV, 'private key')
  let key: PemBlock | undefined
  let params: PemBlock | undefined
  let other: PemBlock | undefined
  for (const b of blocks) {
    if (b.label === 'EC PRIVATE KEY' || b.label === 'PRIVATE KEY') {
      if (key !== undefined) fail(PRIV, 'private key: the text contains more than one private key', 'pass exactly one key file')
      key = b
    } else if (b.label === 'EC PARAMETERS') params ??= b
    else if (b.label === 'ENCRYPTED PRIVATE KEY') rejectBlock(b, PRIV)
    else other ??= b
  }
  if (key === undefined) return rejectBlock(other ?? params!, PRIV)
  if (/ENCRYPTED/i.test(key.headers['Proc-Type'] ?? '') || key.headers['DEK-Info'] !== undefined) {
    fail(PRIV, 'private key: the key is encrypted with a password',
      'decrypt it once (openssl ec -in encrypted.pem -out key.pem asks for the password) and keep the result secret')
  }
  if (key.label === 'PRIVATE KEY') return readPkcs8(key.der)
  const parts = readEcPrivateKey(key.der)
  // The key's own [0] parameters win over the separate block, as in OpenSSL (an official sample has a stale block).
  let curve = parts.curve
  if (curve === undefined && params !== undefined) {
    const r = new DerReader(params.der, PRIV, 'private key (EC PARAMETERS block)')
    curve = readCurve(r)
    r.end()
  }
  return finishPrivateKey(parts, curve)
}

/**
 * Parses a legacy UserSig public key: SPKI (`PUBLIC KEY`) on secp256k1 or P-256. The point must lie on the curve;
 * it is returned uncompressed.
 * @throws UserSigError INVALID_PUBLIC_KEY naming the problem (a private key, RSA, unknown curve, damaged text, not a
 *   string at all, …).
 * @example
 * const { curve, publicKey } = parseLegacyPublicKey(readFileSync('public_key', 'utf8'))
 * // curve: 'P-256', publicKey: Uint8Array(65)
 */
export function parseLegacyPublicKey(pem: string): LegacyPublicKey {
  checkPemText(pem, PUB)
  const blocks = readPem(pem, PUB, 'public key')
  const keys = blocks.filter((b) => b.label === 'PUBLIC KEY')
  if (keys.length === 0) return rejectBlock(blocks.find((b) => b.label !== 'EC PARAMETERS') ?? blocks[0]!, PUB)
  if (keys.length > 1) fail(PUB, 'public key: the text contains more than one public key', 'pass exactly one key file')
  const top = new DerReader(keys[0]!.der, PUB, 'public key')
  const spki = top.sequence()
  top.end()
  const curve = readEcAlgorithm(spki)
  const point = spki.bitString()
  spki.end()
  try {
    const p = curveImpl(curve).Point.fromBytes(point)
    p.assertValidity()
    return { curve, publicKey: p.toBytes(false) }
  } catch {
    return fail(PUB, `public key: the key is not a valid point on ${curve}`, 'the file is damaged; copy the original public key again')
  }
}

/**
 * Encodes a private key in the console's format: an `EC PARAMETERS` block, then SEC1 `EC PRIVATE KEY` with the
 * curve [0] and the public key [1].
 * @example
 * encodeLegacyPrivateKeyPem('secp256k1', privateKey) // '-----BEGIN EC PARAMETERS-----\nBgUrgQQACg==\n…'
 */
export function encodeLegacyPrivateKeyPem(curve: LegacyCurve, privateKey: Uint8Array): string {
  const impl = curveImpl(curve)
  const oid = derOid(CURVE_OID[curve])
  const sec1 = derSequence(
    derInteger(1),
    derOctetString(privateKey),
    derContext(0, oid),
    derContext(1, derBitString(impl.getPublicKey(privateKey, false))),
  )
  return writePem('EC PARAMETERS', oid) + writePem('EC PRIVATE KEY', sec1)
}

/**
 * Encodes a public key (a SEC1 point) as SPKI `PUBLIC KEY` PEM, uncompressed, like the console's public_key file.
 * @example
 * encodeLegacyPublicKeyPem('P-256', publicKey) // '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE…'
 */
export function encodeLegacyPublicKeyPem(curve: LegacyCurve, publicKey: Uint8Array): string {
  return writePem('PUBLIC KEY', legacySpkiDer(curve, publicKey))
}

/** The SPKI DER of a public key, uncompressed: the bytes its keyId is the fingerprint of. */
export function legacySpkiDer(curve: LegacyCurve, publicKey: Uint8Array): Uint8Array {
  const point = curveImpl(curve).Point.fromBytes(publicKey).toBytes(false)
  return derSequence(derSequence(derOid(OID_EC_PUBLIC_KEY), derOid(CURVE_OID[curve])), derBitString(point))
}

/**
 * Generates a new legacy key pair with the platform CSPRNG (`crypto.getRandomValues`), in the console's formats.
 * The default curve is P-256, which every official v1 verifier supports (the Go one lacks secp256k1).
 * @example
 * const { privateKeyPem, publicKeyPem } = generateLegacyKeyPair({ curve: 'secp256k1' })
 * createLegacySigner({ sdkAppId: 1400000000, privateKey: privateKeyPem })
 */
export function generateLegacyKeyPair(options: GenerateLegacyKeyPairOptions = {}): LegacyKeyPair {
  const curve = normalizeCurve(options.curve ?? 'P-256')
  const impl = curveImpl(curve)
  const privateKey = impl.utils.randomSecretKey()
  const publicKey = impl.getPublicKey(privateKey, false)
  return {
    curve,
    privateKeyPem: encodeLegacyPrivateKeyPem(curve, privateKey),
    publicKeyPem: encodeLegacyPublicKeyPem(curve, publicKey),
  }
}
