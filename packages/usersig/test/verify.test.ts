/**
 * The one-shot verifyUserSig prepares its keys for the one call (the MAC compresses the padded key blocks when the
 * signature is checked, nothing is kept); createVerifier prepares them once. Both must give the same verdicts, as data:
 * deepEqual and the same JSON, for keys of every length class (one block, the padding boundary, a whole block, longer
 * than a block and hashed first, non-ASCII) and for keyrings where the matching key is not the first.
 */
import test from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import { createSigner, createVerifier, keyFingerprint, verifyUserSig, type VerifyResult } from '../src/index.js'
import { utf8Encode } from '../src/_utf8.js'
import { checkToken, prepareSecretKey, type PreparedSecretKey } from '../src/check.js'

const APP = 1400000000
const NOW = 1700000000

// Keys by UTF-8 length: short, the 55/56-byte padding boundary of the key id's hash, a whole 64-byte block (the console
// key's length), 65 bytes (hashed before use as an HMAC key), multi-byte characters.
const KEYS = ['k', 'a'.repeat(55), 'b'.repeat(56), '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e', 'c'.repeat(65), 'ключ-密钥-🔑'.repeat(7)]
const key = fc.oneof(fc.constantFrom(...KEYS), fc.string({ minLength: 1, maxLength: 140, unit: 'binary' }).filter((s) => s.trim() === s && !s.includes('-----BEGIN')))
const user = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 40 })

function same(a: VerifyResult, b: VerifyResult, what: string): void {
  assert.deepEqual(a, b, what)
  assert.equal(JSON.stringify(a), JSON.stringify(b), what)
}

test('one-shot and prepared verification agree for every key length, valid or not', () => {
  fc.assert(
    fc.property(key, key, user, user, fc.integer({ min: -3, max: 3 }), (signKey, otherKey, signedFor, presented, dt) => {
      const token = createSigner({ sdkAppId: APP, secretKey: signKey }).userSig(signedFor, { expiresIn: 600, now: NOW })
      const at = NOW + 600 + dt
      for (const secretKey of [signKey, otherKey]) {
        const once = verifyUserSig(token, { sdkAppId: APP, userId: presented, secretKey, now: at })
        same(once, createVerifier({ sdkAppId: APP, secretKey }).verify(token, { userId: presented, now: at }), 'one key')
        // Equal as HMAC keys (the same UTF-8 after zero padding), not merely as strings.
        const sameKey = createHmac('sha256', secretKey).update('x').digest('hex') === createHmac('sha256', signKey).update('x').digest('hex')
        const expectOk = sameKey && signedFor === presented && dt <= 0
        assert.equal(once.ok, expectOk)
        if (once.ok) assert.equal(once.keyId, keyFingerprint(secretKey))
        else assert.equal('keyId' in once, false)
      }
    }),
    { numRuns: 150 },
  )
})

test('keyrings: the result names the key that matched, by name or by fingerprint, the same both ways', () => {
  const token = createSigner({ sdkAppId: APP, secretKey: KEYS[3]! }).userSig('alice', { now: NOW })
  const rings = [
    [{ secretKey: KEYS[0]! }, { secretKey: KEYS[3]! }],
    [{ id: 'old', secretKey: KEYS[4]! }, { id: 'prod', secretKey: KEYS[3]! }, { secretKey: KEYS[5]! }],
    [{ id: 'first', secretKey: KEYS[3]! }, { secretKey: KEYS[3]! }],
    [{ secretKey: KEYS[1]! }, { secretKey: KEYS[2]! }],
  ]
  const want = [keyFingerprint(KEYS[3]!), 'prod', 'first', undefined]
  rings.forEach((secretKeys, i) => {
    const once = verifyUserSig(token, { sdkAppId: APP, userId: 'alice', secretKeys, now: NOW })
    same(once, createVerifier({ sdkAppId: APP, secretKeys }).verify(token, { userId: 'alice', now: NOW }), `ring ${i}`)
    assert.equal(once.ok ? once.keyId : undefined, want[i], `ring ${i}`)
  })
})

