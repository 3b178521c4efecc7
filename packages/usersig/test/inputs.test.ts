/** Every input check of docs/spec/verify.md §1: the error code, and that no message contains the key. */
import test, { describe } from 'node:test'
import assert from 'node:assert/strict'
import { createSigner, UserSigError, parseExpiresIn, parsePrivileges, privilegeNames, normalizeSdkAppId, checkUserId, verifyUserSig, keyFingerprint, generateSecretKey } from '../src/index.js'
import { Api } from '../src/compat.js'

const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
const messages: string[] = []

function throwsCode(f: () => unknown, code: string) {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof UserSigError, `expected UserSigError, got ${String(e)}`)
    assert.equal(e.code, code, e.message)
    messages.push(e.message, e.hint ?? '')
    return true
  })
}

const signer = createSigner({ sdkAppId: 1400000000, secretKey: KEY })
const now = 1700000000

describe('sdkAppId', () => {
  test('integers and digit strings are accepted and normalised', () => {
    assert.equal(normalizeSdkAppId(1400000000), 1400000000)
    assert.equal(normalizeSdkAppId('1400000000'), 1400000000)
    assert.equal(createSigner({ sdkAppId: '4294967295', secretKey: KEY }).sdkAppId, 4294967295)
  })
  for (const bad of [undefined, null, 0, -1, 1.5, 4294967296, NaN, ' 1400000000', '1400000000\n', '', '14e8', '0x10', {}, true]) {
    test(`rejects ${JSON.stringify(bad) ?? String(bad)}`, () => throwsCode(() => createSigner({ sdkAppId: bad as any, secretKey: KEY }), 'INVALID_SDKAPPID'))
  }
})

describe('secretKey', () => {
  for (const [name, bad] of [['empty', ''], ['undefined', undefined], ['number', 123], ['trailing newline', KEY + '\n'], ['leading space', ' ' + KEY],
    ['PEM', '-----BEGIN EC PRIVATE KEY-----\nMHQCAQEEIPyF7Ts7K97zXutIpmQCh+ugIUY5wX44nJL63q3BF14UoAcGBSuBBAAK\n-----END EC PRIVATE KEY-----\n']] as const) {
    test(`rejects ${name}`, () => {
      throwsCode(() => createSigner({ sdkAppId: 1400000000, secretKey: bad as any }), 'INVALID_SECRET_KEY')
      throwsCode(() => new Api(1400000000, bad as any), 'INVALID_SECRET_KEY')
    })
  }
  test('the PEM hint points to the legacy signer', () => {
    try { createSigner({ sdkAppId: 1, secretKey: '-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----' }) } catch (e) {
      assert.match((e as UserSigError).hint!, /legacy/)
    }
  })
})

describe('userId', () => {
  test('policies', () => {
    checkUserId('a b!~', 'im')
    checkUserId('x'.repeat(32), 'im')
    checkUserId('user_01-A', 'strict')
    checkUserId('中文用户', 'any')
    throwsCode(() => checkUserId('a b', 'strict'), 'INVALID_USERID')
    throwsCode(() => checkUserId('中文', 'im'), 'INVALID_USERID')
    throwsCode(() => checkUserId('x'.repeat(33), 'im'), 'INVALID_USERID')
    throwsCode(() => checkUserId('x'.repeat(33), 'strict'), 'INVALID_USERID')
    throwsCode(() => checkUserId('é'.repeat(513), 'any'), 'INVALID_USERID')
    throwsCode(() => checkUserId('\ud800', 'any'), 'INVALID_USERID')
  })
  for (const bad of ['', 'tab\t', 'nl\n', '😀', 'x'.repeat(33), undefined, 42, null]) {
    test(`signer rejects ${JSON.stringify(bad) ?? String(bad)}`, () => throwsCode(() => signer.userSig(bad as any, { now }), 'INVALID_USERID'))
  }
  test('compat rejects an empty UserID (the official package signs it)', () => throwsCode(() => new Api(1400000000, KEY).genUserSig('', 86400), 'INVALID_USERID'))
})

describe('expiresIn', () => {
  test('durations', () => {
    assert.equal(parseExpiresIn(90), 90)
    assert.equal(parseExpiresIn('90s'), 90)
    assert.equal(parseExpiresIn('30m'), 1800)
    assert.equal(parseExpiresIn('12h'), 43200)
    assert.equal(parseExpiresIn('7d'), 604800)
    assert.equal(parseExpiresIn('180'), 180)
  })
  for (const bad of [0, -1, 1.5, '', '7 days', '1y', 'abc', null, NaN, Date.now(), 1700000000000, 50 * 365 * 86400 + 1, '99999999999d']) {
    test(`rejects ${JSON.stringify(bad)}`, () => throwsCode(() => signer.userSig('alice', { expiresIn: bad as any, now }), 'INVALID_EXPIRES_IN'))
  }
  test('milliseconds get a hint', () => {
    try { parseExpiresIn(Date.now()) } catch (e) { assert.match((e as UserSigError).hint!, /milliseconds/) }
  })
  test('compat rejects fractional, undefined, non-digit text and millisecond expire (a digit string is accepted, as the official package does)', () => {
    const api = new Api(1400000000, KEY)
    throwsCode(() => api.genUserSig('alice', 86400.5), 'INVALID_EXPIRES_IN')
    throwsCode(() => api.genUserSig('alice', undefined as any), 'INVALID_EXPIRES_IN')
    throwsCode(() => api.genUserSig('alice', '86400.0'), 'INVALID_EXPIRES_IN')
    throwsCode(() => api.genUserSig('alice', ' 86400'), 'INVALID_EXPIRES_IN')
    throwsCode(() => api.genUserSig('alice', Date.now()), 'INVALID_EXPIRES_IN')
    assert.equal(typeof api.genUserSig('alice', '86400'), 'string')
  })
  test('now', () => {
    throwsCode(() => signer.userSig('alice', { now: Date.now() }), 'INVALID_NOW')
    throwsCode(() => signer.userSig('alice', { now: new Date(NaN) }), 'INVALID_NOW')
    throwsCode(() => signer.userSig('alice', { now: -5 }), 'INVALID_NOW')
    assert.equal(typeof signer.userSig('alice', { now: new Date('2024-01-01T00:00:00Z') }), 'string')
  })
})

