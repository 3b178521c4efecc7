/** Issue 15 §1: explain names the signer mistake that reproduces a bad signature, and never shows a key or a MAC. */
import test, { describe } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { createSigner, explainUserSig, UserSigError } from '../src/index.js'
import { MAX_SECRET_KEY_LENGTH } from '../src/secret.js'
import { APP, CASES, EXPIRE, KEY, OTHER_KEY, T } from './_forensic-cases.ts'

/** Every string a key or a derived MAC could show up as. */
function secrets(key: string): string[] {
  const out = [key, key.trim(), key.toUpperCase(), Buffer.from(key).toString('base64')]
  const mac = createHmac('sha256', key).update('x').digest('base64')
  return out.filter((s) => s.length >= 8).concat(mac)
}

describe('signer forensics', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const r = explainUserSig(c.token, { sdkAppId: APP, secretKey: c.givenKey ?? KEY, now: T + 60, ...(c.userId ? { userId: c.userId } : {}), ...(c.other ? { otherKeys: [c.other] } : {}) })
      assert.equal(r.verdict, 'invalid')
      assert.equal(r.tencentCode, c.userId ? 70013 : 70009, 'a UserID mismatch is reported first, as Tencent does')
      const f = r.findings.find((x) => x.code === c.code)
      assert.ok(f, `${c.code} in ${r.findings.map((x) => x.code).join(', ')}`)
      assert.match(f.message, c.says)
      assert.ok(f.fix.length > 10)
      assert.ok(!r.findings.some((x) => x.code === 'SIGNATURE_INVALID'), 'the diagnosis replaces the bare mismatch')
      const out = JSON.stringify(r)
      for (const s of secrets(c.givenKey ?? KEY).concat(c.other ? [c.other.secretKey] : [])) assert.ok(!out.includes(s), 'no key in the output')
    })
  }
  test('no candidate matches: "signed with a key you have not given"', () => {
    const t = createSigner({ sdkAppId: APP, secretKey: OTHER_KEY }).userSig('alice', { now: T, expiresIn: EXPIRE })
    const r = explainUserSig(t, { secretKey: KEY, now: T + 60, otherKeys: [{ id: 'dev', secretKey: 'a'.repeat(64) }] })
    assert.equal(r.tencentCode, 70009)
    const f = r.findings.find((x) => x.code === 'SIGNATURE_INVALID')
    assert.match(f!.message, /signed with a key you have not given/)
    assert.ok(!JSON.stringify(r).includes(KEY) && !JSON.stringify(r).includes('a'.repeat(64)))
  })
  test('other keys never make a token valid', () => {
    const t = createSigner({ sdkAppId: APP, secretKey: OTHER_KEY }).userSig('alice', { now: T, expiresIn: EXPIRE })
    const r = explainUserSig(t, { otherKeys: [{ id: 'staging', secretKey: OTHER_KEY }], now: T + 60 })
    assert.equal(r.verdict, 'unknown', 'without a given key the signature is not checked')
  })
  test('bounded: many keys are capped, a long key is hashed once per variant; a longer one is refused', () => {
    const t = createSigner({ sdkAppId: APP, secretKey: OTHER_KEY }).userSig('alice', { now: T, expiresIn: EXPIRE })
    assert.throws(() => explainUserSig(t, { secretKey: 'x'.repeat(MAX_SECRET_KEY_LENGTH + 1) }), (e: unknown) => e instanceof UserSigError && e.code === 'INVALID_SECRET_KEY')
    const many = Array.from({ length: 1000 }, (_, i) => ({ id: 'k' + i, secretKey: 'x'.repeat(MAX_SECRET_KEY_LENGTH - 4) + i }))
    const r = explainUserSig(t, { secretKeys: many.slice(0, 3), otherKeys: many, now: T + 60 })
    assert.equal(r.tencentCode, 70009)
  })
  test('long hex- and base64-shaped keys (the decoding variants) are tried once each and name nothing', () => {
    const t = createSigner({ sdkAppId: APP, secretKey: OTHER_KEY }).userSig('alice', { now: T, expiresIn: EXPIRE })
    const n = MAX_SECRET_KEY_LENGTH
    for (const key of ['a'.repeat(n - 1), 'ab'.repeat(n / 2), 'QUJD'.repeat(n / 4), 'f'.repeat(63)]) {
      const r = explainUserSig(t, { secretKey: key, now: T + 60 })
      assert.equal(r.tencentCode, 70009)
      assert.ok(r.findings.some((x) => x.code === 'SIGNATURE_INVALID'))
    }
  })
})
