/** Property tests: round trips, tampering, decode robustness, the decompression cap. */
import test, { describe } from 'node:test'
import assert from 'node:assert/strict'
import { deflateSync } from 'node:zlib'
import fc from 'fast-check'
import { createSigner, decodeUserSig, verifyUserSig, UserSigError } from '../src/index.js'
import { tencentBase64Encode } from '../src/_base64.js'
import { zlibCompress } from '../src/_deflate.js'

const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
const id = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 32 })
const app = fc.integer({ min: 1, max: 4294967295 })
const t0 = fc.integer({ min: 1_000_000_000, max: 2_000_000_000 })
const ttl = fc.integer({ min: 1, max: 10 * 365 * 86400 })

function token(json: string): string {
  return tencentBase64Encode(zlibCompress(new TextEncoder().encode(json)))
}

describe('round trips', () => {
  test('userSig → verify ok at issue time and at expiry, EXPIRED one second later', () => {
    fc.assert(fc.property(app, id, t0, ttl, (a, u, t, e) => {
      const s = createSigner({ sdkAppId: a, secretKey: KEY })
      const tok = s.userSig(u, { expiresIn: e, now: t })
      const base = { sdkAppId: a, userId: u, secretKey: KEY }
      assert.equal(verifyUserSig(tok, { ...base, now: t }).ok, true)
      assert.equal(verifyUserSig(tok, { ...base, now: t + e }).ok, true)
      const late = verifyUserSig(tok, { ...base, now: t + e + 1 })
      assert.equal(late.ok, false)
      assert.equal(!late.ok && late.reason, 'EXPIRED')
      assert.equal(verifyUserSig(tok, { ...base, now: t + e + 1, clockTolerance: 1 }).ok, true)
    }), { numRuns: 300 })
  })

  test('privateMapKey → decode gives room, privileges and inner expiry; verify ok with the userbuf', () => {
    fc.assert(fc.property(app, id, t0, fc.integer({ min: 1, max: 86400 }), fc.oneof(fc.integer({ min: 1, max: 4294967294 }).map((r) => ({ roomId: r })),
      fc.stringMatching(/^[A-Za-z0-9 _-]{1,64}$/).map((s) => ({ strRoomId: s }))), fc.integer({ min: 0, max: 255 }), (a, u, t, e, room, p) => {
      const s = createSigner({ sdkAppId: a, secretKey: KEY })
      const tok = s.privateMapKey(u, { ...room, privileges: p, expiresIn: e, now: t })
      const d = decodeUserSig(tok)
      const pmk = d.privateMapKey!
      assert.equal(pmk.account, u)
      assert.equal(pmk.sdkAppId, a)
      assert.equal(pmk.privileges, p)
      assert.equal(pmk.expiresAt, (t + e) >>> 0)
      if ('roomId' in room) { assert.equal(pmk.roomId, room.roomId); assert.equal(pmk.version, 0) }
      else { assert.equal(pmk.strRoomId, room.strRoomId); assert.equal(pmk.version, 1) }
      assert.equal(verifyUserSig(tok, { sdkAppId: a, userId: u, secretKey: KEY, now: t, userBuf: d.userBuf! }).ok, true)
    }), { numRuns: 200 })
  })

  test('several candidate keys: the matching key is named', () => {
    const s = createSigner({ sdkAppId: 1400000000, secretKey: KEY })
    const tok = s.userSig('alice', { now: 1700000000 })
    const r = verifyUserSig(tok, { sdkAppId: 1400000000, userId: 'alice', now: 1700000000, secretKeys: [{ id: 'staging', secretKey: 'x'.repeat(64) }, { id: 'prod', secretKey: KEY }] })
    assert.equal(r.ok && r.keyId, 'prod')
    const r2 = verifyUserSig(tok, { sdkAppId: 1400000000, userId: 'alice', now: 1700000000, secretKeys: [{ secretKey: KEY }] })
    assert.equal(r2.ok && r2.keyId, s.keyId)
  })
})

