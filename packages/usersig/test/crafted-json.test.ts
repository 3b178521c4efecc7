/**
 * Crafted payloads (issue 12 §5): one token, one spelling (docs/spec/decisions.md), strings that are not Unicode,
 * member bounds, duplicate keys at any depth, and plain values in `fields`. Timing guards for the same shapes are in
 * crafted.slow.test.ts.
 */
import test, { describe } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import { createSigner, decodeUserSig, explainUserSig, verifyUserSig, UserSigError } from '../src/index.js'
import { APP, E, KEY, NOW, T, sigFor, signedJson, tokenOf } from './_crafted.js'

function malformed(token: string, stage: string, message?: RegExp): void {
  assert.throws(() => decodeUserSig(token), (e: unknown) => {
    assert.ok(e instanceof UserSigError)
    assert.equal(e.code, 'MALFORMED')
    assert.equal(e.stage, stage, e.message)
    if (message) assert.match(e.message, message)
    return true
  })
  const r = verifyUserSig(token, { sdkAppId: APP, userId: 'alice', secretKey: KEY, now: NOW })
  assert.equal(r.ok, false)
  assert.equal(!r.ok && r.reason, 'MALFORMED')
  assert.equal(!r.ok && r.stage, stage)
  // explain never throws for a token problem.
  assert.equal(typeof explainUserSig(token, { sdkAppId: APP, userId: 'alice', secretKey: KEY, now: NOW }).summary, 'string')
}

const valid = (token: string, userId = 'alice') => verifyUserSig(token, { sdkAppId: APP, userId, secretKey: KEY, now: NOW })

describe('one token, one spelling', () => {
  test('the canonical TLS.sig verifies; each of its three other spellings (unused bits set) is MALFORMED', () => {
    const sig = sigFor('alice')
    assert.ok(valid(tokenOf(signedJson('alice'))).ok)
    const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
    assert.equal(sig.length, 44)
    assert.equal(sig[43], '=')
    const last = A.indexOf(sig[42]!)
    assert.equal(last & 3, 0)
    for (const bits of [1, 2, 3]) {
      const other = sig.slice(0, 42) + A[last | bits] + '='
      assert.deepEqual(Buffer.from(other, 'base64'), Buffer.from(sig, 'base64'), 'Node decodes the same bytes')
      malformed(tokenOf(signedJson('alice', { sig: other })), 'fields', /TLS\.sig/)
    }
  })

  test('a TLS.userbuf with unused bits set is MALFORMED', () => {
    const ub = 'YWJj' // "abc": no padding, then "ab" = YWI= (canonical), YWJ= sets bits
    const sig = createHmac('sha256', KEY).update(`TLS.identifier:alice\nTLS.sdkappid:${APP}\nTLS.time:${T}\nTLS.expire:${E}\nTLS.userbuf:YWJ=\n`).digest('base64')
    assert.ok(decodeUserSig(tokenOf(signedJson('alice', { extra: `,"TLS.userbuf":"${ub}"` }))))
    malformed(tokenOf(signedJson('alice', { sig, extra: ',"TLS.userbuf":"YWJ="' })), 'fields', /TLS\.userbuf/)
  })

  test('-0, fractions and exponents in the numeric members are MALFORMED; digits verify', () => {
    assert.ok(valid(tokenOf(signedJson('alice'))).ok)
    const zero = createHmac('sha256', KEY).update(`TLS.identifier:alice\nTLS.sdkappid:${APP}\nTLS.time:${T}\nTLS.expire:0\n`).digest('base64')
    assert.equal(decodeUserSig(tokenOf(signedJson('alice', { expire: '0', sig: zero }))).expire, 0)
    malformed(tokenOf(signedJson('alice', { expire: '-0', sig: zero })), 'fields', /TLS\.expire must not be negative/)
    malformed(tokenOf(signedJson('alice', { time: '-0' })), 'fields', /TLS\.time must not be negative/)
    for (const time of ['1700000000.0', '17e8', '17E8', '1.7e9', '1700000000e0']) {
      malformed(tokenOf(signedJson('alice', { time })), 'fields', /TLS\.time must be an integer/)
    }
    // Past 2^53 - 1 the digits are an integer a double cannot hold: the message says so (docs/spec/decisions.md).
    for (const time of ['9007199254740992', '9007199254740993']) {
      malformed(tokenOf(signedJson('alice', { time })), 'fields', new RegExp(`TLS\\.time must be a safe integer, got ${time}`))
    }
    malformed(tokenOf(signedJson('alice', { expire: '-1' })), 'fields', /TLS\.expire must not be negative/)
  })
})

