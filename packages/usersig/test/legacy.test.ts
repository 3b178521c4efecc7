/**
 * Legacy (v1, ECDSA-SHA256) UserSigs: the shared vectors (v1-generated, v1-verify, official-samples), our tokens
 * against node:crypto (differential), key parsing and generation, and clear errors for bad key text.
 */
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { inflateSync } from 'node:zlib'
import * as nodeCrypto from 'node:crypto'
import fc from 'fast-check'

import {
  createLegacySigner, generateLegacyKeyPair, legacyPublicKey, parseLegacyPrivateKey, parseLegacyPublicKey, verifyLegacySignature,
  legacySignedContent, encodeLegacyPublicKeyPem, type LegacyCurve,
} from '../src/legacy/index.js'
import { ecdsaSignDer, ecdsaVerifyDer } from '../src/legacy/ecdsa.js'
import { DerReader, derContext, derInteger, derOctetString, derOid, derSequence, derBitString, derEncode, TAG } from '../src/legacy/_der.js'
import { normalizeCurve } from '../src/legacy/_curves.js'
import { UserSigError } from '../src/errors.js'
import { verifyUserSig, decodeUserSig } from '../src/index.js'
import { loadVectors, V1_VERIFY_EXPECTED } from './_vectors.js'

// ---------------------------------------------------------------------------------------------------------------
// helpers

const load = (name: string): any => loadVectors(name)

const v1Generated: any[] = load('v1-generated.json')
const v1Verify: any[] = load('v1-verify.json')
const official: any = load('official-samples.json')

const te = new TextEncoder()
const CURVES: LegacyCurve[] = ['secp256k1', 'P-256']
const NODE_CURVE: Record<LegacyCurve, string> = { secp256k1: 'secp256k1', 'P-256': 'prime256v1' }
const curveOf = (name: string): LegacyCurve => (name === 'prime256v1' ? 'P-256' : (name as LegacyCurve))

/** Decodes a token independently of the library: Tencent base64 → node:zlib → JSON. */
function openToken(token: string): { text: string; json: Record<string, string> } {
  const b64 = token.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=')
  const text = inflateSync(Buffer.from(b64, 'base64')).toString('utf8')
  return { text, json: JSON.parse(text) }
}

/** The signed content, rebuilt here by hand from docs/spec/format.md §3 (independent of legacySignedContent). */
function contentByHand(f: Record<string, string>): string {
  const ub = 'TLS.userbuf' in f
  let s = ''
  if (ub || 'TLS.appid_at_3rd' in f) s += `TLS.appid_at_3rd:${f['TLS.appid_at_3rd']}\n`
  s += `TLS.account_type:${f['TLS.account_type']}\nTLS.identifier:${f['TLS.identifier']}\nTLS.sdk_appid:${f['TLS.sdk_appid']}\n`
  s += `TLS.time:${f['TLS.time']}\nTLS.expire_after:${f['TLS.expire_after']}\n`
  if (ub) s += `TLS.userbuf:${f['TLS.userbuf']}\n`
  return s
}

function nodeVerify(content: string, publicKeyPem: string, sigB64: string): boolean {
  return nodeCrypto.verify('sha256', Buffer.from(content, 'utf8'), publicKeyPem, Buffer.from(sigB64.replace(/[\r\n]/g, ''), 'base64'))
}

function nodeKeys(curve: LegacyCurve): { sec1: string; pkcs8: string; spki: string; key: nodeCrypto.KeyObject } {
  const { privateKey, publicKey } = nodeCrypto.generateKeyPairSync('ec', { namedCurve: NODE_CURVE[curve] })
  return {
    sec1: privateKey.export({ type: 'sec1', format: 'pem' }) as string,
    pkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    spki: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    key: privateKey,
  }
}

function pemBody(pem: string): string {
  return pem.split(/\r?\n/).filter((l) => l !== '' && !l.startsWith('-----') && !l.includes(':')).join('')
}

function pemOf(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64')
  return `-----BEGIN ${label}-----\n${b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`
}

/** Asserts `fn` throws a UserSigError with `code` whose message matches `re`, and that no key material leaks. */
function assertKeyError(fn: () => unknown, code: string, re: RegExp, secretText?: string): UserSigError {
  let caught: unknown
  try {
    fn()
  } catch (e) {
    caught = e
  }
  assert.ok(caught instanceof UserSigError, `expected UserSigError, got ${String(caught)}`)
  const err = caught
  assert.equal(err.code, code)
  assert.match(err.message, re)
  if (secretText !== undefined) {
    const body = pemBody(secretText)
    const said = `${err.message}\n${err.hint ?? ''}\n${err.stack ?? ''}`
    for (let i = 0; i + 12 <= body.length; i += 4) {
      assert.ok(!said.includes(body.slice(i, i + 12)), `error text contains key material: ${err.message}`)
    }
  }
  return err
}

const vectorsVerify = (
  token: string, sdkAppId: number, userId: string, publicKey: string, now: number, userBuf?: Uint8Array,
): ReturnType<typeof verifyUserSig> => verifyUserSig(token, { sdkAppId, userId, publicKey: legacyPublicKey(publicKey), now, ...(userBuf ? { userBuf } : {}) })

// ---------------------------------------------------------------------------------------------------------------
// vectors

