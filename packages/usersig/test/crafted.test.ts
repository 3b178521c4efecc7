/**
 * Crafted input (issue 12 §5), bounded: shapes that were slow, ambiguous or echoed. Each is checked for its answer
 * here; the timing guards live in crafted.slow.test.ts (`npm run test:slow`).
 */
import test, { describe } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { createSigner, createVerifier, explainUserSig, keyFingerprint, signUserSig, verifyUserSig, UserSigError } from '../src/index.js'
import { createLegacySigner, generateLegacyKeyPair, legacyPublicKey, parseLegacyPrivateKey, parseLegacyPublicKey, verifyLegacySignature } from '../src/legacy/index.js'
import { Api } from '../src/compat.js'
import { MAX_SECRET_KEY_LENGTH } from '../src/secret.js'
import { ecdsaSignDer } from '../src/legacy/ecdsa.js'
import { legacySignedContent } from '../src/legacy/content.js'
import { base64Encode, tencentBase64Encode } from '../src/_base64.js'
import { zlibCompress } from '../src/_deflate.js'
import { MAX_PEM_LENGTH } from '../src/_pem.js'

const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
const now = 1700000000
const signer = createSigner({ sdkAppId: 1400000000, secretKey: KEY })
const good = signer.userSig('alice', { now })
const pair = generateLegacyKeyPair({ curve: 'P-256' })
const te = new TextEncoder()

/** A v1 token whose fields are signed exactly as given (what a hostile or careless signer could emit). */
function v1Token(identifier: string): string {
  const fields: Record<string, string> = {
    'TLS.account_type': '0', 'TLS.identifier': identifier, 'TLS.appid_at_3rd': '0', 'TLS.sdk_appid': '1400000000',
    'TLS.expire_after': '86400', 'TLS.time': String(now),
  }
  let content: string
  try {
    content = legacySignedContent(fields, false)
  } catch {
    // The content builder refuses line breaks; build the ambiguous text by hand as an attacker would.
    content = `TLS.appid_at_3rd:0\nTLS.account_type:0\nTLS.identifier:${identifier}\nTLS.sdk_appid:1400000000\nTLS.time:${now}\nTLS.expire_after:86400\n`
  }
  const { curve, privateKey } = parseLegacyPrivateKey(pair.privateKeyPem)
  fields['TLS.sig'] = base64Encode(ecdsaSignDer(curve, privateKey, te.encode(content)))
  return tencentBase64Encode(zlibCompress(te.encode(JSON.stringify(fields))))
}

describe('explainUserSig: length first, then linear checks', () => {
  test("'A' + '_' × 80000 is explained (no backtracking on the underscores)", () => {
    const r = explainUserSig('A' + '_'.repeat(80000))
    assert.equal(r.verdict, 'invalid')
  })
  test('more than 1 MiB of it is MALFORMED by length alone', () => {
    const r = explainUserSig('A' + '_'.repeat(1 << 20))
    assert.deepEqual(r.findings.map((f) => f.code), ['MALFORMED'])
    assert.match(r.findings[0]!.message, /characters long/)
  })
  test('property: strings made of the shapes the recognisers look at never throw and always get a verdict', () => {
    const piece = fc.constantFrom('A', '_', '-', '*', '%2A', '%', 'eyJ', '.', '{', '}', '"', "'", ' ', '\n', 'TLS.time', ':', '=', '+', '/')
    fc.assert(fc.property(fc.array(piece, { maxLength: 400 }), (parts) => {
      const r = explainUserSig(parts.join(''))
      assert.ok(['valid', 'invalid', 'unknown'].includes(r.verdict))
      assert.ok(r.tokenPrefix.length <= 11)
    }), { numRuns: 300 })
  })
})