describe('strings that are not Unicode are MALFORMED wherever they appear', () => {
  test('a token signed for "bob\\ufffd" does not verify for "bob\\ud800" (nor the other lone-surrogate forms)', () => {
    const sig = sigFor('bob\ufffd')
    // The official Node signer's JSON.stringify writes a lone surrogate as an escape.
    for (const idJson of ['"bob\\ud800"', '"bob\\udfff"', '"bob\\ud800\\u0041"', '"bob\\ud800\\ud800"', '"\\udc00bob"']) {
      malformed(tokenOf(signedJson('bob\ufffd', { sig, idJson })), 'json', /surrogate/)
    }
    // UTF-8 bytes that encode a surrogate (CESU-8 style) are not UTF-8.
    const text = signedJson('bob\ufffd', { sig, idJson: '"bobXXX"' })
    const bytes = new TextEncoder().encode(text)
    const at = text.indexOf('XXX')
    bytes.set([0xed, 0xa0, 0x80], at)
    malformed(tokenOf(bytes), 'json', /UTF-8/)
    // A real pair, escaped or raw, is a character.
    const smile = '\u{1F600}'
    assert.ok(valid(tokenOf(signedJson(smile, { idJson: '"\\ud83d\\ude00"' })), smile).ok)
    assert.ok(valid(tokenOf(signedJson(smile)), smile).ok)
  })

  test('in keys, nested members and array elements too', () => {
    for (const extra of [',"\\ud800":1', ',"x":"\\udbff"', ',"x":{"y":["ok","\\ud800x"]}', ',"x":{"\\udc00":true}']) {
      malformed(tokenOf(signedJson('alice', { extra })), 'json', /surrogate/)
    }
  })
})

describe('members: bounded, unique, plain', () => {
  test('a 25 KB token with 8,700 members is refused (bounded), 1024 members in all are read', () => {
    // Two-character keys, so that 8,700 members fit under the 64 KiB decompression cap.
    const chars = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).filter((c) => c !== '"' && c !== '\\')
    const many = (n: number) => Array.from({ length: n }, (_, i) => `,"${chars[Math.floor(i / chars.length)]}${chars[i % chars.length]}":0`).join('')
    const big = signedJson('alice', { extra: many(8700) })
    assert.ok(big.length < 65536 && tokenOf(big).length > 20_000, `${big.length} ${tokenOf(big).length}`)
    malformed(tokenOf(big), 'json', /more than 1024 members/)
    // 6 TLS members + 1018 = 1024.
    assert.ok(valid(tokenOf(signedJson('alice', { extra: many(1018) }))).ok)
    malformed(tokenOf(signedJson('alice', { extra: many(1019) })), 'json', /members/)
    malformed(tokenOf(signedJson('alice', { extra: ',"a":[' + '0,'.repeat(2000) + '0]' })), 'json', /members/)
  })

  test('duplicate keys are refused at any depth, even with equal values', () => {
    malformed(tokenOf(signedJson('alice', { extra: ',"TLS.identifier":"alice"' })), 'json', /duplicate key/)
    malformed(tokenOf(signedJson('alice', { extra: ',"x":{"a":1,"a":1}' })), 'json', /duplicate key/)
    malformed(tokenOf(signedJson('alice', { extra: ',"x":[{"__proto__":1,"__proto__":2}]' })), 'json', /duplicate key/)
    // Distinct keys that only look alike are fine.
    assert.ok(valid(tokenOf(signedJson('alice', { extra: ',"x":{"a":1,"A":1,"a ":1}' }))).ok)
  })

  test('fields holds plain JSON values, equal to JSON.parse of the payload, for nested extra members', () => {
    const extra = ',"x":{"y":1.5,"z":[1e3,-0,12345678901234567890,"s",null,true,{"w":[]}]},"__proto__":{"a":1},"n":2.5,"big":1e400'
    const json = signedJson('alice', { extra })
    const d = decodeUserSig(tokenOf(json))
    const expected = JSON.parse(json)
    assert.deepEqual(d.fields, expected)
    const protoOk = (v: unknown): void => {
      if (v === null || typeof v !== 'object') return
      assert.ok(Array.isArray(v) ? Object.getPrototypeOf(v) === Array.prototype : Object.getPrototypeOf(v) === Object.prototype)
      for (const x of Object.values(v)) protoOk(x)
    }
    protoOk(d.fields)
    assert.deepEqual(Object.keys(d.fields), Object.keys(expected))
    assert.equal(JSON.stringify(d.fields), JSON.stringify(expected))
  })
})

