import test, { describe } from 'node:test'
import assert from 'node:assert/strict'
import { deflateSync, deflateRawSync } from 'node:zlib'
import { CODES, createSigner, explainUserSig, decodeUserSig, encodePrivateMapKeyUserBuf, verifyUserSig } from '../src/index.js'
import { assembleV2 } from '../src/sign.js'
import { HmacSha256Key } from '../src/_sha256.js'
import { tencentBase64Encode } from '../src/_base64.js'
import { zlibCompress } from '../src/_deflate.js'
import { loadVectors } from './_vectors.js'
import { legacyPublicKey } from '../src/legacy/index.js'

const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
const now = 1700000000
const signer = createSigner({ sdkAppId: 1400000000, secretKey: KEY })
const good = signer.userSig('alice', { expiresIn: '7d', now })
const pmk = signer.privateMapKey('alice', { roomId: 1234, privileges: 'audience', expiresIn: 300, now })
const codes = (x: ReturnType<typeof explainUserSig>) => x.findings.map((f) => f.code)
const all: ReturnType<typeof explainUserSig>[] = []
const ex = (t: string, o: Parameters<typeof explainUserSig>[1] = {}) => { const r = explainUserSig(t, o); all.push(r); return r }

describe('explainUserSig', () => {
  test('valid with full inputs', () => {
    const r = ex(good, { sdkAppId: 1400000000, userId: 'alice', secretKey: KEY, now })
    assert.equal(r.verdict, 'valid')
    assert.equal(r.tencentCode, undefined)
    assert.ok(codes(r).includes('SIGNED_BY'))
    assert.equal(r.keyId, signer.keyId)
    assert.equal(r.decoded?.identifier, 'alice')
  })
  test('no key: unknown, still judges expiry and identity', () => {
    assert.equal(ex(good, { now }).verdict, 'unknown')
    const r = ex(good, { userId: 'bob', sdkAppId: 1400000001, now: now + 8 * 86400 })
    assert.equal(r.verdict, 'invalid')
    assert.deepEqual(codes(r).slice(0, 3), ['IDENTIFIER_MISMATCH', 'SDKAPPID_MISMATCH', 'EXPIRED'])
    assert.equal(r.tencentCode, 70013)
  })
  test('expired → 70001; wrong key → 70009; several keys name the signer', () => {
    assert.equal(ex(good, { now: now + 8 * 86400 }).tencentCode, 70001)
    const w = ex(good, { secretKey: 'f'.repeat(64), now })
    assert.equal(w.tencentCode, 70009)
    assert.ok(codes(w).includes('SIGNATURE_INVALID'))
    const k = ex(good, { secretKeys: [{ id: 'staging', secretKey: 'f'.repeat(64) }, { id: 'prod', secretKey: KEY }], now })
    assert.equal(k.verdict, 'valid')
    assert.equal(k.keyId, 'prod')
  })
  test('a key with a trailing newline is called out', () => {
    const r = ex(good, { secretKey: KEY + '\n', now })
    assert.ok(codes(r).includes('KEY_WHITESPACE'))
  })
  test('a lifetime of 0 reads the pass: valid at issuedAt with a TTL_ZERO warning, as verify says; after it, EXPIRED and TTL_ZERO errors', () => {
    const zero = assembleV2(new HmacSha256Key(new TextEncoder().encode(KEY)), 'alice', 1400000000, now, 0, null)
    const o = { sdkAppId: 1400000000, userId: 'alice', secretKey: KEY }
    for (const [at, tolerance] of [[now, 0], [now + 5, 5]] as const) {
      assert.equal(verifyUserSig(zero, { ...o, now: at, clockTolerance: tolerance }).ok, true)
      const r = ex(zero, { ...o, now: at, clockTolerance: tolerance })
      assert.equal(r.verdict, 'valid')
      assert.equal(r.findings.find((x) => x.code === 'TTL_ZERO')?.severity, 'warning')
    }
    const v = verifyUserSig(zero, { ...o, now: now + 1 })
    assert.equal(!v.ok && v.reason, 'EXPIRED')
    const late = ex(zero, { ...o, now: now + 1 })
    assert.equal(late.verdict, 'invalid')
    assert.equal(late.tencentCode, 70001)
    assert.deepEqual(late.findings.filter((x) => x.severity === 'error').map((x) => x.code), ['EXPIRED', 'TTL_ZERO'])
  })
  test('identifier case difference is explained', () => {
    const r = ex(good, { userId: 'Alice', now })
    assert.match(r.findings[0]!.message, /case/)
  })
  test('not UserSigs: JWT, base64url, URL-encoded, JSON, empty, quoted', () => {
    assert.deepEqual(codes(ex('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl')), ['LOOKS_LIKE_JWT'])
    let url = ''
    for (let i = 0; !/[-_]/.test(url); i++) {
      url = deflateSync(Buffer.from(JSON.stringify(decodeUserSig(signer.userSig('u' + i, { now })).fields))).toString('base64url')
    }
    assert.equal(codes(ex(url))[0], 'RFC_BASE64URL')
    const enc = encodeURIComponent(good).replace(/\*/g, '%2A')
    const u = ex(enc, { userId: 'alice', now })
    assert.equal(codes(u)[0], 'URL_ENCODED')
    assert.equal(u.decoded?.identifier, 'alice')
    assert.equal(codes(ex('{"TLS.ver":"2.0"}'))[0], 'PLAIN_JSON')
    assert.equal(ex('').tencentCode, 70002)
    assert.equal(codes(ex(JSON.stringify(good)))[0], 'QUOTED')
  })
  test('a truncated UserSig suggests a short column', () => {
    const r = ex(good.slice(0, 100))
    assert.equal(codes(r)[0], 'TRUNCATED')
    assert.match(r.findings[0]!.message + r.findings[0]!.fix, /column/)
    assert.equal(r.tencentCode, 70003)
  })
  test('raw deflate and garbage are MALFORMED with a stage', () => {
    const r = ex(tencentBase64Encode(deflateRawSync(Buffer.from('{"a":1}'))))
    assert.equal(codes(r)[0], 'MALFORMED')
  })
  test('missing padding and trailing bytes are warnings', () => {
    const unpadded = good.replace(/_+$/, '')
    if (unpadded !== good) assert.ok(codes(ex(unpadded, { now })).includes('MISSING_PADDING'))
  })
  test('future issue time and TTL range', () => {
    assert.ok(codes(ex(good, { now: now - 3600 })).includes('FUTURE_ISSUE_TIME'))
    assert.ok(codes(ex(signer.userSig('alice', { expiresIn: 600, now }), { now })).includes('TTL_SHORT'))
    assert.ok(codes(ex(signer.userSig('alice', { expiresIn: 40 * 365 * 86400, now }), { now })).includes('TTL_LONG'))
  })
  test('PrivateMapKey checks: room, UserSig-vs-PMK, no enter, inner expiry, account', () => {
    assert.equal(ex(pmk, { roomId: 1234, userId: 'alice', secretKey: KEY, now }).verdict, 'valid')
    const wrongRoom = ex(pmk, { roomId: 999, now })
    assert.equal(codes(wrongRoom)[0], 'PMK_ROOM_MISMATCH')
    assert.equal(wrongRoom.tencentCode, -100006)
    const strVsNum = ex(signer.privateMapKey('alice', { strRoomId: '1234', privileges: 255, now }), { roomId: 1234, now })
    assert.match(strVsNum.findings[0]!.message, /STRING room/)
    assert.equal(codes(ex(good, { roomId: 1234, now }))[0], 'NOT_A_PRIVATE_MAP_KEY')
    assert.ok(codes(ex(pmk, { now })).includes('IS_PRIVATE_MAP_KEY'))
    assert.ok(codes(ex(signer.privateMapKey('alice', { roomId: 1, privileges: ['recvAudio'], now }), { now })).includes('PMK_NO_ENTER'))
    // Hand-made: inner expiry relative (old signers), account mismatch.
    const d = decodeUserSig(pmk)
    const ub = Buffer.from(d.userBuf!)
    ub.writeUInt32BE(300, 3 + 5 + 8)
    const f = { ...d.fields, 'TLS.userbuf': ub.toString('base64') }
    const crafted = tencentBase64Encode(zlibCompress(Buffer.from(JSON.stringify(f))))
    assert.ok(codes(ex(crafted, { now })).includes('PMK_INNER_EXPIRY_EARLY'))
    const ub2 = Buffer.from(d.userBuf!)
    ub2[3] = 'b'.charCodeAt(0)
    const crafted2 = tencentBase64Encode(zlibCompress(Buffer.from(JSON.stringify({ ...d.fields, 'TLS.userbuf': ub2.toString('base64') }))))
    assert.ok(codes(ex(crafted2, { now })).includes('PMK_ACCOUNT_MISMATCH'))
  })
  test('explain takes its checks from the one pass and the caller\'s options: length, PrivateMapKey expiry, decompression cap', () => {
    // The length check: the one pass's wording, stage and code, not a second one.
    const long = 'A'.repeat((1 << 20) + 1)
    const v = verifyUserSig(long, { sdkAppId: 1400000000, userId: 'alice', secretKey: KEY, now })
    assert.equal(!v.ok && v.stage, 'base64')
    const m = ex(long, { now }).findings[0]!
    assert.equal(m.code, 'MALFORMED')
    assert.ok(m.message.endsWith(`base64: ${!v.ok && v.message}`), m.message)
    assert.equal(m.tencentCode, !v.ok && v.tencentCode)
    // The PrivateMapKey's inner expiry is judged with the clock tolerance, as the token's own expiry is.
    const ub = encodePrivateMapKeyUserBuf({ userId: 'alice', sdkAppId: 1400000000, roomId: 1, expiresAt: now + 100, privileges: 255 })
    const early = signer.userSigWithUserBuf('alice', ub, { expiresIn: 300, now })
    assert.ok(codes(ex(early, { now: now + 105 })).includes('PMK_EXPIRED'))
    assert.ok(!codes(ex(early, { now: now + 105, clockTolerance: 10 })).includes('PMK_EXPIRED'))
    assert.ok(codes(ex(early, { now: now + 111, clockTolerance: 10 })).includes('PMK_EXPIRED'))
    // RFC base64url recognised with the caller's cap: a 100 KB stream is one under a 256 KiB cap, not under 64 bytes.
    let url = ''
    for (let i = 0; !/_[^_]/.test(url); i++) url = deflateSync(Buffer.from(JSON.stringify({ pad: 'x'.repeat(100_000), i }))).toString('base64url')
    const sure = (o: { maxDecompressedBytes?: number }) => ex(url, o).findings.find((x) => x.code === 'RFC_BASE64URL')!.message.includes('or so')
    assert.equal(sure({ maxDecompressedBytes: 1 << 18 }), false)
    assert.equal(sure({ maxDecompressedBytes: 64 }), true)
  })
  test('legacy v1 tokens are recognised; wrong algorithm explained', () => {
    const v1 = loadVectors<any[]>('v1-generated.json')[0]
    const r = ex(v1.usersig, { now: v1.inputs.time })
    assert.ok(codes(r).includes('LEGACY_V1'))
    assert.ok(codes(ex(v1.usersig, { secretKey: KEY, now: v1.inputs.time })).includes('WRONG_ALGORITHM'))
    const ok = ex(v1.usersig, { publicKey: legacyPublicKey(v1.inputs.public_key_pem), userId: v1.inputs.identifier, sdkAppId: v1.inputs.sdkappid, now: v1.inputs.time })
    assert.equal(ok.verdict, 'valid')
    assert.ok(codes(ex(good, { publicKey: legacyPublicKey(v1.inputs.public_key_pem), now })).includes('WRONG_ALGORITHM'))
  })
  test('every finding has a cause and a fix; the key and the whole token never appear', () => {
    assert.ok(all.length > 20)
    for (const r of all) {
      const s = JSON.stringify({ ...r, decoded: undefined })
      assert.ok(!s.includes(KEY))
      assert.ok(!s.includes(good) && !s.includes(pmk))
      assert.ok(r.tokenPrefix.length <= 11)
      for (const x of r.findings) {
        assert.ok(x.message.length > 0 && x.fix.length > 0, x.code)
        // The table's vocabulary: the code's message, then after a colon what is particular (Finding's doc).
        assert.ok(x.message === CODES[x.code].message || x.message.startsWith(CODES[x.code].message + ': '), `${x.code}: ${x.message}`)
      }
      assert.ok(r.summary.length > 0)
    }
  })
})