describe('keyFingerprint: linear on any text, PEM bounded', () => {
  test('many BEGIN lines give a fingerprint (one pass over the lines)', () => {
    const text = '-----BEGIN PUBLIC KEY-----\n'.repeat(2000)
    assert.match(keyFingerprint(text), /^[0-9a-f]{8}$/)
  })
  test('PEM text over the bound is refused without reading it', () => {
    assert.throws(() => keyFingerprint('-----BEGIN PUBLIC KEY-----\n' + 'A'.repeat(MAX_PEM_LENGTH)), RangeError)
    assert.throws(() => legacyPublicKey('-----BEGIN PUBLIC KEY-----\n' + 'A'.repeat(MAX_PEM_LENGTH)), (e: unknown) => e instanceof UserSigError && e.code === 'INVALID_PUBLIC_KEY')
  })
  test('a public key PEM and its key object and the signer share one id', () => {
    const s = createLegacySigner({ sdkAppId: 1, privateKey: pair.privateKeyPem })
    assert.equal(keyFingerprint(pair.publicKeyPem), s.keyId)
    assert.equal(legacyPublicKey(pair.publicKeyPem).keyId, s.keyId)
    assert.equal(keyFingerprint(legacyPublicKey(pair.publicKeyPem)), s.keyId)
  })
})

describe('legacy (v1) content is unambiguous', () => {
  const publicKey = legacyPublicKey(pair.publicKeyPem)
  test("a UserID with a line break is refused when signing, even under userIdPolicy 'any'", () => {
    const s = createLegacySigner({ sdkAppId: 1400000000, privateKey: pair.privateKeyPem, userIdPolicy: 'any' })
    assert.throws(() => s.userSig('mallory\nTLS.identifier:alice', { now }), (e: unknown) => e instanceof UserSigError && e.code === 'INVALID_USERID')
  })
  test('a token signed for "mallory\\nTLS.identifier:alice…" is MALFORMED, for alice and for mallory', () => {
    const forged = v1Token('mallory\nTLS.identifier:alice')
    for (const userId of ['alice', 'mallory\nTLS.identifier:alice', 'mallory']) {
      const r = verifyUserSig(forged, { sdkAppId: 1400000000, userId, publicKey, now })
      assert.equal(r.ok, false)
      assert.equal(!r.ok && r.reason, 'MALFORMED')
      assert.equal(!r.ok && r.stage, 'fields')
    }
  })
  test('property: any identifier with a line break is MALFORMED; without one it verifies', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
      const id = a.replace(/[\n\ud800-\udfff]/g, 'x')
      const ok = verifyUserSig(v1Token(id), { sdkAppId: 1400000000, userId: id, publicKey, now })
      assert.equal(ok.ok, true, id)
      const bad = verifyUserSig(v1Token(id + '\n' + b), { sdkAppId: 1400000000, userId: id, publicKey, now })
      assert.equal(!bad.ok && bad.reason, 'MALFORMED')
    }), { numRuns: 40 })
  })
})

