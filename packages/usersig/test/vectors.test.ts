import test, { describe } from 'node:test'
import assert from 'node:assert/strict'
import { createSigner, decodeUserSig, verifyUserSig, UserSigError, encodePrivateMapKeyUserBuf } from '../src/index.js'
import { assembleV2 } from '../src/sign.js'
import { Api } from '../src/compat.js'
import { HmacSha256Key } from '../src/_sha256.js'
import { utf8Encode } from '../src/_utf8.js'
import { loadVectors, hex, V2_VERIFY_EXPECTED, expectedForGenerated, type Expected } from './_vectors.js'

const generated = loadVectors<any[]>('v2-generated.json').filter((r) => !r.producer_error)
const verifyCases = loadVectors<any[]>('v2-verify.json')

function toHex(b: Uint8Array | null): string | null {
  return b === null ? null : Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
}

function assertVerdict(actual: ReturnType<typeof verifyUserSig>, expected: Expected, id: string) {
  if (expected.ok) {
    assert.equal(actual.ok, true, `${id}: expected ok, got ${actual.ok ? 'ok' : `${actual.reason} ${actual.message}`}`)
    for (const w of expected.warnings ?? []) assert.ok(actual.warnings.some((x) => x.code === w), `${id}: expected warning ${w}`)
  } else {
    assert.equal(actual.ok, false, `${id}: expected ${expected.reason}, got ok`)
    if (!actual.ok) {
      assert.equal(actual.reason, expected.reason, `${id}: ${actual.message}`)
      if (expected.stage) assert.equal(actual.stage, expected.stage, id)
    }
  }
}

describe('v2-generated.json (official producers)', () => {
  assert.ok(generated.length >= 140)
  for (const r of generated) {
    const expected = expectedForGenerated(r)
    test(`${r.id}: decode gives the recorded fields`, () => {
      const json = r.decoded.json
      if (!expected.ok && expected.reason === 'MALFORMED') {
        assert.throws(() => decodeUserSig(r.usersig), (e: unknown) => e instanceof UserSigError && e.code === 'MALFORMED' && e.stage === expected.stage)
        return
      }
      const d = decodeUserSig(r.usersig)
      assert.equal(d.version, 'v2')
      assert.equal(d.identifier, json['TLS.identifier'])
      assert.equal(d.sdkAppId, json['TLS.sdkappid'])
      assert.equal(d.time, json['TLS.time'])
      assert.equal(d.expire, json['TLS.expire'])
      assert.equal(d.expiresAt, json['TLS.time'] + json['TLS.expire'])
      assert.equal(d.signature, json['TLS.sig'])
      assert.equal(toHex(d.userBuf), 'TLS.userbuf' in json ? (r.decoded.userbuf_hex ?? '') : null)
      const layout = r.decoded.userbuf_layout
      if (r.kind.startsWith('genPrivateMapKey') && layout) {
        assert.ok(d.privateMapKey, 'PrivateMapKey userbuf parsed')
        assert.equal(d.privateMapKey!.sdkAppId, r.inputs.sdkappid >>> 0)
        assert.equal(d.privateMapKey!.privileges, r.inputs.privilege_map >>> 0)
        assert.equal(d.privateMapKey!.expiresAt, (r.inputs.time + r.inputs.expire) >>> 0)
        if (r.inputs.room_id !== undefined) assert.equal(d.privateMapKey!.roomId, r.inputs.room_id)
      }
    })
    test(`${r.id}: verify at now = time → ${expected.ok ? 'ok' : expected.reason}`, () => {
      const i = r.inputs
      const opts: Parameters<typeof verifyUserSig>[1] = { sdkAppId: i.sdkappid, userId: i.identifier, secretKey: i.key, now: i.time }
      const res = verifyUserSig(r.usersig, opts)
      assertVerdict(res, expected, r.id)
      if (res.ok) assert.match(res.keyId, /^[0-9a-f]{8}$/)
    })
    if (!('TLS.sig' in (r.decoded?.json ?? {})) || r.decoded['hmac_matches_TLS.sig'] === false || r.decoded.zlib_complete === false) continue
    test(`${r.id}: our token for the same inputs has the same values and TLS.sig`, () => {
      const i = r.inputs
      const expire = i.expire
      let userBuf: Uint8Array | null = null
      // cpp-v2 signs a userbuf only when it is non-empty: reproduce what the producer actually signed.
      if ('TLS.userbuf' in r.decoded.json) userBuf = hex(r.decoded.userbuf_hex ?? '')
      const token = assembleV2(new HmacSha256Key(utf8Encode(i.key)), i.identifier, i.sdkappid, i.time, expire, userBuf)
      const ours = decodeUserSig(token).fields
      const theirs = r.decoded.json
      for (const k of ['TLS.ver', 'TLS.identifier', 'TLS.sdkappid', 'TLS.time', 'TLS.expire', 'TLS.sig']) {
        if (k in theirs) assert.deepEqual(ours[k], theirs[k], `${k}`)
      }
      if ('TLS.userbuf' in theirs) assert.equal(ours['TLS.userbuf'], theirs['TLS.userbuf'])
    })
  }
})