describe('v1-generated.json', () => {
  const records = v1Generated.filter((r) => r.decoded !== undefined)
  test('has records, most with a token', () => {
    assert.ok(records.length > 0 && records.length <= v1Generated.length)
  })

  for (const r of v1Generated) {
    test(r.id, () => {
      const inputs = r.inputs
      const curve = curveOf(inputs.curve)
      // Every key pair parses, on the stated curve, and the private key derives the published public key.
      const priv = parseLegacyPrivateKey(inputs.private_key_pem)
      const pub = parseLegacyPublicKey(inputs.public_key_pem)
      assert.equal(priv.curve, curve)
      assert.equal(pub.curve, curve)
      assert.equal(priv.privateKey.length, 32)
      assert.equal(encodeLegacyPublicKeyPem(curve, pub.publicKey), nodeCrypto.createPublicKey(inputs.public_key_pem).export({ type: 'spki', format: 'pem' }))
      const signer = createLegacySigner({ sdkAppId: inputs.sdkappid, privateKey: inputs.private_key_pem })
      assert.equal(signer.publicKeyPem, encodeLegacyPublicKeyPem(curve, pub.publicKey))

      if (r.decoded === undefined) {
        // The official producer refused (Go has no secp256k1, Java no SEC1, Python/Java no userbuf): we can sign it.
        assert.ok(r.producer_error)
        const token = signer.userSig(inputs.identifier, { expiresIn: inputs.expire, now: inputs.time })
        const { json } = openToken(token)
        assert.ok(nodeVerify(contentByHand(json), inputs.public_key_pem, json['TLS.sig']!))
        assert.equal(vectorsVerify(token, inputs.sdkappid, inputs.identifier, inputs.public_key_pem, inputs.time).ok, true)
        return
      }

      const json = r.decoded.json
      const withUserBuf = 'TLS.userbuf' in json
      assert.equal(legacySignedContent(json, withUserBuf), r.decoded.signed_content)
      assert.equal(verifyLegacySignature(json, inputs.public_key_pem), r.decoded.ecdsa_valid)
      assert.equal(verifyLegacySignature(json, pub), r.decoded.ecdsa_valid)
      // The decoded token's own fields give the same answer.
      assert.deepEqual(decodeUserSig(r.usersig).fields, json)

      const userBuf = withUserBuf ? Buffer.from(inputs.userbuf_hex, 'hex') : undefined
      const t = inputs.time
      const e = inputs.expire
      const at = vectorsVerify(r.usersig, inputs.sdkappid, inputs.identifier, inputs.public_key_pem, t, userBuf)
      assert.equal(at.ok, true, at.ok ? '' : at.message)
      assert.equal(vectorsVerify(r.usersig, inputs.sdkappid, inputs.identifier, inputs.public_key_pem, t + e).ok, true)
      const late = vectorsVerify(r.usersig, inputs.sdkappid, inputs.identifier, inputs.public_key_pem, t + e + 1)
      assert.equal(late.ok ? 'ok' : late.reason, 'EXPIRED')
      const wrongApp = vectorsVerify(r.usersig, inputs.sdkappid + 1, inputs.identifier, inputs.public_key_pem, t)
      assert.equal(wrongApp.ok ? 'ok' : wrongApp.reason, 'SDKAPPID_MISMATCH')
      const wrongUser = vectorsVerify(r.usersig, inputs.sdkappid, inputs.identifier + 'x', inputs.public_key_pem, t)
      assert.equal(wrongUser.ok ? 'ok' : wrongUser.reason, 'IDENTIFIER_MISMATCH')
      const otherCurve = generateLegacyKeyPair({ curve: curve === 'P-256' ? 'secp256k1' : 'P-256' })
      const wrongKey = vectorsVerify(r.usersig, inputs.sdkappid, inputs.identifier, otherCurve.publicKeyPem, t)
      assert.equal(wrongKey.ok ? 'ok' : wrongKey.reason, 'SIGNATURE_INVALID')
    })
  }
})

/** The verdict docs/spec/verify.md §3/§4 prescribes, derived from the record's data: first failure in check order. */
function expectedVerdict(json: Record<string, string>, vi: any, ecdsaValid: boolean): string {
  if (json['TLS.identifier'] !== vi.identifier) return 'IDENTIFIER_MISMATCH'
  if (json['TLS.sdk_appid'] !== String(vi.sdkappid)) return 'SDKAPPID_MISMATCH'
  if (vi.now > Number(json['TLS.time']) + Number(json['TLS.expire_after'])) return 'EXPIRED'
  if (!ecdsaValid) return 'SIGNATURE_INVALID'
  return 'ok'
}

describe('v1-verify.json', () => {
  for (const r of v1Verify) {
    test(r.id, () => {
      const vi = r.verifier_inputs
      const json = r.decoded.json
      assert.equal(legacySignedContent(json, 'TLS.userbuf' in json), contentByHand(json))
      assert.equal(verifyLegacySignature(json, vi.public_key_pem), r.decoded.ecdsa_valid)
      // node:crypto agrees on the signature itself.
      assert.equal(nodeVerify(contentByHand(json), vi.public_key_pem, json['TLS.sig']), r.decoded.ecdsa_valid)

      const expected = expectedVerdict(json, vi, r.decoded.ecdsa_valid)
      const suffix = r.id.split('|').pop()!
      assert.equal(expected, V1_VERIFY_EXPECTED[suffix], 'oracle and description disagree')
      const userBuf = vi.api_mode === 'userbuf' ? Buffer.from(json['TLS.userbuf'], 'base64') : undefined
      const res = vectorsVerify(r.usersig, vi.sdkappid, vi.identifier, vi.public_key_pem, vi.now, userBuf)
      assert.equal(res.ok ? 'ok' : res.reason, expected, res.ok ? '' : res.message)
      if (res.ok) assert.equal(res.payload.version, 'v1')
    })
  }
})

describe('official-samples.json', () => {
  const samples: any[] = official.v1_usersig_samples
  for (const [i, s] of samples.entries()) {
    test(`v1 sample ${i}: ${s.source.slice(0, 70)}`, () => {
      assert.equal(legacySignedContent(s.json, 'TLS.userbuf' in s.json), s.signed_content)
      assert.equal(verifyLegacySignature(s.json, s.public_key_pem), s.ecdsa_valid)
      assert.equal(s.ecdsa_valid, true)
      assert.deepEqual(decodeUserSig(s.usersig).fields, s.json)
      const expiresAt = Number(s.json['TLS.time']) + Number(s.json['TLS.expire_after'])
      assert.equal(s.verify_at_time.now, Number(s.json['TLS.time']))
      assert.equal(s.verify_expired.now, expiresAt + 1)
      const userBuf = 'TLS.userbuf' in s.json ? Buffer.from(s.json['TLS.userbuf'], 'base64') : undefined
      const at = vectorsVerify(s.usersig, s.sdkappid, s.identifier, s.public_key_pem, s.verify_at_time.now, userBuf)
      assert.equal(at.ok, true, at.ok ? '' : at.message)
      assert.equal(vectorsVerify(s.usersig, s.sdkappid, s.identifier, s.public_key_pem, expiresAt).ok, true)
      const late = vectorsVerify(s.usersig, s.sdkappid, s.identifier, s.public_key_pem, s.verify_expired.now, userBuf)
      assert.equal(late.ok ? 'ok' : late.reason, 'EXPIRED')
      if (s.private_key_pem) {
        const priv = parseLegacyPrivateKey(s.private_key_pem)
        assert.equal(createLegacySigner({ sdkAppId: s.sdkappid, privateKey: s.private_key_pem }).publicKeyPem,
          encodeLegacyPublicKeyPem(priv.curve, parseLegacyPublicKey(s.public_key_pem).publicKey))
      }
    })
  }

  for (const [i, k] of (official.v1_key_material as any[]).entries()) {
    test(`key material ${i}: ${k.source.slice(0, 70)}`, () => {
      const curve = curveOf(k.curve)
      const priv = parseLegacyPrivateKey(k.private_key_pem)
      assert.equal(priv.curve, curve)
      const signer = createLegacySigner({ sdkAppId: k.sdkappid ?? 1400000000, privateKey: k.private_key_pem })
      // node:crypto derives the same public key from the same file.
      const nodePub = nodeCrypto.createPublicKey(k.private_key_pem).export({ type: 'spki', format: 'pem' })
      assert.equal(signer.publicKeyPem, nodePub)
      const published = k.public_key_pem ?? k.public_key_pem_as_published
      if (published) assert.deepEqual(parseLegacyPublicKey(published), parseLegacyPublicKey(signer.publicKeyPem))
      const token = signer.userSig(k.identifier ?? 'xiaojun', { now: 1700000000 })
      const { json } = openToken(token)
      assert.ok(nodeVerify(contentByHand(json), signer.publicKeyPem, json['TLS.sig']!))
    })
  }

  test('the node-v1 test key: a stale secp256k1 EC PARAMETERS block before a P-256 key is read as P-256 (as OpenSSL does)', () => {
    const k = official.v1_key_material.find((x: any) => x.public_key_pem_as_published)
    assert.match(k.private_key_pem, /BgUrgQQACg==/)
    assert.equal(parseLegacyPrivateKey(k.private_key_pem).curve, 'P-256')
    // Its public key PEM repeats the BEGIN line; we read it anyway.
    assert.equal(parseLegacyPublicKey(k.public_key_pem_as_published).curve, 'P-256')
  })
})