describe('messages quote at most a short prefix, and never a value from a slot that may hold a secret', () => {
  test('a 1 MB expected userId gives a short message', () => {
    const r = verifyUserSig(good, { sdkAppId: 1400000000, userId: 'x'.repeat(1 << 20), secretKey: KEY, now })
    assert.equal(!r.ok && r.reason, 'IDENTIFIER_MISMATCH')
    assert.ok(!r.ok && r.message.length < 200, String(!r.ok && r.message.length))
    const ex = explainUserSig(good, { userId: 'y'.repeat(1 << 20), now })
    for (const f of ex.findings) assert.ok(f.message.length < 300, f.code)
    assert.ok(ex.summary.length < 300)
  })
  test('control characters and lone surrogates in quoted values are escaped', () => {
    const r = verifyUserSig(good, { sdkAppId: 1400000000, userId: 'bob\u0000\u001b[31m\ud800', secretKey: KEY, now })
    assert.ok(!r.ok && !/[\u0000-\u001f\ud800-\udfff]/.test(r.message), !r.ok ? r.message : '')
  })
  test('a PEM passed as userIdPolicy (or another enumerated option) is not echoed', () => {
    for (const make of [
      () => createSigner({ sdkAppId: 1, secretKey: KEY, userIdPolicy: pair.privateKeyPem as never }),
      () => createLegacySigner({ sdkAppId: 1, privateKey: pair.privateKeyPem, userIdPolicy: pair.privateKeyPem as never }),
      () => signer.userSig('alice', { expiresIn: pair.privateKeyPem }),
      () => signer.privateMapKey('alice', { roomId: 1, privileges: pair.privateKeyPem }),
    ]) {
      let message = ''
      try { make() } catch (e) { message = `${(e as Error).message} ${(e as UserSigError).hint ?? ''}` }
      assert.ok(message.length > 0)
      assert.ok(!message.includes(pair.privateKeyPem.split('\n')[1]!.slice(0, 16)), message)
      assert.ok(message.length < 400, message)
    }
  })
  test('key ids and the token prefix are quoted short and sanitised: no 1 MB finding, no ESC', () => {
    const id = '\x1b[31m' + 'y'.repeat(1e6)
    const signed = explainUserSig(good, { secretKeys: [{ id, secretKey: KEY }], now })
    assert.equal(signed.verdict, 'valid')
    const other = explainUserSig(good, { secretKeys: [{ id: 'a' + id, secretKey: 'f'.repeat(64) }, { id: 'b' + id, secretKey: 'e'.repeat(64) }], otherKeys: [{ id, secretKey: KEY }], now })
    assert.ok(other.findings.some((x) => x.code === 'SIGNED_BY_OTHER_KEY'))
    const prefixed = explainUserSig('\x1b[31m\u0007' + good, { now })
    for (const r of [signed, other, prefixed]) {
      const out = JSON.stringify({ ...r, keyId: undefined, decoded: undefined })
      assert.ok(out.length < 5000, `${out.length} characters`)
      assert.ok(!/[\u0000-\u001f]/.test(r.summary + r.tokenPrefix + r.findings.map((x) => x.message).join('')))
    }
    assert.ok(signed.findings.find((x) => x.code === 'SIGNED_BY')!.message.includes('"\\u001b[31myyy'))
    assert.equal(prefixed.tokenPrefix.length, 11)
  })
  test('a key pasted into the userId slot appears at most as a short prefix; the key slots never', () => {
    const r = explainUserSig(good, { userId: KEY, secretKey: KEY, now })
    const out = JSON.stringify({ ...r, decoded: undefined })
    assert.ok(!out.includes(KEY))
    assert.ok(!out.includes(KEY.slice(40)))
  })
})

