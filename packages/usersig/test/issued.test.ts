/** What `issueUserSig` and `issuePrivateMapKey` return: the token under its own name, and the facts beside it. */
import test from 'node:test'
import assert from 'node:assert/strict'
import { createSigner, decodeUserSig, verifyUserSig } from '../src/index.js'

const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
const signer = createSigner({ sdkAppId: 1400000000, secretKey: KEY })
const now = 1700000000

test('issuePrivateMapKey returns the token as privateMapKey, with userSig as a deprecated alias of the same value', () => {
  const r = signer.issuePrivateMapKey('alice', { roomId: 1234, privileges: 'audience', expiresIn: 600, now })
  assert.deepEqual(r, {
    sdkAppId: 1400000000,
    userId: 'alice',
    privateMapKey: r.privateMapKey,
    userSig: r.privateMapKey,
    issuedAt: now,
    expiresAt: now + 600,
    expiresIn: 600,
    privileges: 42,
    privilegeNames: ['enter', 'recvAudio', 'recvVideo'],
    roomId: 1234,
  })
  // The same token as the token-only path signs.
  assert.equal(r.privateMapKey, signer.privateMapKey('alice', { roomId: 1234, privileges: 'audience', expiresIn: 600, now }))
  assert.equal(decodeUserSig(r.privateMapKey).privateMapKey?.roomId, 1234)
  assert.equal(verifyUserSig(r.privateMapKey, { sdkAppId: 1400000000, userId: 'alice', secretKey: KEY, now }).ok, true)
})

test('issuePrivateMapKey names a string room strRoomId, and has no roomId then', () => {
  const r = signer.issuePrivateMapKey('alice', { strRoomId: 'team-a', privileges: 255, now })
  assert.equal(r.strRoomId, 'team-a')
  assert.equal('roomId' in r, false)
  assert.equal(r.expiresIn, 300)
  assert.equal(decodeUserSig(r.privateMapKey).privateMapKey?.strRoomId, 'team-a')
})

test('each call returns its own object (no result shared between calls)', () => {
  const a = signer.issuePrivateMapKey('alice', { roomId: 1, privileges: 1, now })
  const b = signer.issuePrivateMapKey('bob', { roomId: 2, privileges: 2, now })
  assert.notEqual(a, b)
  assert.equal(a.userId, 'alice')
  assert.equal(a.roomId, 1)
  assert.notEqual(a.privateMapKey, b.privateMapKey)
})

test('issueUserSig returns the token as userSig', () => {
  const r = signer.issueUserSig('alice', { expiresIn: 60, now })
  assert.deepEqual(r, { sdkAppId: 1400000000, userId: 'alice', userSig: signer.userSig('alice', { expiresIn: 60, now }), issuedAt: now, expiresAt: now + 60, expiresIn: 60 })
})