// ---------------------------------------------------------------------------------------------------------------
// our tokens

describe('createLegacySigner', () => {
  for (const curve of CURVES) {
    const nk = nodeKeys(curve)
    const gen = generateLegacyKeyPair({ curve })
    const forms: [string, string, string][] = [
      ['generated (EC PARAMETERS + SEC1)', gen.privateKeyPem, gen.publicKeyPem],
      ['node SEC1 (no EC PARAMETERS)', nk.sec1, nk.spki],
      ['node PKCS#8', nk.pkcs8, nk.spki],
    ]
    for (const [form, privPem, pubPem] of forms) {
      test(`${curve}, ${form}: node:crypto and verifyUserSig accept our tokens`, () => {
        const signer = createLegacySigner({ sdkAppId: '1400000000', privateKey: privPem })
        assert.equal(signer.curve, curve)
        assert.equal(signer.sdkAppId, 1400000000)
        assert.equal(signer.publicKeyPem, nodeCrypto.createPublicKey(privPem).export({ type: 'spki', format: 'pem' }))
        const now = 1700000000
        const token = signer.userSig('alice', { expiresIn: '180d', now })
        assert.match(token, /^[A-Za-z0-9*_-]+$/)
        const { text, json } = openToken(token)
        // node-v1 field order, all values strings, compact JSON.
        assert.deepEqual(Object.keys(json), ['TLS.account_type', 'TLS.identifier', 'TLS.appid_at_3rd', 'TLS.sdk_appid', 'TLS.expire_after', 'TLS.version', 'TLS.time', 'TLS.sig'])
        assert.deepEqual({ ...json, 'TLS.sig': '' }, {
          'TLS.account_type': '0', 'TLS.identifier': 'alice', 'TLS.appid_at_3rd': '0', 'TLS.sdk_appid': '1400000000',
          'TLS.expire_after': String(180 * 86400), 'TLS.version': '201610110000', 'TLS.time': String(now), 'TLS.sig': '',
        })
        assert.ok(!/\s/.test(text))
        assert.ok(nodeVerify(contentByHand(json), pubPem, json['TLS.sig']!), 'node:crypto rejects our signature')
        assert.equal(verifyLegacySignature(json, pubPem), true)
        const r = verifyUserSig(token, { sdkAppId: 1400000000, userId: 'alice', publicKey: legacyPublicKey(pubPem), now })
        assert.equal(r.ok, true)
        const late = verifyUserSig(token, { sdkAppId: 1400000000, userId: 'alice', publicKey: legacyPublicKey(pubPem), now: now + 180 * 86400 + 1 })
        assert.equal(late.ok ? 'ok' : late.reason, 'EXPIRED')
        // Deterministic nonce: same inputs, same token.
        assert.equal(signer.userSig('alice', { expiresIn: '180d', now }), token)
        assert.equal(signer.issueUserSig('alice', { expiresIn: 60, now }).expiresAt, now + 60)
      })
    }

    test(`${curve}: userSigWithUserBuf signs the 7-line form`, () => {
      const signer = createLegacySigner({ sdkAppId: 1400001052, privateKey: gen.privateKeyPem })
      const userBuf = Uint8Array.of(0, 0xff, 0x10, 0x61)
      const token = signer.userSigWithUserBuf('abc', userBuf, { now: 1521991744, expiresIn: 99999999 })
      const { json } = openToken(token)
      assert.deepEqual(Object.keys(json), ['TLS.account_type', 'TLS.identifier', 'TLS.appid_at_3rd', 'TLS.sdk_appid', 'TLS.expire_after', 'TLS.version', 'TLS.time', 'TLS.userbuf', 'TLS.sig'])
      assert.equal(json['TLS.userbuf'], Buffer.from(userBuf).toString('base64'))
      assert.match(contentByHand(json), /\nTLS\.userbuf:AP8QYQ==\n$/)
      assert.ok(nodeVerify(contentByHand(json), gen.publicKeyPem, json['TLS.sig']!))
      const r = verifyUserSig(token, { sdkAppId: 1400001052, userId: 'abc', publicKey: legacyPublicKey(gen.publicKeyPem), now: 1521991744, userBuf })
      assert.equal(r.ok, true)
      assert.deepEqual(r.ok && [...r.payload.userBuf!], [...userBuf])
      const other = verifyUserSig(token, { sdkAppId: 1400001052, userId: 'abc', publicKey: legacyPublicKey(gen.publicKeyPem), now: 1521991744, userBuf: Uint8Array.of(1) })
      assert.equal(other.ok ? 'ok' : other.reason, 'USERBUF_MISMATCH')
      // An empty userbuf still uses the userbuf form.
      const empty = openToken(signer.userSigWithUserBuf('abc', new Uint8Array(0), { now: 1521991744 })).json
      assert.equal(empty['TLS.userbuf'], '')
      assert.ok(nodeVerify(contentByHand(empty), gen.publicKeyPem, empty['TLS.sig']!))
    })
  }

  test('non-ASCII identifiers (policy any) are signed as raw UTF-8', () => {
    const { privateKeyPem, publicKeyPem } = generateLegacyKeyPair({ curve: 'secp256k1' })
    const signer = createLegacySigner({ sdkAppId: 1, privateKey: privateKeyPem, userIdPolicy: 'any' })
    for (const id of ['中文', 'a"b\\c/d<e>&f', '😀', 'tab\there']) {
      const token = signer.userSig(id, { now: 1700000000 })
      const { json } = openToken(token)
      assert.equal(json['TLS.identifier'], id)
      assert.ok(nodeVerify(contentByHand(json), publicKeyPem, json['TLS.sig']!))
      assert.equal(verifyUserSig(token, { sdkAppId: 1, userId: id, publicKey: legacyPublicKey(publicKeyPem), now: 1700000000 }).ok, true)
    }
  })

  test('input checks use the core codes', () => {
    const { privateKeyPem } = generateLegacyKeyPair()
    assertKeyError(() => createLegacySigner({ sdkAppId: ' 1400000000', privateKey: privateKeyPem }), 'INVALID_SDKAPPID', /whitespace/)
    const s = createLegacySigner({ sdkAppId: 1400000000, privateKey: privateKeyPem })
    assertKeyError(() => s.userSig(''), 'INVALID_USERID', /empty/)
    assertKeyError(() => s.userSig('中文'), 'INVALID_USERID', /ASCII/)
    assertKeyError(() => s.userSig('alice', { expiresIn: 0 }), 'INVALID_EXPIRES_IN', /positive/)
    assertKeyError(() => s.userSig('alice', { now: Date.now() }), 'INVALID_NOW', /milliseconds/)
    assertKeyError(() => s.userSigWithUserBuf('alice', 'abc' as unknown as Uint8Array), 'INVALID_USERBUF', /Uint8Array/)
    assert.throws(() => createLegacySigner({ sdkAppId: 1, privateKey: privateKeyPem, userIdPolicy: 'x' as 'im' }), TypeError)
    assert.throws(() => createLegacySigner(null as never), TypeError)
    assertKeyError(() => createLegacySigner({ sdkAppId: 1, privateKey: generateLegacyKeyPair().publicKeyPem }), 'INVALID_PRIVATE_KEY', /public key/)
  })

  test('property: any printable ASCII userId, time and lifetime round-trips through node:crypto and verifyUserSig', () => {
    const keys = CURVES.map((curve) => generateLegacyKeyPair({ curve }))
    const signers = keys.map((k) => createLegacySigner({ sdkAppId: 1400000000, privateKey: k.privateKeyPem }))
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 1 }),
      fc.stringMatching(/^[\x20-\x7e]{1,32}$/),
      fc.integer({ min: 0, max: 4_000_000_000 }),
      fc.integer({ min: 1, max: 10 * 365 * 86400 }),
      (k, id, now, ttl) => {
        const token = signers[k]!.userSig(id, { now, expiresIn: ttl })
        const { json } = openToken(token)
        assert.ok(nodeVerify(contentByHand(json), keys[k]!.publicKeyPem, json['TLS.sig']!))
        const r = verifyUserSig(token, { sdkAppId: 1400000000, userId: id, publicKey: legacyPublicKey(keys[k]!.publicKeyPem), now: now + ttl })
        assert.equal(r.ok, true)
      },
    ), { numRuns: 40 })
  })
})