describe('the same mistake, the same error, from every entry point', () => {
  /** What an entry point returns for a value it takes otherwise (compat accepts a number as the UserID). */
  const NA = Symbol('not this entry point\'s input')
  /** What a call threw: class, code and message, so that entry points can be compared; null where NA. */
  const thrown = (run: () => unknown): { cls: string; code: string | undefined; message: string } | null => {
    try {
      if (run() === NA) return null
    } catch (e) {
      const err = e as Error & { code?: string }
      return { cls: err.constructor.name, code: err.code, message: err.message }
    }
    return { cls: 'none', code: undefined, message: 'did not throw' }
  }
  const legacy = createLegacySigner({ sdkAppId: 1400000000, privateKey: pair.privateKeyPem })
  const api = (sdkAppId: unknown, key: unknown) => new Api(sdkAppId as never, key as never)
  type Entry = (v: any) => unknown
  // Every named input, its bad values, and every entry point that takes it (docs/spec/errors.md §1). Left out where the
  // input means something else there: compat's `expire`, room and privileges follow the official package (own names and
  // ranges), compat accepts a number as userid, and explain treats an absent key, userId or sdkAppId as "not known".
  const inputs: { name: string; code: string; bad: unknown[]; entries: Record<string, Entry>; absentOk?: string[] }[] = [
    {
      name: 'sdkAppId', code: 'INVALID_SDKAPPID', bad: ['abc', ' 1400000000', '', 0, -1, 1.5, 4294967296, NaN, null, undefined, {}, '1400000000\n'],
      absentOk: ['explainUserSig', 'createVerifier'],
      entries: {
        createSigner: (v) => createSigner({ sdkAppId: v, secretKey: KEY }),
        signUserSig: (v) => signUserSig({ sdkAppId: v, secretKey: KEY, userId: 'alice' }),
        'compat Api': (v) => api(v, KEY),
        verifyUserSig: (v) => verifyUserSig(good, { sdkAppId: v, userId: 'alice', secretKey: KEY }),
        createVerifier: (v) => createVerifier({ sdkAppId: v, secretKey: KEY }),
        'createVerifier().verify': (v) => createVerifier({ secretKey: KEY }).verify(good, { userId: 'alice', sdkAppId: v }),
        explainUserSig: (v) => explainUserSig(good, { sdkAppId: v }),
        createLegacySigner: (v) => createLegacySigner({ sdkAppId: v, privateKey: pair.privateKeyPem }),
      },
    },
    {
      name: 'secretKey', code: 'INVALID_SECRET_KEY', bad: [123, '', null, undefined, {}, pair.privateKeyPem, pair.publicKeyPem, 'k'.repeat(MAX_SECRET_KEY_LENGTH + 1)],
      absentOk: ['explainUserSig'],
      entries: {
        createSigner: (v) => createSigner({ sdkAppId: 1400000000, secretKey: v }),
        signUserSig: (v) => signUserSig({ sdkAppId: 1400000000, secretKey: v, userId: 'alice' }),
        'compat Api': (v) => api(1400000000, v),
        verifyUserSig: (v) => verifyUserSig(good, { sdkAppId: 1400000000, userId: 'alice', secretKey: v }),
        createVerifier: (v) => createVerifier({ secretKey: v }),
        explainUserSig: (v) => explainUserSig(good, { secretKey: v }),
        'verifyUserSig secretKeys': (v) => verifyUserSig(good, { sdkAppId: 1400000000, userId: 'alice', secretKeys: [{ id: 'a', secretKey: v }] }),
        'createVerifier secretKeys': (v) => createVerifier({ secretKeys: [{ secretKey: v }] }),
        'explainUserSig secretKeys': (v) => explainUserSig(good, { secretKeys: [{ secretKey: v }] }),
        'explainUserSig otherKeys': (v) => explainUserSig(good, { otherKeys: [{ id: 'o', secretKey: v }] }),
      },
    },
    {
      name: 'publicKey', code: 'INVALID_PUBLIC_KEY', bad: [123, {}, null, pair.publicKeyPem, KEY],
      entries: {
        verifyUserSig: (v) => verifyUserSig(good, { sdkAppId: 1400000000, userId: 'alice', publicKey: v }),
        createVerifier: (v) => createVerifier({ publicKey: v }),
        explainUserSig: (v) => explainUserSig(good, { publicKey: v }),
      },
    },
    {
      name: 'publicKey (PEM text)', code: 'INVALID_PUBLIC_KEY', bad: [123, null, undefined, true, KEY, pair.privateKeyPem],
      entries: {
        legacyPublicKey: (v) => legacyPublicKey(v),
        parseLegacyPublicKey: (v) => parseLegacyPublicKey(v),
        verifyLegacySignature: (v) => verifyLegacySignature({}, v),
      },
    },
    {
      name: 'privateKey', code: 'INVALID_PRIVATE_KEY', bad: [123, null, undefined, {}, KEY, pair.publicKeyPem],
      entries: {
        createLegacySigner: (v) => createLegacySigner({ sdkAppId: 1400000000, privateKey: v }),
        parseLegacyPrivateKey: (v) => parseLegacyPrivateKey(v),
      },
    },
    {
      name: 'userId', code: 'INVALID_USERID', bad: [123, null, undefined, '', {}, 1n],
      absentOk: ['explainUserSig'],
      entries: {
        'createSigner().userSig': (v) => signer.userSig(v, { now }),
        'createSigner().privateMapKey': (v) => signer.privateMapKey(v, { roomId: 1, privileges: 255, now }),
        signUserSig: (v) => signUserSig({ sdkAppId: 1400000000, secretKey: KEY, userId: v, now }),
        'compat Api': (v) => (typeof v === 'number' || typeof v === 'bigint' ? NA : api(1400000000, KEY).genUserSig(v, 86400)),
        verifyUserSig: (v) => verifyUserSig(good, { sdkAppId: 1400000000, userId: v, secretKey: KEY }),
        'createVerifier().verify': (v) => createVerifier({ sdkAppId: 1400000000, secretKey: KEY }).verify(good, { userId: v }),
        explainUserSig: (v) => explainUserSig(good, { userId: v }),
        'createLegacySigner().userSig': (v) => legacy.userSig(v, { now }),
      },
    },
    {
      name: 'expiresIn', code: 'INVALID_EXPIRES_IN', bad: ['abc', '7 days', -1, 0, 1.5, null, {}, 86400000, 1e12],
      entries: {
        'createSigner().userSig': (v) => signer.userSig('alice', { expiresIn: v, now }),
        'createSigner().privateMapKey': (v) => signer.privateMapKey('alice', { roomId: 1, privileges: 255, expiresIn: v, now }),
        signUserSig: (v) => signUserSig({ sdkAppId: 1400000000, secretKey: KEY, userId: 'alice', expiresIn: v, now }),
        'createLegacySigner().userSig': (v) => legacy.userSig('alice', { expiresIn: v, now }),
      },
    },
    {
      name: 'now', code: 'INVALID_NOW', bad: [-1, 'x', NaN, Infinity, new Date(NaN), 1e12, null, {}],
      entries: {
        'createSigner().userSig': (v) => signer.userSig('alice', { now: v }),
        signUserSig: (v) => signUserSig({ sdkAppId: 1400000000, secretKey: KEY, userId: 'alice', now: v }),
        'createLegacySigner().userSig': (v) => legacy.userSig('alice', { now: v }),
        verifyUserSig: (v) => verifyUserSig(good, { sdkAppId: 1400000000, userId: 'alice', secretKey: KEY, now: v }),
        'createVerifier().verify': (v) => createVerifier({ sdkAppId: 1400000000, secretKey: KEY }).verify(good, { userId: 'alice', now: v }),
        explainUserSig: (v) => explainUserSig(good, { now: v }),
      },
    },
    {
      name: 'roomId', code: 'INVALID_ROOM_ID', bad: [0, -1, 1.5, '123', 4294967295, {}],
      entries: {
        'createSigner().privateMapKey': (v) => signer.privateMapKey('alice', { roomId: v, privileges: 255, now }),
        explainUserSig: (v) => explainUserSig(good, { roomId: v }),
      },
    },
    {
      name: 'strRoomId', code: 'INVALID_STR_ROOM_ID', bad: ['', 'a/b', 'a'.repeat(65), '房间', 123],
      entries: {
        'createSigner().privateMapKey': (v) => signer.privateMapKey('alice', { strRoomId: v, privileges: 255, now }),
        explainUserSig: (v) => explainUserSig(good, { strRoomId: v }),
      },
    },
    {
      name: 'privileges', code: 'INVALID_PRIVILEGES', bad: [256, -1, 1.5, 'fly', ['enter', 'fly'], '', null, {}],
      entries: {
        'createSigner().privateMapKey': (v) => signer.privateMapKey('alice', { roomId: 1, privileges: v, now }),
        'createSigner().issuePrivateMapKey': (v) => signer.issuePrivateMapKey('alice', { roomId: 1, privileges: v, now }),
      },
    },
    {
      name: 'userBuf', code: 'INVALID_USERBUF', bad: ['abc', 123, null, [1, 2], new Uint8Array(65536)],
      entries: {
        'createSigner().userSigWithUserBuf': (v) => signer.userSigWithUserBuf('alice', v, { now }),
        'createLegacySigner().userSigWithUserBuf': (v) => legacy.userSigWithUserBuf('alice', v, { now }),
        verifyUserSig: (v) => verifyUserSig(good, { sdkAppId: 1400000000, userId: 'alice', secretKey: KEY, userBuf: v }),
        'createVerifier().verify': (v) => createVerifier({ sdkAppId: 1400000000, secretKey: KEY }).verify(good, { userId: 'alice', userBuf: v }),
      },
    },
  ]
  for (const { name, code, bad, entries, absentOk = [] } of inputs) {
    test(`${name}: ${code}, one class, code and message from ${Object.keys(entries).join(', ')}`, () => {
      for (const v of bad) {
        const label = typeof v === 'string' ? JSON.stringify(v.slice(0, 20)) : typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `${v.length} bytes` : String(v)
        const seen = Object.entries(entries).filter(([entry]) => !(v === undefined && absentOk.includes(entry)))
          .map(([entry, run]) => [entry, thrown(() => run(v))] as const).filter((x): x is readonly [string, NonNullable<(typeof x)[1]>] => x[1] !== null)
        const [first, want] = seen[0]!
        assert.equal(want.cls, 'UserSigError', `${name} ${label} from ${first}: ${want.message}`)
        assert.equal(want.code, code, `${name} ${label} from ${first}: ${want.message}`)
        for (const [entry, got] of seen) assert.deepEqual(got, want, `${name} ${label}: ${entry} differs from ${first}`)
      }
    })
  }
  test('the one deliberate difference: a secret key with surrounding whitespace is refused for signing, taken for verifying', () => {
    const padded = KEY + '\n'
    const signing = [() => createSigner({ sdkAppId: 1400000000, secretKey: padded }), () => signUserSig({ sdkAppId: 1400000000, secretKey: padded, userId: 'alice' }), () => api(1400000000, padded)]
    for (const run of signing) assert.deepEqual(thrown(run), { cls: 'UserSigError', code: 'INVALID_SECRET_KEY', message: 'secretKey has leading or trailing whitespace' })
    const r = verifyUserSig(good, { sdkAppId: 1400000000, userId: 'alice', secretKey: padded, now })
    assert.equal(!r.ok && r.reason, 'SIGNATURE_INVALID')
    assert.equal(createVerifier({ secretKey: padded }).keyIds.length, 1)
    assert.ok(explainUserSig(good, { secretKey: padded, now }).findings.some((x) => x.code === 'KEY_WHITESPACE'))
  })
  test('a call not shaped like the API stays a TypeError', () => {
    for (const run of [
      () => verifyUserSig(good, null as never), () => createVerifier('x' as never), () => explainUserSig(good, 1 as never),
      () => createSigner({ sdkAppId: 1400000000, secretKey: KEY, userIdPolicy: 'x' as never }), () => generateLegacyKeyPair({ curve: 'P-384' as never }),
    ]) assert.throws(run, TypeError)
  })
  test('a PEM string where a key object is needed: INVALID_PUBLIC_KEY with a hint to legacyPublicKey', () => {
    for (const run of [
      () => verifyUserSig(good, { sdkAppId: 1400000000, userId: 'alice', publicKey: pair.publicKeyPem as never }),
      () => createVerifier({ publicKey: pair.publicKeyPem as never }),
      () => explainUserSig(good, { publicKey: pair.publicKeyPem as never }),
    ]) {
      assert.throws(run, (e: unknown) => e instanceof UserSigError && e.code === 'INVALID_PUBLIC_KEY' && /legacyPublicKey/.test(e.hint ?? ''))
    }
  })
})