describe('tampering fails with the right reason', () => {
  const s = createSigner({ sdkAppId: 1400000000, secretKey: KEY })
  const now = 1700000000
  const base = { sdkAppId: 1400000000, userId: 'alice', secretKey: KEY, now }
  const good = s.userSig('alice', { expiresIn: 86400, now })

  test('any changed character of the token fails (never ok)', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-_'
    fc.assert(fc.property(fc.nat(good.length - 1), fc.constantFrom(...alphabet), (pos, ch) => {
      fc.pre(good[pos] !== ch)
      const bad = good.slice(0, pos) + ch + good.slice(pos + 1)
      const r = verifyUserSig(bad, base)
      // Flipping the last padding character to a data character can leave the bytes intact: then it is the same token.
      if (r.ok) assert.deepEqual(decodeUserSig(bad).fields, decodeUserSig(good).fields)
      else assert.ok(['MALFORMED', 'SIGNATURE_INVALID', 'IDENTIFIER_MISMATCH', 'SDKAPPID_MISMATCH', 'EXPIRED'].includes(r.reason))
    }), { numRuns: 500 })
  })

  test('a changed field value fails with the reason of that field', () => {
    const d = decodeUserSig(good).fields as Record<string, unknown>
    const mutate = (k: string, v: unknown) => token(JSON.stringify({ ...d, [k]: v }))
    const reason = (tok: string, o: Partial<typeof base> = {}) => { const r = verifyUserSig(tok, { ...base, ...o }); return r.ok ? 'OK' : r.reason }
    assert.equal(reason(mutate('TLS.identifier', 'bob'), { userId: 'bob' }), 'SIGNATURE_INVALID')
    assert.equal(reason(mutate('TLS.identifier', 'bob')), 'IDENTIFIER_MISMATCH')
    assert.equal(reason(mutate('TLS.sdkappid', 1400000001)), 'SDKAPPID_MISMATCH')
    assert.equal(reason(mutate('TLS.sdkappid', 1400000001), { sdkAppId: 1400000001 }), 'SIGNATURE_INVALID')
    assert.equal(reason(mutate('TLS.expire', 86401)), 'SIGNATURE_INVALID')
    assert.equal(reason(mutate('TLS.time', now + 1)), 'SIGNATURE_INVALID')
    assert.equal(reason(mutate('TLS.time', now - 86401)), 'EXPIRED')
    assert.equal(reason(mutate('TLS.userbuf', 'AAAA')), 'SIGNATURE_INVALID')
    assert.equal(reason(mutate('TLS.sig', 'A'.repeat(43) + '=')), 'SIGNATURE_INVALID')
    assert.equal(reason(mutate('TLS.sdkappid', '1400000000')), 'MALFORMED')
    assert.equal(reason(mutate('TLS.time', 1700000000.5)), 'MALFORMED')
    assert.equal(reason(mutate('TLS.sig', 'not base64!')), 'MALFORMED')
    assert.equal(reason(mutate('TLS.ver', '3.0')), 'MALFORMED')
  })

  test('all failed checks are listed, the first in Tencent order is the reason', () => {
    const r = verifyUserSig(good, { sdkAppId: 1, userId: 'bob', secretKey: 'other', now: now + 86401 })
    assert.equal(r.ok, false)
    if (!r.ok) {
      assert.deepEqual(r.failures.map((f) => f.reason), ['IDENTIFIER_MISMATCH', 'SDKAPPID_MISMATCH', 'EXPIRED', 'SIGNATURE_INVALID'])
      assert.equal(r.reason, 'IDENTIFIER_MISMATCH')
      assert.equal(r.tencentCode, 70013)
    }
  })

  test('duplicate keys are rejected even when both values agree', () => {
    const json = JSON.stringify(decodeUserSig(good).fields).replace('{', '{"TLS.identifier":"alice",')
    const r = verifyUserSig(token(json), base)
    assert.equal(!r.ok && r.reason, 'MALFORMED')
    assert.equal(!r.ok && r.stage, 'json')
  })

  test('key names are case-sensitive', () => {
    const json = JSON.stringify(decodeUserSig(good).fields).replace('TLS.identifier', 'tls.identifier')
    const r = verifyUserSig(token(json), base)
    assert.equal(!r.ok && r.reason, 'MALFORMED')
    assert.equal(!r.ok && r.stage, 'fields')
  })

  test('bytes after the zlib stream are ignored with a warning; missing padding tolerated with a warning', () => {
    const raw = Buffer.from(good.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '='), 'base64')
    const withTrailer = tencentBase64Encode(new Uint8Array([...raw, 1, 2, 3]))
    const r = verifyUserSig(withTrailer, base)
    assert.equal(r.ok, true)
    assert.ok(r.warnings.some((w) => w.code === 'TRAILING_BYTES'))
    const unpadded = good.replace(/_+$/, '')
    if (unpadded !== good) {
      const r2 = verifyUserSig(unpadded, base)
      assert.equal(r2.ok, true)
      assert.ok(r2.warnings.some((w) => w.code === 'MISSING_PADDING'))
    }
  })
})