// ---------------------------------------------------------------------------------------------------------------
// signature checks

describe('verifyLegacySignature', () => {
  const k1 = generateLegacyKeyPair({ curve: 'secp256k1' })
  const k1b = generateLegacyKeyPair({ curve: 'secp256k1' })
  const p2 = generateLegacyKeyPair({ curve: 'P-256' })
  const signer = createLegacySigner({ sdkAppId: 1400000000, privateKey: k1.privateKeyPem })
  const fields = openToken(signer.userSigWithUserBuf('alice', Uint8Array.of(1, 2, 3), { now: 1700000000 })).json

  test('valid; the unsigned TLS.version does not matter', () => {
    assert.equal(verifyLegacySignature(fields, k1.publicKeyPem), true)
    assert.equal(verifyLegacySignature({ ...fields, 'TLS.version': 'anything' }, k1.publicKeyPem), true)
    assert.equal(verifyLegacySignature(fields, parseLegacyPublicKey(k1.publicKeyPem)), true)
  })

  test('wrong key and wrong curve → false', () => {
    assert.equal(verifyLegacySignature(fields, k1b.publicKeyPem), false)
    assert.equal(verifyLegacySignature(fields, p2.publicKeyPem), false)
    // The same public key bytes interpreted on the other curve are not a valid point or do not verify.
    const pub = parseLegacyPublicKey(k1.publicKeyPem)
    assert.equal(verifyLegacySignature(fields, { curve: 'P-256', publicKey: pub.publicKey }), false)
  })

  test('every tampered signed field → false', () => {
    for (const key of ['TLS.account_type', 'TLS.identifier', 'TLS.appid_at_3rd', 'TLS.sdk_appid', 'TLS.time', 'TLS.expire_after', 'TLS.userbuf']) {
      assert.equal(verifyLegacySignature({ ...fields, [key]: fields[key] + '1' }, k1.publicKeyPem), false, key)
    }
    const plain = openToken(signer.userSig('alice', { now: 1700000000 })).json
    const { 'TLS.appid_at_3rd': _drop, ...without } = plain
    assert.equal(verifyLegacySignature(plain, k1.publicKeyPem), true)
    assert.equal(verifyLegacySignature(without, k1.publicKeyPem), false)
    // Adding a userbuf switches to the 7-line form, which was not signed.
    assert.equal(verifyLegacySignature({ ...plain, 'TLS.userbuf': '' }, k1.publicKeyPem), false)
  })

  test('signature bytes: flipped bit, truncated, trailing byte, not DER → false; high S and CRLF wrapping → true', () => {
    const der = Buffer.from(fields['TLS.sig']!, 'base64')
    const withSig = (b: Uint8Array): Record<string, string> => ({ ...fields, 'TLS.sig': Buffer.from(b).toString('base64') })
    for (let i = 0; i < der.length; i += 7) {
      const bad = Uint8Array.from(der)
      bad[i] = bad[i]! ^ 0x01
      assert.equal(verifyLegacySignature(withSig(bad), k1.publicKeyPem), false, `byte ${i}`)
    }
    assert.equal(verifyLegacySignature(withSig(der.subarray(0, der.length - 1)), k1.publicKeyPem), false)
    assert.equal(verifyLegacySignature(withSig(Buffer.concat([der, Buffer.of(0)])), k1.publicKeyPem), false)
    assert.equal(verifyLegacySignature(withSig(new Uint8Array(64)), k1.publicKeyPem), false)
    assert.equal(verifyLegacySignature(withSig(new Uint8Array(0)), k1.publicKeyPem), false)

    // High S: (r, n - s) is an equally valid signature; OpenSSL emits such sigs, so they must verify.
    const r = new DerReader(der, 'MALFORMED', 'sig').sequence()
    const rBytes = r.integer()
    const s = BigInt('0x' + Buffer.from(r.integer()).toString('hex'))
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
    const highS = Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex')
    const highDer = derSequence(derEncode(TAG.INTEGER, rBytes), derInteger(highS))
    assert.equal(verifyLegacySignature(withSig(highDer), k1.publicKeyPem), true)
    assert.ok(nodeVerify(contentByHand(fields), k1.publicKeyPem, Buffer.from(highDer).toString('base64')))

    const b64 = fields['TLS.sig']!
    assert.equal(verifyLegacySignature({ ...fields, 'TLS.sig': `${b64.slice(0, 40)}\r\n${b64.slice(40)}\r\n` }, k1.publicKeyPem), true)
  })

  test('malformed fields → UserSigError MALFORMED stage fields', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...fields, 'TLS.time': 1700000000 }, /TLS\.time must be a string in a legacy UserSig, found number/],
      [{ ...fields, 'TLS.identifier': null }, /TLS\.identifier must be a string in a legacy UserSig, found null/],
      [(({ 'TLS.account_type': _a, ...rest }) => rest)(fields), /TLS\.account_type is missing/],
      [(({ 'TLS.appid_at_3rd': _a, ...rest }) => rest)(fields), /TLS\.appid_at_3rd is missing/],
      [(({ 'TLS.sig': _a, ...rest }) => rest)(fields), /TLS\.sig is missing/],
      [{ ...fields, 'TLS.sig': 42 }, /TLS\.sig must be a string/],
      [{ ...fields, 'TLS.sig': 'MEUC*IQ' }, /TLS\.sig is not standard base64/],
    ]
    for (const [f, re] of cases) {
      const err = assertKeyError(() => verifyLegacySignature(f, k1.publicKeyPem), 'MALFORMED', re)
      assert.equal(err.stage, 'fields')
    }
  })

  test('a bad public key → INVALID_PUBLIC_KEY, and so is a non-key object', () => {
    assertKeyError(() => verifyLegacySignature(fields, 'nope'), 'INVALID_PUBLIC_KEY', /not a PEM key/)
    assertKeyError(() => verifyLegacySignature(fields, { curve: 'P-384', publicKey: new Uint8Array(65) } as never), 'INVALID_PUBLIC_KEY', /parseLegacyPublicKey/)
  })

  test('many keys, each parsed per call (nothing is cached): each verdict is right', () => {
    const keys = Array.from({ length: 20 }, (_, i) => generateLegacyKeyPair({ curve: i % 2 ? 'P-256' : 'secp256k1' }).publicKeyPem)
    for (const pem of keys) assert.equal(verifyLegacySignature(fields, pem), false)
    assert.equal(verifyLegacySignature(fields, k1.publicKeyPem), true)
  })

  test('ecdsaSignDer / ecdsaVerifyDer agree with node:crypto both ways', () => {
    for (const curve of CURVES) {
      const nk = nodeKeys(curve)
      const priv = parseLegacyPrivateKey(nk.pkcs8)
      const pub = parseLegacyPublicKey(nk.spki)
      const msg = te.encode(`message on ${curve}`)
      const ours = ecdsaSignDer(curve, priv.privateKey, msg)
      assert.ok(nodeCrypto.verify('sha256', msg, nk.spki, ours))
      const theirs = nodeCrypto.sign('sha256', msg, nk.key)
      assert.equal(ecdsaVerifyDer(curve, pub.publicKey, msg, theirs), true)
      assert.equal(ecdsaVerifyDer(curve, pub.publicKey, te.encode('other'), theirs), false)
      assert.equal(ecdsaVerifyDer(curve, new Uint8Array(3), msg, theirs), false)
    }
  })
})