describe('PrivateMapKey room and privileges', () => {
  const pmk = (o: any) => signer.privateMapKey('alice', { privileges: 255, now, ...o })
  test('room ids', () => {
    assert.equal(typeof pmk({ roomId: 1 }), 'string')
    assert.equal(typeof pmk({ roomId: 4294967294 }), 'string')
    assert.equal(typeof pmk({ strRoomId: 'a'.repeat(64) }), 'string')
    assert.equal(typeof pmk({ strRoomId: 'Room 1!#$%&()+-:;<=.>?@[]^_{}|~,' }), 'string')
  })
  for (const [name, o, code] of [
    ['room 0', { roomId: 0 }, 'INVALID_ROOM_ID'], ['room 4294967295', { roomId: 4294967295 }, 'INVALID_ROOM_ID'],
    ['fractional room', { roomId: 1.5 }, 'INVALID_ROOM_ID'], ['string roomId', { roomId: '123' }, 'INVALID_ROOM_ID'],
    ['both', { roomId: 1, strRoomId: 'a' }, 'INVALID_ROOM_ID'], ['neither', {}, 'INVALID_ROOM_ID'],
    ['empty strRoomId', { strRoomId: '' }, 'INVALID_STR_ROOM_ID'], ['65-char strRoomId', { strRoomId: 'a'.repeat(65) }, 'INVALID_STR_ROOM_ID'],
    ['strRoomId with slash', { strRoomId: 'a/b' }, 'INVALID_STR_ROOM_ID'], ['CJK strRoomId', { strRoomId: '房间' }, 'INVALID_STR_ROOM_ID'],
    ['privileges 256', { roomId: 1, privileges: 256 }, 'INVALID_PRIVILEGES'], ['privileges -1', { roomId: 1, privileges: -1 }, 'INVALID_PRIVILEGES'],
    ['unknown name', { roomId: 1, privileges: ['enter', 'fly'] }, 'INVALID_PRIVILEGES'], ['missing privileges', { roomId: 1, privileges: undefined }, 'INVALID_PRIVILEGES'],
  ] as const) {
    test(`rejects ${name}`, () => throwsCode(() => pmk(o), code))
  }
  test('names, presets and lists', () => {
    assert.equal(parsePrivileges(['enter', 'recvAudio']), 10)
    assert.equal(parsePrivileges('enter,recvAudio,recvVideo'), 42)
    assert.equal(parsePrivileges('audience'), 42)
    assert.equal(parsePrivileges('anchor'), 255)
    assert.equal(parsePrivileges('255'), 255)
    assert.deepEqual(privilegeNames(42), ['enter', 'recvAudio', 'recvVideo'])
    assert.deepEqual(privilegeNames(128), ['recvSubVideo'])
  })
  test('userbuf must be bytes', () => throwsCode(() => signer.userSigWithUserBuf('alice', 'abc' as any, { now }), 'INVALID_USERBUF'))
})

describe('verifyUserSig: a bad input is the UserSigError the signers give; a token problem never throws', () => {
  const tok = signer.userSig('alice', { now })
  test('no key: INVALID_SECRET_KEY, as a signer without a key', () => assert.throws(() => verifyUserSig(tok, { sdkAppId: 1400000000, userId: 'alice' } as any), (e: unknown) => e instanceof UserSigError && e.code === 'INVALID_SECRET_KEY' && e.message === 'secretKey must be a string, got undefined'))
  test('sdkAppId not a number: the same UserSigError as createSigner', () => assert.throws(() => verifyUserSig(tok, { sdkAppId: 'abc', userId: 'alice', secretKey: KEY } as any), (e: unknown) => e instanceof UserSigError && e.code === 'INVALID_SDKAPPID'))
  test('userId missing: INVALID_USERID, as a signer without a userId', () => assert.throws(() => verifyUserSig(tok, { sdkAppId: 1400000000, secretKey: KEY } as any), (e: unknown) => e instanceof UserSigError && e.code === 'INVALID_USERID' && e.message === 'userId must be a string, got undefined'))
  test('a token problem never throws', () => {
    for (const t of ['', 'garbage', null, undefined, 42, 'eJ' + 'A'.repeat(10)]) {
      const r = verifyUserSig(t as any, { sdkAppId: 1400000000, userId: 'alice', secretKey: KEY })
      assert.equal(r.ok, false)
      assert.equal(!r.ok && r.reason, 'MALFORMED')
    }
  })
})

describe('keys', () => {
  test('generateSecretKey is 64 lowercase hex and random', () => {
    const a = generateSecretKey(), b = generateSecretKey()
    assert.match(a, /^[0-9a-f]{64}$/)
    assert.notEqual(a, b)
  })
  test('keyFingerprint is 8 hex chars of SHA-256 of the key', async () => {
    const { createHash } = await import('node:crypto')
    assert.equal(keyFingerprint(KEY), createHash('sha256').update(KEY).digest('hex').slice(0, 8))
  })
})

test('no error message or hint contains the key', () => {
  assert.ok(messages.length > 50)
  for (const m of messages) {
    assert.ok(!m.includes(KEY), m)
    assert.ok(!m.includes(KEY.slice(0, 16)), m)
  }
})