describe('createVerifier', () => {
  test('holds its keys: same verdicts as verifyUserSig, names the key, takes sdkAppId at creation or per call', () => {
    const v = createVerifier({ sdkAppId: 1400000000, secretKeys: [{ id: 'old', secretKey: 'f'.repeat(64) }, { id: 'prod', secretKey: KEY }] })
    assert.deepEqual(v.keyIds, ['old', 'prod'])
    const r = v.verify(good, { userId: 'alice', now })
    assert.equal(r.ok && r.keyId, 'prod')
    assert.deepEqual(v.verify(good, { userId: 'bob', now }), verifyUserSig(good, { sdkAppId: 1400000000, userId: 'bob', now, secretKeys: [{ id: 'old', secretKey: 'f'.repeat(64) }, { id: 'prod', secretKey: KEY }] }))
    const free = createVerifier({ secretKey: KEY, clockTolerance: 10 })
    assert.equal(free.verify(good, { userId: 'alice', sdkAppId: '1400000000', now: now + 7 * 86400 + 10 }).ok, true)
    assert.throws(() => free.verify(good, { userId: 'alice' }), (e: unknown) => e instanceof UserSigError && e.code === 'INVALID_SDKAPPID')
  })
  test('verifies legacy tokens with a key object', () => {
    const s = createLegacySigner({ sdkAppId: 1400000000, privateKey: pair.privateKeyPem })
    const v = createVerifier({ sdkAppId: 1400000000, publicKey: legacyPublicKey(pair.publicKeyPem) })
    const r = v.verify(s.userSig('alice', { now }), { userId: 'alice', now })
    assert.equal(r.ok && r.keyId, s.keyId)
    const wrong = v.verify(good, { userId: 'alice', now })
    assert.equal(!wrong.ok && wrong.reason, 'SIGNATURE_INVALID')
  })
})