// ---------------------------------------------------------------------------------------------------------------
// keys

describe('generateLegacyKeyPair', () => {
  for (const [name, curve] of [['secp256k1', 'secp256k1'], ['P-256', 'P-256'], ['p256', 'P-256'], ['PRIME256V1', 'P-256'], ['secp256r1', 'P-256'], ['SECP256K1', 'secp256k1']] as const) {
    test(`curve ${name}: console formats, loadable by node:crypto, round-trips`, () => {
      const kp = generateLegacyKeyPair({ curve: name })
      assert.equal(kp.curve, curve)
      assert.match(kp.privateKeyPem, /^-----BEGIN EC PARAMETERS-----\n[A-Za-z0-9+/=]+\n-----END EC PARAMETERS-----\n-----BEGIN EC PRIVATE KEY-----\n/)
      assert.match(kp.publicKeyPem, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/)
      const np = nodeCrypto.createPrivateKey(kp.privateKeyPem)
      const nq = nodeCrypto.createPublicKey(kp.publicKeyPem)
      assert.equal(np.asymmetricKeyDetails?.namedCurve, NODE_CURVE[curve])
      assert.equal(nq.asymmetricKeyDetails?.namedCurve, NODE_CURVE[curve])
      // Same SEC1 bytes as OpenSSL writes ([0] curve, [1] public key); same SPKI.
      assert.equal(np.export({ type: 'sec1', format: 'pem' }), kp.privateKeyPem.slice(kp.privateKeyPem.indexOf('-----BEGIN EC PRIVATE KEY')))
      assert.equal(nodeCrypto.createPublicKey(np).export({ type: 'spki', format: 'pem' }), kp.publicKeyPem)
      assert.deepEqual(parseLegacyPrivateKey(np.export({ type: 'pkcs8', format: 'pem' }) as string), parseLegacyPrivateKey(kp.privateKeyPem))
      assert.equal(parseLegacyPublicKey(kp.publicKeyPem).curve, curve)
      const sig = nodeCrypto.sign('sha256', Buffer.from('x'), np)
      assert.equal(ecdsaVerifyDer(curve, parseLegacyPublicKey(kp.publicKeyPem).publicKey, te.encode('x'), sig), true)
    })
  }

  test('default curve is P-256; keys differ; an unknown curve is a TypeError', () => {
    const a = generateLegacyKeyPair()
    const b = generateLegacyKeyPair()
    assert.equal(a.curve, 'P-256')
    assert.notEqual(a.privateKeyPem, b.privateKeyPem)
    assert.throws(() => generateLegacyKeyPair({ curve: 'P-384' }), { name: 'TypeError', message: /secp256k1.*P-256/ })
    assert.throws(() => normalizeCurve(256), TypeError)
  })
})

