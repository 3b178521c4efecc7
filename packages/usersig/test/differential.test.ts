/** Differential tests against the official `tls-sig-api-v2` npm package with a frozen clock (fast-check inputs). */
import test, { describe } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import fc from 'fast-check'
import { createSigner, decodeUserSig, verifyUserSig } from '../src/index.js'
import { Api } from '../src/compat.js'
import { Official, frozen } from './_official.js'


const printableId = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 32 })
const hexKey = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'))
const anyKey = fc.oneof(hexKey, fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 80 }).filter((s) => s.trim() === s && !s.includes('-----BEGIN')))
const sdkAppId = fc.integer({ min: 1, max: 4294967295 })
const expire = fc.integer({ min: 1, max: 50 * 365 * 86400 })
const now = fc.integer({ min: 1_500_000_000, max: 2_100_000_000 })

describe('official tls-sig-api-v2 vs usersig', () => {
  test('genUserSig: same decoded values and the same HMAC; our verifier accepts the official token', () => {
    fc.assert(fc.property(sdkAppId, anyKey, printableId, expire, now, (app, key, id, exp, t) => {
      const theirs = frozen(t, () => new Official.Api(app, key).genUserSig(id, exp))
      const ours = createSigner({ sdkAppId: app, secretKey: key }).userSig(id, { expiresIn: exp, now: t })
      const a = decodeUserSig(theirs)
      const b = decodeUserSig(ours)
      assert.deepEqual(
        { id: a.identifier, app: a.sdkAppId, t: a.time, e: a.expire, sig: a.signature, ub: a.userBuf },
        { id: b.identifier, app: b.sdkAppId, t: b.time, e: b.expire, sig: b.signature, ub: b.userBuf },
      )
      assert.deepEqual(a.fields, b.fields)
      const v = verifyUserSig(theirs, { sdkAppId: app, userId: id, secretKey: key, now: t })
      assert.equal(v.ok, true)
    }), { numRuns: 300 })
  })

  test('compat Api produces the same values as the official package', () => {
    fc.assert(fc.property(sdkAppId, hexKey, printableId, expire, now, (app, key, id, exp, t) => {
      const theirs = frozen(t, () => new Official.Api(app, key).genUserSig(id, exp))
      const ours = frozen(t, () => new Api(app, key).genUserSig(id, exp))
      assert.deepEqual(decodeUserSig(ours).fields, decodeUserSig(theirs).fields)
    }), { numRuns: 200 })
  })

  test('genPrivateMapKey (numeric and string rooms): same userbuf bytes and HMAC for ASCII inputs', () => {
    const room = fc.integer({ min: 1, max: 4294967294 })
    const strRoom = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/)
    const priv = fc.integer({ min: 0, max: 255 })
    fc.assert(fc.property(sdkAppId, hexKey, printableId, fc.integer({ min: 1, max: 86400 * 30 }), now, room, strRoom, priv, fc.boolean(),
      (app, key, id, exp, t, r, sr, p, useStr) => {
        const off = new Official.Api(app, key)
        const ours = new Api(app, key)
        const [theirs, mine] = frozen(t, () => useStr
          ? [off.genPrivateMapKeyWithStringRoomID(id, exp, sr, p), ours.genPrivateMapKeyWithStringRoomID(id, exp, sr, p)]
          : [off.genPrivateMapKey(id, exp, r, p), ours.genPrivateMapKey(id, exp, r, p)])
        const a = decodeUserSig(theirs)
        const b = decodeUserSig(mine)
        assert.deepEqual(b.userBuf, a.userBuf)
        assert.equal(b.signature, a.signature)
        assert.deepEqual(b.privateMapKey, a.privateMapKey)
        const v = verifyUserSig(theirs, { sdkAppId: app, userId: id, secretKey: key, now: t, userBuf: a.userBuf! })
        assert.equal(v.ok, true)
      }), { numRuns: 200 })
  })

  test('genSig with a raw userbuf: same values', () => {
    fc.assert(fc.property(sdkAppId, hexKey, printableId, expire, now, fc.uint8Array({ minLength: 1, maxLength: 100 }), (app, key, id, exp, t, ub) => {
      const theirs = frozen(t, () => new Official.Api(app, key).genSig(id, exp, Buffer.from(ub)))
      const ours = frozen(t, () => new Api(app, key).genSig(id, exp, ub))
      assert.deepEqual(decodeUserSig(ours).fields, decodeUserSig(theirs).fields)
    }), { numRuns: 150 })
  })
})

test('drop-in: CommonJS code can require usersig/compat the way it required tls-sig-api-v2', () => {
  const req = createRequire(import.meta.url)
  const mod = req('usersig/compat') as { Api: typeof Api; default: { Api: typeof Api } }
  for (const A of [mod.Api, mod.default.Api]) {
    const tok = frozen(1700000000, () => new A(1400000000, '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e').genUserSig('xiaojun', 15552000))
    assert.equal(decodeUserSig(tok).signature, 'LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=')
  }
})
