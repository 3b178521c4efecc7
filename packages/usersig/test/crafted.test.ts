/**
 * Crafted input (issue 12 §5), bounded: shapes that were slow, ambiguous or echoed. Each is checked for its answer
 * here; the timing guards live in crafted.slow.test.ts (`npm run test:slow`).
 */
import test, { describe } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { createSigner, createVerifier, explainUserSig, keyFingerprint, verifyUserSig, UserSigError } from '../src/index.js'
import { createLegacySigner, generateLegacyKeyPair, legacyPublicKey, parseLegacyPrivateKey } from '../src/legacy/index.js'
import { ecdsaSignDer } from '../src/legacy/ecdsa.js'
import { legacySignedContent } from '../src/legacy/content.js'
import { base64Encode, tencentBase64Encode } from '../src/_base64.js'
import { zlibCompress } from '../src/_deflate.js'
import { MAX_PEM_LENGTH } from '../src/_pem.js'

const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
const now = 1700000000
const signer = createSigner({ sdkAppId: 1400000000, secretKey: KEY })
const good = signer.userSig('alice', { now })
const pair = generateLegacyKeyPair({ curve: 'P-256' })
const te = new TextEncoder()

/** A v1 token whose fields are signed exactly as given (what a hostile or careless signer could emit). */
function v1Token(identifier: string): string {
  const fields: Record<string, string> = {
    'TLS.account_type': '0', 'TLS.identifier': identifier, 'TLS.appid_at_3rd': '0', 'TLS.sdk_appid': '1400000000',
    'TLS.expire_after': '86400', 'TLS.time': String(now),
  }
  let content: string
  try {
    content = legacySignedContent(fields, false)
  } catch {
    // The content builder refuses line breaks; build the ambiguous text by hand as an attacker would.
    content = `TLS.appid_at_3rd:0\nTLS.account_type:0\nTLS.identifier:${identifier}\nTLS.sdk_appid:1400000000\nTLS.time:${now}\nTLS.expire_after:86400\n`
  }
  const { curve, privateKey } = parseLegacyPrivateKey(pair.privateKeyPem)
  fields['TLS.sig'] = base64Encode(ecdsaSignDer(curve, privateKey, te.encode(content)))
  return tencentBase64Encode(zlibCompress(te.encode(JSON.stringify(fields))))
}

describe('explainUserSig: length first, then linear checks', () => {
  test("'A' + '_' × 80000 is explained (no backtracking on the underscores)", () => {
    const r = explainUserSig('A' + '_'.repeat(80000))
    assert.equal(r.verdict, 'invalid')
  })
  test('more than 1 MiB of it is MALFORMED by length alone', () => {
    const r = explainUserSig('A' + '_'.repeat(1 << 20))
    assert.deepEqual(r.findings.map((f) => f.code), ['MALFORMED'])
    assert.match(r.findings[0]!.message, /characters long/)
  })
  test('property: strings made of the shapes the recognisers look at never throw and always get a verdict', () => {
    const piece = fc.constantFrom('A', '_', '-', '*', '%2A', '%', 'eyJ', '.', '{', '}', '"', "'", ' ', '\n', 'TLS.time', ':', '=', '+', '/')
    fc.assert(fc.property(fc.array(piece, { maxLength: 400 }), (parts) => {
      const r = explainUserSig(parts.join(''))
      assert.ok(['valid', 'invalid', 'unknown'].includes(r.verdict))
      assert.ok(r.tokenPrefix.length <= 11)
    }), { numRuns: 300 })
  })
})