describe('parseLegacyPrivateKey / parseLegacyPublicKey: tolerated input', () => {
  const kp = generateLegacyKeyPair({ curve: 'secp256k1' })
  const want = parseLegacyPrivateKey(kp.privateKeyPem)
  const wantPub = parseLegacyPublicKey(kp.publicKeyPem)
  const variants: [string, (pem: string) => string][] = [
    ['CRLF', (pem) => pem.replace(/\n/g, '\r\n')],
    ['surrounding whitespace', (pem) => `\n\n   ${pem}   \n\t`],
    ['indented lines', (pem) => pem.replace(/^/gm, '    ')],
    ['literal \\n (a .env paste)', (pem) => pem.trim().replace(/\n/g, '\\n')],
    ['literal \\r\\n', (pem) => pem.trim().replace(/\n/g, '\\r\\n')],
    ['quoted, with literal \\n', (pem) => `"${pem.trim().replace(/\n/g, '\\n')}"`],
    ['one base64 line per block', (pem) => pem.replace(/(-----\n)([A-Za-z0-9+/=\n]+?)(\n-----END)/g, (_m, a: string, b: string, c: string) => a + b.replace(/\n/g, '') + c)],
    ['text around the blocks', (pem) => `Bag Attributes\n    localKeyID: 01\n${pem}trailing notes\n`],
    ['a repeated BEGIN line', (pem) => pem.replace(/(-----BEGIN (EC PRIVATE|PUBLIC) KEY-----\n)/, '$1$1')],
  ]
  for (const [name, damage] of variants) {
    test(name, () => {
      assert.deepEqual(parseLegacyPrivateKey(damage(kp.privateKeyPem)), want)
      assert.deepEqual(parseLegacyPublicKey(damage(kp.publicKeyPem)), wantPub)
    })
  }

  test('SEC1 without [0]: curve from the EC PARAMETERS block, else from the embedded public key', () => {
    for (const curve of CURVES) {
      const k = generateLegacyKeyPair({ curve })
      const d = parseLegacyPrivateKey(k.privateKeyPem).privateKey
      const point = parseLegacyPublicKey(k.publicKeyPem).publicKey
      const oid = derOid(curve === 'P-256' ? '1.2.840.10045.3.1.7' : '1.3.132.0.10')
      const noParams = derSequence(derInteger(1), derOctetString(d), derContext(1, derBitString(point)))
      assert.deepEqual(parseLegacyPrivateKey(pemOf('EC PARAMETERS', oid) + pemOf('EC PRIVATE KEY', noParams)), { curve, privateKey: d })
      assert.deepEqual(parseLegacyPrivateKey(pemOf('EC PRIVATE KEY', noParams)), { curve, privateKey: d })
      const bare = derSequence(derInteger(1), derOctetString(d))
      assert.deepEqual(parseLegacyPrivateKey(pemOf('EC PARAMETERS', oid) + pemOf('EC PRIVATE KEY', bare)), { curve, privateKey: d })
      assertKeyError(() => parseLegacyPrivateKey(pemOf('EC PRIVATE KEY', bare)), 'INVALID_PRIVATE_KEY', /does not say which curve/)
      // A short scalar (leading zero bytes dropped by an old encoder) is padded back to 32 bytes.
      const short = derSequence(derInteger(1), derOctetString(Uint8Array.of(7)), derContext(0, oid))
      assert.deepEqual(parseLegacyPrivateKey(pemOf('EC PRIVATE KEY', short)).privateKey, Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? 7 : 0)))
    }
  })
})

