/** Issue 15 §3: keys that cannot be console keys and lifetimes in milliseconds are stopped at the tools. */
import test, { describe } from 'node:test'
import assert from 'node:assert/strict'
import { UserSigError, checkToolSecretKey, checkToolUserId, createSigner, explainUserSig, isConsoleSecretKey, parseExpiresIn, signUserSig } from '../src/index.js'

const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
const code = (f: () => unknown) => { try { f(); return 'ok' } catch (e) { return e instanceof UserSigError ? e.code : String(e) } }

describe('unusual keys', () => {
  test('the console shape is 64 lowercase hex', () => {
    assert.ok(isConsoleSecretKey(KEY))
    for (const k of ['…', KEY.toUpperCase(), KEY.slice(1), KEY + 'a', 'g'.repeat(64)]) assert.ok(!isConsoleSecretKey(k))
  })
  test('the tools refuse them unless allowUnusualKey; the message never quotes the key', () => {
    assert.equal(checkToolSecretKey(KEY), KEY)
    try { checkToolSecretKey('sekrit-value') ; assert.fail() } catch (e) {
      assert.ok(e instanceof UserSigError && e.code === 'INVALID_SECRET_KEY')
      assert.ok(!e.message.includes('sekrit') && !String(e.hint).includes('sekrit'))
      assert.match(String(e.hint), /allow-unusual-key/)
    }
    assert.equal(checkToolSecretKey('…', { allowUnusualKey: true }), '…')
  })
  test('the signing primitives keep accepting them (the official libraries do)', () => {
    assert.equal(code(() => createSigner({ sdkAppId: 1400000000, secretKey: '…' }).userSig('alice')), 'ok')
  })
  test('explain reports KEY_UNUSUAL, and the token stays valid', () => {
    const t = createSigner({ sdkAppId: 1400000000, secretKey: '…' }).userSig('alice')
    const r = explainUserSig(t, { secretKey: '…' })
    assert.equal(r.verdict, 'valid')
    assert.ok(r.findings.some((f) => f.code === 'KEY_UNUSUAL'))
  })
})

describe('lifetimes in milliseconds', () => {
  for (const ms of [86400000, 604800000, 3600000, 2592000000 / 10 * 10 === 2592000000 ? 2592000000 : 0].filter((x) => x > 0 && x <= 50 * 365 * 86400)) {
    test(`${ms} is refused with the hint`, () => {
      try { parseExpiresIn(ms); assert.fail() } catch (e) {
        assert.ok(e instanceof UserSigError && e.code === 'INVALID_EXPIRES_IN')
        assert.match(e.message, /milliseconds/)
        assert.match(String(e.hint), new RegExp(`pass ${ms / 1000}`))
      }
    })
  }
  test('createSigner, signUserSig and privateMapKey refuse it unless allowUnusualLifetime', () => {
    const s = createSigner({ sdkAppId: 1400000000, secretKey: KEY })
    assert.equal(code(() => s.userSig('alice', { expiresIn: 86400000 })), 'INVALID_EXPIRES_IN')
    assert.equal(code(() => s.privateMapKey('alice', { roomId: 1, privileges: 255, expiresIn: '604800000' })), 'INVALID_EXPIRES_IN')
    assert.equal(code(() => signUserSig({ sdkAppId: 1400000000, secretKey: KEY, userId: 'a', expiresIn: 86400000 })), 'INVALID_EXPIRES_IN')
    assert.equal(code(() => s.userSig('alice', { expiresIn: 86400000, allowUnusualLifetime: true })), 'ok')
    assert.equal(code(() => s.userSig('alice', { expiresIn: 86400001 })), 'ok')
  })
})

describe('UserIDs with surrounding whitespace', () => {
  const KEYED = { sdkAppId: 1400000000, secretKey: KEY }
  test('the tools refuse them unless allowUnusualUserId, naming where the whitespace is', () => {
    assert.equal(checkToolUserId('alice'), 'alice')
    assert.equal(checkToolUserId('a b'), 'a b', 'whitespace inside is not the tools\' concern')
    const cases: [string, RegExp][] = [[' alice', /leading/], ['alice\n', /trailing/], ['\talice ', /leading and trailing/], ['   ', /only whitespace/], ['\u00a0alice', /leading/], ['alice\u3000', /trailing/]]
    for (const [id, says] of cases) {
      try { checkToolUserId(id); assert.fail(JSON.stringify(id)) } catch (e) {
        assert.ok(e instanceof UserSigError && e.code === 'INVALID_USERID', JSON.stringify(id))
        assert.match(e.message, says)
        assert.equal(e.tencentCode, 70013)
        assert.match(String(e.hint), /--allow-unusual-user-id/)
      }
      assert.equal(checkToolUserId(id, { allowUnusualUserId: true }), id)
    }
    assert.equal(code(() => checkToolUserId(42)), 'INVALID_USERID')
  })
  test('the signing primitives keep accepting them (the official libraries do)', () => {
    assert.equal(code(() => createSigner(KEYED).userSig(' alice')), 'ok')
    assert.equal(code(() => createSigner({ ...KEYED, userIdPolicy: 'any' }).userSig('   ')), 'ok')
  })
  test('explain reports USERID_WHITESPACE; the token stays valid for that exact UserID', () => {
    const t = createSigner(KEYED).userSig('alice ')
    const r = explainUserSig(t, { ...KEYED, userId: 'alice ' })
    assert.equal(r.verdict, 'valid')
    const f = r.findings.find((x) => x.code === 'USERID_WHITESPACE')
    assert.ok(f, r.findings.map((x) => x.code).join())
    assert.equal(f.severity, 'warning')
    assert.match(f.message, /"alice " has trailing whitespace/)
    const trimmed = explainUserSig(t, { ...KEYED, userId: 'alice' })
    assert.equal(trimmed.tencentCode, 70013)
    assert.ok(!explainUserSig(createSigner(KEYED).userSig('alice')).findings.some((x) => x.code === 'USERID_WHITESPACE'))
  })
})