describe('keyFingerprint: linear on any text, PEM bounded', () => {
  test('many BEGIN lines give a fingerprint (one pass over the lines)', () => {
    const text = '-----BEGIN PUBLIC KEY-----\n'.repeat(2000)
    assert.match(keyFingerprint(text), /^[0-9a-f]{8}$/)
  })
  test('PEM text over the bound is refused without reading it', () => {
    assert.throws(() => keyFingerprint('-----BEGIN PUBLIC KEY-----\n' + 'A'.repeat(MAX_PEM_LENGTH)), RangeError)
    assert.throws(() => legacyPublicKey('-----BEGIN PUBLIC KEY-----\n' + 'A'.repeat(MAX_PEM_LENGTH)), (e: unknown) => e instanceof UserSigError && e.code === 'INVALID_PUBLIC_KEY')
  })
  test('a public key PEM and its key object and the signer share one id', () => {
    const s = createLegacySigner({ sdkAppId: 1, privateKey: pair.privateKeyPem })
    assert.equal(keyFingerprint(pair.publicKeyPem), s.keyId)
    assert.equal(legacyPublicKey(pair.publicKeyPem).keyId, s.keyId)
    assert.equal(keyFingerprint(legacyPublicKey(pair.publicKeyPem)), s.keyId)
  })
})

describe('legacy (v1) content is unambiguous', () => {
  const publicKey = legacyPublicKey(pair.publicKeyPem)
  test("a UserID with a line break is refused when signing, even under userIdPolicy 'any'", () => {
    const s = createLegacySigner({ sdkAppId: 1400000000, privateKey: pair.privateKeyPem, userIdPolicy: 'any' })
    assert.throws(() => s.userSig('mallory\nTLS.identifier:alice', { now }), (e: unknown) => e instanceof UserSigError && e.code === 'INVALID_USERID')
  })
  test('a token signed for "mallory\\nTLS.identifier:alice…" is MALFORMED, for alice and for mallory', () => {
    const forged = v1Token('mallory\nTLS.identifier:alice')
    for (const userId of ['alice', 'mallory\nTLS.identifier:alice', 'mallory']) {
      const r = verifyUserSig(forged, { sdkAppId: 1400000000, userId, publicKey, now })
      assert.equal(r.ok, false)
      assert.equal(!r.ok && r.reason, 'MALFORMED')
      assert.equal(!r.ok && r.stage, 'fields')
    }
  })
  test('property: any identifier with a line break is MALFORMED; without one it verifies', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
      const id = a.replace(/[\n\ud800-\udfff]/g, 'x')
      const ok = verifyUserSig(v1Token(id), { sdkAppId: 1400000000, userId: id, publicKey, now })
      assert.equal(ok.ok, true, id)
      const bad = verifyUserSig(v1Token(id + '\n' + b), { sdkAppId: 1400000000, userId: id, publicKey, now })
      assert.equal(!bad.ok && bad.reason, 'MALFORMED')
    }), { numRuns: 40 })
  })
})

describe('messages quote at most a short prefix, and never a value from a slot that may hold a secret', () => {
  test('a 1 MB expected userId gives a short message', () => {
    const r = verifyUserSig(good, { sdkAppId: 1400000000, userId: 'x'.repeat(1 << 20), secretKey: KEY, now })
    assert.equal(!r.ok && r.reason, 'IDENTIFIER_MISMATCH')
    assert.ok(!r.ok && r.message.length < 200, String(!r.ok && r.message.length))
    const ex = explainUserSig(good, { userId: 'y'.repeat(1 << 20), now })
    for (const f of ex.findings) assert.ok(f.message.length < 300, f.code)
    assert.ok(ex.summary.length < 300)
  })
  test('control characters and lone surrogates in quoted values are escaped', () => {
    const r = verifyUserSig(good, { sdkAppId: 1400000000, userId: 'bob\u0000\u001b[31m\ud800', secretKey: KEY, now })
    assert.ok(!r.ok && !/[\u0000-\u001f\ud800-\udfff]/.test(r.message), !r.ok ? r.message : '')
  })
  test('a PEM passed as userIdPolicy (or another enumerated option) is not echoed', () => {
    for (const make of [
      () => createSigner({ sdkAppId: 1, secretKey: KEY, userIdPolicy: pair.privateKeyPem as never }),
      () => createLegacySigner({ sdkAppId: 1, privateKey: pair.privateKeyPem, userIdPolicy: pair.privateKeyPem as never }),
      () => signer.userSig('alice', { expiresIn: pair.privateKeyPem }),
      () => signer.privateMapKey('alice', { roomId: 1, privileges: pair.privateKeyPem }),
    ]) {
      let message = ''
      try { make() } catch (e) { message = `${(e as Error).message} ${(e as UserSigError).hint ?? ''}` }
      assert.ok(message.length > 0)
      assert.ok(!message.includes(pair.privateKeyPem.split('\n')[1]!.slice(0, 16)), message)
      assert.ok(message.length < 400, message)
    }
  })
  test('a key pasted into the userId slot appears at most as a short prefix; the key slots never', () => {
    const r = explainUserSig(good, { userId: KEY, secretKey: KEY, now })
    const out = JSON.stringify({ ...r, decoded: undefined })
    assert.ok(!out.includes(KEY))
    assert.ok(!out.includes(KEY.slice(40)))
  })
})