describe('parseLegacyPrivateKey / parseLegacyPublicKey: clear errors', () => {
  const k1 = generateLegacyKeyPair({ curve: 'secp256k1' })
  const p2 = generateLegacyKeyPair({ curve: 'P-256' })
  const rsa = nodeCrypto.generateKeyPairSync('rsa', { modulusLength: 1024 })
  const p384 = nodeCrypto.generateKeyPairSync('ec', { namedCurve: 'secp384r1' })
  const ed = nodeCrypto.generateKeyPairSync('ed25519')
  const nk = nodeKeys('P-256')
  const d = parseLegacyPrivateKey(p2.privateKeyPem).privateKey
  const P256 = derOid('1.2.840.10045.3.1.7')
  const K1 = derOid('1.3.132.0.10')
  const secp256k1Pub = parseLegacyPublicKey(k1.publicKeyPem).publicKey
  const truncatedBody = (pem: string): string => {
    // Drop the last base64 line but keep the END line: the DER inside is cut off.
    const lines = pem.trimEnd().split('\n')
    const endAt = lines.findIndex((l) => l.startsWith('-----END') && !l.includes('PARAMETERS'))
    lines.splice(endAt - 1, 1)
    return lines.join('\n')
  }

  const PRIV_CASES: [string, string, RegExp][] = [
    ['empty', '', /empty/],
    ['whitespace only', ' \n\t ', /empty/],
    ['garbage', 'hello world, no key here', /not a PEM key/],
    ['a v2 secret key', '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e', /v2 secret key/],
    ['base64 body without armor', pemBody(k1.privateKeyPem), /not a PEM key/],
    ['cut off before END', k1.privateKeyPem.slice(0, k1.privateKeyPem.length - 60), /no END line/],
    ['cut off at the start', k1.privateKeyPem.slice(k1.privateKeyPem.indexOf('-----BEGIN EC PRIVATE KEY') + 5), /END line but no BEGIN line/],
    ['a line dropped (DER truncated)', truncatedBody(p2.privateKeyPem), /truncated/],
    ['a character dropped', p2.privateKeyPem.replace(/(PRIVATE KEY-----\n.{10})./, '$1'), /truncated or damaged/],
    ['a non-base64 character', p2.privateKeyPem.replace(/(PRIVATE KEY-----\n.{10})./, '$1%'), /character '%'/],
    ['mismatched END', p2.privateKeyPem.replace('END EC PRIVATE KEY', 'END PRIVATE KEY'), /ends with END PRIVATE KEY/],
    ['RSA PKCS#8', rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, /RSA key/],
    ['RSA PKCS#1', rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string, /RSA key/],
    ['encrypted PKCS#8', nk.key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string, /encrypted/],
    ['encrypted SEC1 (Proc-Type)', nk.key.export({ type: 'sec1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string, /encrypted/],
    ['P-384 key (SEC1)', p384.privateKey.export({ type: 'sec1', format: 'pem' }) as string, /unsupported curve secp384r1 \(P-384\) \(OID 1\.3\.132\.0\.34\)/],
    ['P-384 key (PKCS#8)', p384.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, /OID 1\.3\.132\.0\.34/],
    ['Ed25519 key', ed.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, /Ed25519 \(OID 1\.3\.101\.112\)/],
    ['a public key', k1.publicKeyPem, /this is a public key/],
    ['only EC PARAMETERS', k1.privateKeyPem.slice(0, k1.privateKeyPem.indexOf('-----BEGIN EC PRIVATE')), /only an EC PARAMETERS block/],
    ['unknown curve OID', pemOf('EC PRIVATE KEY', derSequence(derInteger(1), derOctetString(d), derContext(0, derOid('1.2.3.4')))), /unsupported curve OID 1\.2\.3\.4/],
    ['explicit curve parameters', pemOf('EC PRIVATE KEY', derSequence(derInteger(1), derOctetString(d), derContext(0, derSequence(derInteger(1))))), /explicit parameters/],
    ['SEC1 version 0', pemOf('EC PRIVATE KEY', derSequence(derInteger(0), derOctetString(d), derContext(0, P256))), /version 0/],
    ['scalar of 33 bytes', pemOf('EC PRIVATE KEY', derSequence(derInteger(1), derOctetString(new Uint8Array(33).fill(1)), derContext(0, P256))), /33 bytes/],
    ['scalar zero', pemOf('EC PRIVATE KEY', derSequence(derInteger(1), derOctetString(new Uint8Array(32)), derContext(0, P256))), /out of range/],
    ['scalar ≥ n', pemOf('EC PRIVATE KEY', derSequence(derInteger(1), derOctetString(new Uint8Array(32).fill(0xff)), derContext(0, P256))), /out of range/],
    ['[1] public key of another key', pemOf('EC PRIVATE KEY', derSequence(derInteger(1), derOctetString(d), derContext(0, K1), derContext(1, derBitString(secp256k1Pub)))), /does not belong/],
    ['PKCS#8 curve disagrees with the inner key', pemOf('PRIVATE KEY', derSequence(derInteger(0), derSequence(derOid('1.2.840.10045.2.1'), P256), derOctetString(derSequence(derInteger(1), derOctetString(d), derContext(0, K1))))), /algorithm says P-256 but the embedded EC key says secp256k1/],
    ['mislabelled EncryptedPrivateKeyInfo', pemOf('PRIVATE KEY', derSequence(derSequence(derOid('1.2.840.113549.1.5.13')), derOctetString(new Uint8Array(48)))), /encrypted PKCS#8/],
    ['trailing bytes after the key', pemOf('EC PRIVATE KEY', new Uint8Array([...Buffer.from(pemBody(p2.privateKeyPem.slice(p2.privateKeyPem.indexOf('-----BEGIN EC PRIVATE'))), 'base64'), 0])), /trailing bytes/],
    ['a certificate', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', /X\.509 certificate/],
    ['an OpenSSH key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----\n', /OpenSSH/],
    ['an unknown block', '-----BEGIN FOO BAR-----\nAAAA\n-----END FOO BAR-----\n', /unsupported PEM block "FOO BAR"/],
    ['two private keys', k1.privateKeyPem + p2.privateKeyPem, /more than one private key/],
    ['empty block', '-----BEGIN EC PRIVATE KEY-----\n-----END EC PRIVATE KEY-----\n', /block is empty/],
  ]
  for (const [name, text, re] of PRIV_CASES) {
    test(`private key: ${name}`, () => {
      const err = assertKeyError(() => parseLegacyPrivateKey(text), 'INVALID_PRIVATE_KEY', re, text)
      assert.ok(err.message.startsWith('private key: '), err.message)
      // The signer reports the same error.
      assertKeyError(() => createLegacySigner({ sdkAppId: 1, privateKey: text }), 'INVALID_PRIVATE_KEY', re, text)
    })
  }

  test('hints say what to do', () => {
    const hint = (text: string): string => assertKeyError(() => parseLegacyPrivateKey(text), 'INVALID_PRIVATE_KEY', /./).hint ?? ''
    assert.match(hint('5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'), /createSigner/)
    assert.match(hint(nk.key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string), /openssl pkcs8/)
    assert.match(hint(rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string), /secp256k1 or P-256/)
    assert.match(hint(k1.publicKeyPem), /private_key file/)
    assert.match(hint(''), /BEGIN/)
  })

  const PUB_CASES: [string, string, RegExp][] = [
    ['empty', '', /empty/],
    ['garbage', 'ssh-ed25519 AAAAC3Nz', /not a PEM key/],
    ['a private key (SEC1)', k1.privateKeyPem, /this is a private key/],
    ['a private key (PKCS#8)', nk.pkcs8, /this is a private key/],
    ['RSA SPKI', rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string, /RSA key/],
    ['RSA PKCS#1 public', rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }) as string, /RSA key/],
    ['P-384 SPKI', p384.publicKey.export({ type: 'spki', format: 'pem' }) as string, /secp384r1 \(P-384\) \(OID 1\.3\.132\.0\.34\)/],
    ['Ed25519 SPKI', ed.publicKey.export({ type: 'spki', format: 'pem' }) as string, /Ed25519/],
    ['a line dropped', truncatedBody(p2.publicKeyPem), /truncated/],
    ['a character dropped', p2.publicKeyPem.replace(/(PUBLIC KEY-----\n.{10})./, '$1'), /truncated or damaged/],
    ['point not on the curve', pemOf('PUBLIC KEY', derSequence(derSequence(derOid('1.2.840.10045.2.1'), P256), derBitString(Uint8Array.of(4, ...new Uint8Array(64).fill(1))))), /not a valid point on P-256/],
    ['a secp256k1 point labelled P-256', pemOf('PUBLIC KEY', derSequence(derSequence(derOid('1.2.840.10045.2.1'), P256), derBitString(secp256k1Pub))), /not a valid point on P-256/],
    ['a certificate', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', /certificate/],
    ['two public keys', k1.publicKeyPem + p2.publicKeyPem, /more than one public key/],
  ]
  for (const [name, text, re] of PUB_CASES) {
    test(`public key: ${name}`, () => {
      const err = assertKeyError(() => parseLegacyPublicKey(text), 'INVALID_PUBLIC_KEY', re, name.includes('private') ? text : undefined)
      assert.ok(err.message.startsWith('public key: '), err.message)
    })
  }

  test('a certificate hint says how to extract the public key', () => {
    const err = assertKeyError(() => parseLegacyPublicKey('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'), 'INVALID_PUBLIC_KEY', /certificate/)
    assert.match(err.hint ?? '', /openssl x509/)
  })

  test('non-string input is the key input\'s UserSigError, as from every entry point', () => {
    assertKeyError(() => parseLegacyPrivateKey(Buffer.from(k1.privateKeyPem) as never), 'INVALID_PRIVATE_KEY', /must be the text of the PEM file \(a string\), got object/)
    assertKeyError(() => parseLegacyPublicKey(undefined as never), 'INVALID_PUBLIC_KEY', /publicKey must be the text of the PEM file \(a string\), got undefined/)
    assertKeyError(() => createLegacySigner({ sdkAppId: 1 } as never), 'INVALID_PRIVATE_KEY', /privateKey must be the text of the PEM file \(a string\), got undefined/)
  })

  test('property: damaged key text only ever throws UserSigError INVALID_PRIVATE_KEY (or parses)', () => {
    const der = Buffer.from(pemBody(p2.privateKeyPem.slice(p2.privateKeyPem.indexOf('-----BEGIN EC PRIVATE'))), 'base64')
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.nat({ max: der.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
      fc.nat({ max: der.length }),
      (edits, cut) => {
        const bytes = Uint8Array.from(der.subarray(0, Math.max(1, cut)))
        for (const [i, v] of edits) if (i < bytes.length) bytes[i] = v
        for (const label of ['EC PRIVATE KEY', 'PRIVATE KEY']) {
          try {
            const k = parseLegacyPrivateKey(pemOf(label, bytes))
            assert.equal(k.privateKey.length, 32)
          } catch (e) {
            assert.ok(e instanceof UserSigError && e.code === 'INVALID_PRIVATE_KEY', String(e))
          }
        }
        try {
          parseLegacyPublicKey(pemOf('PUBLIC KEY', bytes))
        } catch (e) {
          assert.ok(e instanceof UserSigError && e.code === 'INVALID_PUBLIC_KEY', String(e))
        }
      },
    ), { numRuns: 300 })
  })

  test('property: arbitrary text only ever throws UserSigError', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => {
      for (const text of [s, `-----BEGIN EC PRIVATE KEY-----\n${s}\n-----END EC PRIVATE KEY-----`]) {
        try {
          parseLegacyPrivateKey(text)
        } catch (e) {
          assert.ok(e instanceof UserSigError && e.code === 'INVALID_PRIVATE_KEY', String(e))
        }
      }
    }), { numRuns: 300 })
  })
})

// ---------------------------------------------------------------------------------------------------------------
// DER

describe('DER reader/writer', () => {
  test('OIDs round-trip', () => {
    for (const oid of ['1.3.132.0.10', '1.2.840.10045.3.1.7', '1.2.840.10045.2.1', '2.999.1', '0.39', '1.2.156.10197.1.301', '2.25.340282366920938']) {
      assert.equal(new DerReader(derOid(oid), 'MALFORMED', 'x').oid(), oid)
    }
    assert.deepEqual([...derOid('1.3.132.0.10')], [6, 5, 0x2b, 0x81, 4, 0, 10])
    assert.throws(() => derOid('3.1'), RangeError)
  })

  test('long lengths and nesting', () => {
    for (const n of [0, 1, 127, 128, 255, 256, 70000]) {
      const content = new Uint8Array(n).fill(7)
      const r = new DerReader(derSequence(derOctetString(content), derInteger(n)), 'MALFORMED', 'x')
      const s = r.sequence()
      r.end()
      assert.equal(s.octetString().length, n)
      assert.equal(s.smallInteger(), n)
      s.end()
      assert.equal(s.done, true)
    }
  })

  test('integers are minimal and unsigned', () => {
    assert.deepEqual([...derInteger(0)], [2, 1, 0])
    assert.deepEqual([...derInteger(128)], [2, 2, 0, 128])
    assert.deepEqual([...derInteger(Uint8Array.of(0, 0, 1))], [2, 1, 1])
  })

  test('bounds and tag errors name what is wrong', () => {
    const read = (bytes: number[], f: (r: DerReader) => unknown): UserSigError =>
      assertKeyError(() => f(new DerReader(Uint8Array.from(bytes), 'INVALID_PUBLIC_KEY', 'public key')), 'INVALID_PUBLIC_KEY', /^public key: /)
    assert.match(read([], (r) => r.sequence()).message, /truncated: expected SEQUENCE at byte 0/)
    assert.match(read([0x02, 1, 1], (r) => r.sequence()).message, /expected SEQUENCE at byte 0, found INTEGER/)
    assert.match(read([0x30, 5, 1], (r) => r.sequence()).message, /declares 5 bytes but only 1 remain/)
    assert.match(read([0x30, 0x80], (r) => r.sequence()).message, /indefinite length/)
    assert.match(read([0x30, 0x85, 1, 1, 1, 1, 1], (r) => r.sequence()).message, /implausible length/)
    assert.match(read([0x30, 0x82, 1], (r) => r.sequence()).message, /length .* is cut off/)
    assert.match(read([0x30], (r) => r.sequence()).message, /has no length/)
    assert.match(read([0x03, 2, 1, 0], (r) => r.bitString()).message, /1 unused bits/)
    assert.match(read([0x06, 2, 0x2b, 0x81], (r) => r.oid()).message, /cut off/)
    assert.match(read([0x02, 1, 0x80], (r) => r.smallInteger()).message, /negative/)
    assert.match(read([0xa3, 0], (r) => r.sequence()).message, /found \[3\]/)
    assert.match(read([0x05, 0, 0x05, 0], (r) => { r.read(TAG.NULL); r.end() }).message, /2 unexpected trailing bytes at byte 2/)
  })

  test('optional context elements', () => {
    const r = new DerReader(derSequence(derContext(1, derOid('1.2.3'))), 'MALFORMED', 'x').sequence()
    assert.equal(r.optionalContext(0), undefined)
    assert.equal(r.optionalContext(1)!.oid(), '1.2.3')
    assert.equal(r.peekTag(), undefined)
  })
})
