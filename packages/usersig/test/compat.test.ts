/**
 * usersig/compat against the official `tls-sig-api-v2` (frozen clock): every input the official package turns into a
 * token that verifies is accepted and gives the same token values (a number as the UserID, `expire` as a digit string);
 * the inputs it refuses are exactly those where the official token does not verify, and its hint says so truthfully.
 */
import test from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { decodeUserSig, verifyUserSig, UserSigError } from '../src/index.js'
import { Api } from '../src/compat.js'
import { Official, frozen } from './_official.js'


const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
const APP = 1400000000
const T = 1700000000

function refused(f: () => unknown): UserSigError {
  try {
    f()
  } catch (e) {
    assert.ok(e instanceof UserSigError, String(e))
    return e
  }
  assert.fail('expected a UserSigError')
}

test('a number as the UserID: same token values as the official package, and it verifies as that UserID', () => {
  fc.assert(fc.property(fc.oneof(fc.integer(), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })), fc.integer({ min: 1, max: 86400 * 365 }), (id, exp) => {
    const theirs = frozen(T, () => new Official.Api(APP, KEY).genUserSig(id, exp))
    const ours = frozen(T, () => new Api(APP, KEY).genUserSig(id, exp))
    assert.deepEqual(decodeUserSig(ours).fields, decodeUserSig(theirs).fields)
    for (const tok of [theirs, ours]) assert.equal(verifyUserSig(tok, { sdkAppId: APP, userId: String(id), secretKey: KEY, now: T }).ok, true)
  }), { numRuns: 100 })
})

test('expire as a string of digits: same token values as the official package, and it verifies', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 4294967295 }), (exp) => {
    const text = String(exp)
    const theirs = frozen(T, () => new Official.Api(APP, KEY).genUserSig('alice', text))
    const ours = frozen(T, () => new Api(APP, KEY).genUserSig('alice', text))
    assert.deepEqual(decodeUserSig(ours).fields, decodeUserSig(theirs).fields)
    assert.equal(decodeUserSig(ours).expire, exp)
    for (const tok of [theirs, ours]) assert.equal(verifyUserSig(tok, { sdkAppId: APP, userId: 'alice', secretKey: KEY, now: T }).ok, true)
  }), { numRuns: 100 })
})

test('a digit-string expire in a PrivateMapKey: the expiry inside the userbuf is time + expire', () => {
  const ours = frozen(T, () => new Api(APP, KEY).genPrivateMapKey(12345, '300', 1234, 255))
  const d = decodeUserSig(ours)
  assert.equal(d.identifier, '12345')
  assert.equal(d.privateMapKey?.expiresAt, T + 300)
  assert.equal(verifyUserSig(ours, { sdkAppId: APP, userId: '12345', secretKey: KEY, now: T, userBuf: d.userBuf! }).ok, true)
})

test('expire text that is not plain digits: the official token never verifies, ours is refused with a true hint', () => {
  for (const text of [' 86400', '86400 ', '86400.0', '1e5', '0x10', '086400', '+86400', '']) {
    const theirs = frozen(T, () => new Official.Api(APP, KEY).genUserSig('alice', text))
    const v = verifyUserSig(theirs, { sdkAppId: APP, userId: 'alice', secretKey: KEY, now: T })
    assert.equal(v.ok, false, `official token with expire ${JSON.stringify(text)} verified`)
    const e = refused(() => new Api(APP, KEY).genUserSig('alice', text))
    assert.equal(e.code, 'INVALID_EXPIRES_IN')
    assert.match(e.hint ?? '', /never verifies/)
  }
})

test('a fractional or missing expire: the official token is rejected by the verifier, ours is refused without claiming more', () => {
  for (const exp of [86400.5, undefined, Number.NaN]) {
    const theirs = frozen(T, () => new Official.Api(APP, KEY).genUserSig('alice', exp))
    assert.equal(verifyUserSig(theirs, { sdkAppId: APP, userId: 'alice', secretKey: KEY, now: T }).ok, false)
    const e = refused(() => new Api(APP, KEY).genUserSig('alice', exp as any))
    assert.equal(e.code, 'INVALID_EXPIRES_IN')
    assert.match(e.hint ?? '', /whole seconds/)
  }
})

test('NaN or Infinity as the UserID is refused as a mistake', () => {
  for (const id of [Number.NaN, Infinity, -Infinity]) assert.equal(refused(() => new Api(APP, KEY).genUserSig(id, 86400)).code, 'INVALID_USERID')
})

test('a bigint UserID is signed as its decimal text, like the official package', () => {
  const theirs = frozen(T, () => new Official.Api(APP, KEY).genUserSig(10n ** 20n, 86400))
  const ours = frozen(T, () => new Api(APP, KEY).genUserSig(10n ** 20n, 86400))
  assert.deepEqual(decodeUserSig(ours).fields, decodeUserSig(theirs).fields)
})