test('a one-shot verification leaves no state behind: verdicts do not depend on the calls before them', () => {
  const a = createSigner({ sdkAppId: APP, secretKey: KEYS[3]! }).userSig('alice', { now: NOW })
  const b = createSigner({ sdkAppId: APP, secretKey: KEYS[4]! }).userSig('alice', { now: NOW })
  const first = verifyUserSig(a, { sdkAppId: APP, userId: 'alice', secretKey: KEYS[3]!, now: NOW })
  assert.equal(first.ok, true)
  // Another key's MAC, a prepared key's MAC and a plain hash run in between; then the first key gives the same answer,
  // and the second token, under the first key, still fails.
  verifyUserSig(b, { sdkAppId: APP, userId: 'alice', secretKey: KEYS[4]!, now: NOW })
  createVerifier({ sdkAppId: APP, secretKey: KEYS[5]! }).verify(a, { userId: 'alice', now: NOW })
  keyFingerprint(KEYS[2]!)
  same(verifyUserSig(a, { sdkAppId: APP, userId: 'alice', secretKey: KEYS[3]!, now: NOW }), first, 'again')
  assert.equal(verifyUserSig(b, { sdkAppId: APP, userId: 'alice', secretKey: KEYS[3]!, now: NOW }).ok, false)
})

test('the MAC a one-shot verification checks is HMAC-SHA256 under the key as given (differential, node:crypto)', () => {
  // A token whose TLS.sig is computed here with node:crypto over the signed content (docs/spec/format.md §2.2).
  for (const secretKey of KEYS) {
    const content = `TLS.identifier:bob\nTLS.sdkappid:${APP}\nTLS.time:${NOW}\nTLS.expire:600\n`
    const sig = createHmac('sha256', secretKey).update(content).digest('base64')
    const token = createSigner({ sdkAppId: APP, secretKey }).userSig('bob', { expiresIn: 600, now: NOW })
    const r = verifyUserSig(token, { sdkAppId: APP, userId: 'bob', secretKey, now: NOW })
    assert.equal(r.ok, true, secretKey)
    assert.equal(r.payload?.fields['TLS.sig'], sig, secretKey)
  }
})

test('a key\'s bytes (utf8Encode) are its UTF-8, ASCII or not (lone surrogates as U+FFFD, as TextEncoder)', () => {
  for (const k of [...KEYS, '', 'abc\u0080', '\u007f', 'x\ud800y', 'é'.repeat(70)]) assert.deepEqual(utf8Encode(k), new Uint8Array(Buffer.from(k, 'utf8')), JSON.stringify(k))
  fc.assert(fc.property(fc.string({ maxLength: 100, unit: 'binary' }), (k) => {
    assert.deepEqual(utf8Encode(k), new TextEncoder().encode(k))
  }))
})

test('a keyring builds the signed content once per token, not once per key (no timing: the content object is counted)', () => {
  // Keys that record the content object each MAC is computed over: contentBytes returns a new view per call, so one
  // object for every key means one build.
  const tok = createSigner({ sdkAppId: APP, secretKey: KEYS[3]! }).userSig('alice', { now: NOW })
  for (const matchAt of [-1, 0, 499]) {
    const seen = new Set<Uint8Array>()
    const keys = Array.from({ length: 500 }, (_, i) => {
      const real = prepareSecretKey(i === matchAt ? KEYS[3]! : 'k' + i, 'k' + i)
      return { id: real.id, key: { macInto: (data: Uint8Array, out: Uint8Array, off: number) => { seen.add(data); real.key.macInto(data, out, off) } } as PreparedSecretKey['key'] }
    })
    const c = checkToken(tok, { sdkAppId: APP, userId: 'alice', secretKeys: keys, publicKey: undefined, now: NOW, clockTolerance: 0, userBuf: undefined, maxDecompressedBytes: 65536 })
    assert.equal(c.keyId, matchAt < 0 ? null : 'k' + matchAt)
    assert.equal(seen.size, 1, `${seen.size} content objects for ${matchAt < 0 ? 500 : matchAt + 1} keys tried`)
  }
})