describe('decode robustness', () => {
  test('random strings only ever throw UserSigError', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom(...'eJABCxyz*-_+/=0129 \n'.split('')) }), fc.uint8Array().map((b) => tencentBase64Encode(b)),
      fc.uint8Array({ maxLength: 200 }).map((b) => tencentBase64Encode(zlibCompress(b)))), (s) => {
      try { decodeUserSig(s) } catch (e) {
        assert.ok(e instanceof UserSigError, `threw ${String(e)}`)
        assert.equal(e.code, 'MALFORMED')
        assert.ok(e.stage)
      }
      const r = verifyUserSig(s, { sdkAppId: 1, userId: 'a', secretKey: KEY, now: 1 })
      assert.equal(typeof r.ok, 'boolean')
    }), { numRuns: 2000 })
  })

  test('random JSON objects only ever throw UserSigError', () => {
    fc.assert(fc.property(fc.json(), (j) => {
      try { decodeUserSig(token(j)) } catch (e) { assert.ok(e instanceof UserSigError) }
    }), { numRuns: 1000 })
  })

  test('a deflate bomb (100 MB of zeros) is rejected at the cap without allocating past it', () => {
    const bomb = deflateSync(Buffer.alloc(100 * 1024 * 1024), { level: 9 })
    const tok = tencentBase64Encode(bomb)
    const before = process.memoryUsage().arrayBuffers
    assert.throws(() => decodeUserSig(tok), (e: unknown) => e instanceof UserSigError && e.code === 'MALFORMED' && e.stage === 'zlib')
    const r = verifyUserSig(tok, { sdkAppId: 1, userId: 'a', secretKey: KEY })
    assert.equal(!r.ok && r.stage, 'zlib')
    assert.ok(process.memoryUsage().arrayBuffers - before < 8 * 1024 * 1024, 'no large allocation')
    assert.throws(() => decodeUserSig(tok, { maxDecompressedBytes: 1024 }), (e: unknown) => e instanceof UserSigError && e.stage === 'zlib')
  })
})

test('signUserSig equals createSigner(...).userSig for the same inputs', async () => {
  const { signUserSig } = await import('../src/index.js')
  fc.assert(fc.property(app, id, t0, ttl, (a, u, t, e) => {
    assert.equal(signUserSig({ sdkAppId: a, secretKey: KEY, userId: u, expiresIn: e, now: t }), createSigner({ sdkAppId: a, secretKey: KEY }).userSig(u, { expiresIn: e, now: t }))
  }), { numRuns: 200 })
  assert.throws(() => signUserSig({ sdkAppId: 1, secretKey: KEY + ' ', userId: 'a' }), (e: unknown) => e instanceof UserSigError && e.code === 'INVALID_SECRET_KEY')
})

test('decoding never reads bytes left in the shared buffers by a previous, longer token', () => {
  const s = createSigner({ sdkAppId: 1400000000, secretKey: KEY })
  fc.assert(fc.property(id, fc.integer({ min: 1, max: 40 }), (u, cut) => {
    const long = s.userSig(u, { now: 1700000000 })
    const json = JSON.stringify(decodeUserSig(long).fields)
    // The same JSON cut short: on its own it is malformed, whatever the previous decode left behind.
    const short = token(json.slice(0, json.length - cut))
    decodeUserSig(long)
    assert.throws(() => decodeUserSig(short), (e: unknown) => e instanceof UserSigError && e.code === 'MALFORMED')
    const r = verifyUserSig(short, { sdkAppId: 1400000000, userId: u, secretKey: KEY, now: 1700000000 })
    assert.equal(r.ok, false)
  }), { numRuns: 300 })
})