describe('the same mistake, the same error, from every entry point', () => {
  const bad = ['abc', ' 1400000000', 0, -1, 1.5, null] as unknown[]
  for (const sdkAppId of bad) {
    test(`sdkAppId ${JSON.stringify(sdkAppId)}`, () => {
      const is = (e: unknown) => e instanceof UserSigError && e.code === 'INVALID_SDKAPPID'
      assert.throws(() => createSigner({ sdkAppId: sdkAppId as never, secretKey: KEY }), is)
      assert.throws(() => verifyUserSig(good, { sdkAppId: sdkAppId as never, userId: 'alice', secretKey: KEY }), is)
      assert.throws(() => createVerifier({ sdkAppId: sdkAppId as never, secretKey: KEY }), is)
      assert.throws(() => createVerifier({ secretKey: KEY }).verify(good, { userId: 'alice', sdkAppId: sdkAppId as never }), is)
      if (typeof sdkAppId !== 'string') assert.throws(() => explainUserSig(good, { sdkAppId: sdkAppId as never }), is)
    })
  }
  test('a PEM string where a key object is needed: INVALID_PUBLIC_KEY with a hint to legacyPublicKey', () => {
    for (const run of [
      () => verifyUserSig(good, { sdkAppId: 1400000000, userId: 'alice', publicKey: pair.publicKeyPem as never }),
      () => createVerifier({ publicKey: pair.publicKeyPem as never }),
      () => explainUserSig(good, { publicKey: pair.publicKeyPem as never }),
    ]) {
      assert.throws(run, (e: unknown) => e instanceof UserSigError && e.code === 'INVALID_PUBLIC_KEY' && /legacyPublicKey/.test(e.hint ?? ''))
    }
  })
})

describe('createVerifier', () => {
  test('holds its keys: same verdicts as verifyUserSig, names the key, takes sdkAppId at creation or per call', () => {
    const v = createVerifier({ sdkAppId: 1400000000, secretKeys: [{ id: 'old', secretKey: 'f'.repeat(64) }, { id: 'prod', secretKey: KEY }] })
    assert.deepEqual(v.keyIds, ['old', 'prod'])
    const r = v.verify(good, { userId: 'alice', now })
    assert.equal(r.ok && r.keyId, 'prod')
    assert.deepEqual(v.verify(good, { userId: 'bob', now }), verifyUserSig(good, { sdkAppId: 1400000000, userId: 'bob', now, secretKeys: [{ id: 'old', secretKey: 'f'.repeat(64) }, { id: 'prod', secretKey: KEY }] }))
    const free = createVerifier({ secretKey: KEY, clockTolerance: 10 })
    assert.equal(free.verify(good, { userId: 'alice', sdkAppId: '1400000000', now: now + 7 * 86400 + 10 }).ok, true)
    assert.throws(() => free.verify(good, { userId: 'alice' }), (e: unknown) => e instanceof UserSigError && e.code === 'INVALID_SDKAPPID')
  })
  test('verifies legacy tokens with a key object', () => {
    const s = createLegacySigner({ sdkAppId: 1400000000, privateKey: pair.privateKeyPem })
    const v = createVerifier({ sdkAppId: 1400000000, publicKey: legacyPublicKey(pair.publicKeyPem) })
    const r = v.verify(s.userSig('alice', { now }), { userId: 'alice', now })
    assert.equal(r.ok && r.keyId, s.keyId)
    const wrong = v.verify(good, { userId: 'alice', now })
    assert.equal(!wrong.ok && wrong.reason, 'SIGNATURE_INVALID')
  })
})