describe('properties', () => {
  // One of the refused shapes, put somewhere in an otherwise valid, correctly signed token.
  const refused = fc.oneof(
    fc.constantFrom(',"x":"\\ud800"', ',"\\udfff":0', ',"x":[{"a":1,"a":2}]', ',"TLS.sig":"x"', ',"x":' + '['.repeat(40) + ']'.repeat(40)).map((extra) => ({ extra })),
    fc.constantFrom('-0', '1700000000.0', '17e8', '-1700000000').map((time) => ({ time })),
    fc.integer({ min: 1, max: 3 }).map((bits) => {
      const sig = sigFor('alice')
      const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
      return { sig: sig.slice(0, 42) + A[A.indexOf(sig[42]!) | bits] + '=' }
    }),
  )
  const members = fc.array(fc.tuple(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 })), { maxLength: 5 })

  test('a refused shape among valid extra members: always MALFORMED, never a crash, never valid', () => {
    fc.assert(fc.property(refused, members, members, (shape, before, after) => {
      const ext = (m: [string, unknown][]) => m.map(([k, v], i) => `,${JSON.stringify(`${k}_${i}`)}:${JSON.stringify(v)}`).join('')
      const o = { ...shape, extra: ext(before) + (shape as { extra?: string }).extra + ext(after) }
      if ((shape as { extra?: string }).extra === undefined) o.extra = ext(before) + ext(after)
      const tok = tokenOf(signedJson('alice', o))
      assert.throws(() => decodeUserSig(tok), (e: unknown) => e instanceof UserSigError && e.code === 'MALFORMED')
      const r = valid(tok)
      assert.equal(!r.ok && r.reason, 'MALFORMED')
    }), { numRuns: 300 })
  })

  test('valid extra members: fields equal JSON.parse, the token verifies', () => {
    fc.assert(fc.property(members, (m) => {
      const extra = m.map(([k, v], i) => `,${JSON.stringify(`${k}_${i}`)}:${JSON.stringify(v)}`).join('')
      const json = signedJson('alice', { extra })
      const tok = tokenOf(json)
      assert.deepEqual(decodeUserSig(tok).fields, JSON.parse(json))
      assert.ok(valid(tok).ok)
    }), { numRuns: 300 })
  })

  test('signed tokens round-trip through the reader for any identifier that is valid Unicode', () => {
    const s = createSigner({ sdkAppId: APP, secretKey: KEY })
    fc.assert(fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), (id) => {
      let tok: string
      try { tok = s.userSig(id, { expiresIn: E, now: T, userIdPolicy: 'any' } as never) } catch { return }
      assert.equal(decodeUserSig(tok).identifier, id)
    }), { numRuns: 200 })
  })
})