describe('createSigner reproduces official values for inputs within policy', () => {
  for (const r of generated.filter((x) => x.producer.impl === 'php-v2')) {
    const i = r.inputs
    test(`${r.case}`, () => {
      const sign = () => {
        const s = createSigner({ sdkAppId: i.sdkappid, secretKey: i.key, userIdPolicy: 'any' })
        if (r.kind === 'genUserSig') return s.userSig(i.identifier, { expiresIn: i.expire, now: i.time })
        if (r.kind === 'genUserSigWithBuf') return s.userSigWithUserBuf(i.identifier, hex(i.userbuf_hex), { expiresIn: i.expire, now: i.time })
        if (r.kind === 'genPrivateMapKey') return s.privateMapKey(i.identifier, { roomId: i.room_id, privileges: i.privilege_map, expiresIn: i.expire, now: i.time })
        return s.privateMapKey(i.identifier, { strRoomId: i.room_str, privileges: i.privilege_map, expiresIn: i.expire, now: i.time })
      }
      // Inputs our checks reject on purpose (docs/spec/verify.md §1): expire 0, > 50 years, room 0, empty string room.
      const rejected = i.expire <= 0 || i.expire > 50 * 365 * 86400 || i.room_id === 0 || i.room_str === ''
      if (rejected) {
        assert.throws(sign, (e: unknown) => e instanceof UserSigError && /^INVALID_/.test(e.code))
        return
      }
      const d = decodeUserSig(sign())
      assert.equal(d.signature, r.decoded.json['TLS.sig'])
      assert.equal(d.identifier, i.identifier)
      assert.equal(toHex(d.userBuf), 'TLS.userbuf' in r.decoded.json ? r.decoded.userbuf_hex ?? '' : null)
    })
  }
})

describe('PrivateMapKey userbuf equals the UTF-8 producers (php, go, cpp) byte for byte', () => {
  const utf8Producers = new Set(['php-v2', 'go-v2-head', 'go-v2-old', 'cpp-v2'])
  for (const r of generated.filter((x) => utf8Producers.has(x.producer.impl) && x.kind.startsWith('genPrivateMapKey'))) {
    const i = r.inputs
    if (i.room_str === '') continue // an input error for us (docs/spec/verify.md §1)
    test(r.id, () => {
      const ub = encodePrivateMapKeyUserBuf({
        account: i.identifier, sdkAppId: i.sdkappid, expiresAt: i.time + i.expire, privileges: i.privilege_map,
        ...(i.room_str !== undefined ? { strRoomId: i.room_str } : { roomId: i.room_id }),
      })
      assert.equal(toHex(ub), r.decoded.userbuf_hex)
    })
  }
})

describe('v2-verify.json (crafted tokens) get the verdicts docs/spec/verify.md prescribes', () => {
  test('every record has an expected verdict', () => {
    for (const r of verifyCases) assert.ok(r.id.replace('v2-verify/', '') in V2_VERIFY_EXPECTED, `no expectation for ${r.id}`)
  })
  for (const r of verifyCases) {
    const name = r.id.replace('v2-verify/', '')
    const expected = V2_VERIFY_EXPECTED[name]
    if (!expected) continue
    test(`${name} → ${expected.ok ? 'ok' : expected.reason}`, () => {
      const v = r.verifier_inputs
      const opts: Parameters<typeof verifyUserSig>[1] = { sdkAppId: v.sdkappid, userId: v.identifier, secretKey: v.key, now: v.now }
      if (v.api_mode === 'userbuf') opts.userBuf = hex(v.expected_userbuf_hex ?? '')
      assertVerdict(verifyUserSig(r.usersig, opts), expected, name)
    })
  }
})

describe('the compat Api reproduces every official record (frozen clock)', () => {
  const realNow = Date.now
  // UTF-8 producers for PrivateMapKeys (the official Node/Java/Python ones write other bytes for non-ASCII accounts).
  const utf8Pmk = new Set(['php-v2', 'go-v2-head', 'go-v2-old', 'cpp-v2'])
  for (const r of generated) {
    const i = r.inputs
    const json = r.decoded?.json ?? {}
    const complete = ['TLS.ver', 'TLS.identifier', 'TLS.sdkappid', 'TLS.time', 'TLS.expire', 'TLS.sig'].every((k) => k in json)
    if (!complete || r.decoded['hmac_matches_TLS.sig'] === false || r.decoded.zlib_complete === false) continue
    const isPmk = r.kind.startsWith('genPrivateMapKey')
    const nonAscii = /[^\x00-\x7f]/.test(i.identifier)
    if (isPmk && nonAscii && !utf8Pmk.has(r.producer.impl)) continue
    if (r.kind === 'genUserSigWithBuf' && r.producer.impl === 'cpp-v2' && i.userbuf_hex === '') continue // cpp drops an empty userbuf
    test(`${r.id}`, () => {
      Date.now = () => i.time * 1000 + 500
      try {
        const api = new Api(i.sdkappid, i.key)
        const sign = () => r.kind === 'genUserSig' ? api.genUserSig(i.identifier, i.expire)
          : r.kind === 'genUserSigWithBuf' ? api.genSig(i.identifier, i.expire, hex(i.userbuf_hex))
            : r.kind === 'genPrivateMapKey' ? api.genPrivateMapKey(i.identifier, i.expire, i.room_id, i.privilege_map)
              : api.genPrivateMapKeyWithStringRoomID(i.identifier, i.expire, i.room_str, i.privilege_map)
        if (i.room_str === '') {
          // The official Node package writes a malformed empty string room; we refuse it (docs/spec/format.md §2.3).
          assert.throws(sign, (e: unknown) => e instanceof UserSigError && e.code === 'INVALID_STR_ROOM_ID')
          return
        }
        const ours = decodeUserSig(sign()).fields
        for (const k of ['TLS.identifier', 'TLS.sdkappid', 'TLS.time', 'TLS.expire', 'TLS.sig', 'TLS.userbuf']) {
          if (k in json) assert.deepEqual(ours[k], json[k], k)
        }
      } finally {
        Date.now = realNow
      }
    })
  }
})
