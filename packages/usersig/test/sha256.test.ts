import test from 'node:test'
import assert from 'node:assert/strict'
import { createHash, createHmac } from 'node:crypto'
import fc from 'fast-check'
import { HmacSha256Key, sha256, timingSafeEqual } from '../src/_sha256.js'

// A key object that precomputes nothing (for one MAC): the same MACs by another path.
const hmacSha256 = (key: Uint8Array, data: Uint8Array): Uint8Array => new HmacSha256Key(key, false).mac(data)

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')
const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'))
const fromHex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'))
const filled = (n: number, v: number): Uint8Array => new Uint8Array(n).fill(v)

test('SHA-256 known answers (FIPS 180-2 examples)', () => {
  assert.equal(hex(sha256(new Uint8Array(0))), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
  assert.equal(hex(sha256(utf8('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  assert.equal(
    hex(sha256(utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))),
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  )
  assert.equal(
    hex(
      sha256(
        utf8(
          'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
        ),
      ),
    ),
    'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
  )
  assert.equal(hex(sha256(filled(1_000_000, 0x61))), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0')
})

test('SHA-256 at every padding boundary length matches node:crypto', () => {
  for (let n = 0; n <= 200; n++) {
    const m = new Uint8Array(n).map((_, i) => (i * 31 + n) & 255)
    assert.equal(hex(sha256(m)), createHash('sha256').update(m).digest('hex'), `length ${n}`)
  }
})

// RFC 4231 §4.2–4.8.
const RFC4231: Array<{ key: Uint8Array; data: Uint8Array; mac: string }> = [
  { key: filled(20, 0x0b), data: utf8('Hi There'), mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7' },
  {
    key: utf8('Jefe'),
    data: utf8('what do ya want for nothing?'),
    mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  },
  { key: filled(20, 0xaa), data: filled(50, 0xdd), mac: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe' },
  {
    key: fromHex('0102030405060708090a0b0c0d0e0f10111213141516171819'),
    data: filled(50, 0xcd),
    mac: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
  },
  // Test case 5 is specified truncated to 128 bits.
  { key: filled(20, 0x0c), data: utf8('Test With Truncation'), mac: 'a3b6167473100ee06e0c796c2955552b' },
  {
    key: filled(131, 0xaa),
    data: utf8('Test Using Larger Than Block-Size Key - Hash Key First'),
    mac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
  },
  {
    key: filled(131, 0xaa),
    data: utf8(
      'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
    ),
    mac: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
  },
]

test('HMAC-SHA256: RFC 4231 test cases 1-7', () => {
  RFC4231.forEach(({ key, data, mac }, i) => {
    const len = mac.length / 2
    assert.equal(hex(hmacSha256(key, data).subarray(0, len)), mac, `case ${i + 1} (one-shot)`)
    assert.equal(hex(new HmacSha256Key(key).mac(data).subarray(0, len)), mac, `case ${i + 1} (precomputed key)`)
  })
})

test('macInto writes at an offset and leaves the rest alone', () => {
  const k = new HmacSha256Key(utf8('Jefe'))
  const out = new Uint8Array(40).fill(7)
  k.macInto(utf8('what do ya want for nothing?'), out, 5)
  assert.equal(hex(out.subarray(5, 37)), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843')
  assert.ok(out.subarray(0, 5).every((b) => b === 7))
  assert.ok(out.subarray(37).every((b) => b === 7))
  assert.throws(() => k.macInto(new Uint8Array(0), out, 9), RangeError)
  const once = new HmacSha256Key(utf8('Jefe'), false)
  const out2 = new Uint8Array(40).fill(7)
  once.macInto(utf8('what do ya want for nothing?'), out2, 5)
  assert.deepEqual(out2, out)
  assert.throws(() => once.macInto(new Uint8Array(0), out2, 9), RangeError)
  assert.throws(() => once.macInto(new Uint8Array(0), out2, -1), RangeError)
})

test('HMAC-SHA256 at every key and message length around the block and padding boundaries matches node:crypto', () => {
  const bytes = (n: number, seed: number): Uint8Array => new Uint8Array(n).map((_, i) => (i * 167 + seed) & 255)
  for (const kn of [0, 1, 31, 32, 55, 56, 63, 64, 65, 119, 120, 128, 129]) {
    const key = bytes(kn, 7)
    const k = new HmacSha256Key(key)
    for (let mn = 0; mn <= 140; mn++) {
      const m = bytes(mn, kn)
      const want = createHmac('sha256', key).update(m).digest('hex')
      assert.equal(hex(k.mac(m)), want, `key ${kn} B, message ${mn} B (precomputed)`)
      assert.equal(hex(hmacSha256(key, m)), want, `key ${kn} B, message ${mn} B (not precomputed)`)
    }
  }
})

test('SHA-256 differential vs node:crypto', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (m) => {
      assert.equal(hex(sha256(m)), createHash('sha256').update(m).digest('hex'))
    }),
    { numRuns: 500 },
  )
})

test('HMAC-SHA256 differential vs node:crypto, one key object reused for many messages', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 200 }),
      fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 8 }),
      (key, messages) => {
        const k = new HmacSha256Key(key)
        for (const m of messages) {
          const want = createHmac('sha256', key).update(m).digest('hex')
          assert.equal(hex(k.mac(m)), want)
          assert.equal(hex(hmacSha256(key, m)), want)
        }
        // Interleaving another key, or a single-call MAC, must not disturb the first (shared scratch state).
        const other = new HmacSha256Key(new Uint8Array([1, 2, 3]))
        other.mac(messages[0]!)
        hmacSha256(new Uint8Array([4, 5]), messages[0]!)
        sha256(messages[0]!)
        assert.equal(hex(k.mac(messages[0]!)), createHmac('sha256', key).update(messages[0]!).digest('hex'))
      },
    ),
    { numRuns: 300 },
  )
})

test('the key array can change after the key object is built', () => {
  const key = utf8('secret')
  const k = new HmacSha256Key(key)
  key.fill(0)
  assert.equal(hex(k.mac(utf8('x'))), createHmac('sha256', 'secret').update('x').digest('hex'))
})

test('timingSafeEqual', () => {
  assert.equal(timingSafeEqual(new Uint8Array(0), new Uint8Array(0)), true)
  assert.equal(timingSafeEqual(utf8('abc'), utf8('abc')), true)
  assert.equal(timingSafeEqual(utf8('abc'), utf8('abd')), false)
  assert.equal(timingSafeEqual(utf8('abc'), utf8('ab')), false)
  assert.equal(timingSafeEqual(utf8('ab'), utf8('abc')), false)
  const a = filled(32, 0x55)
  for (let i = 0; i < 32; i++) {
    const b = a.slice()
    b[i] = b[i]! ^ 0x80
    assert.equal(timingSafeEqual(a, b), false)
  }
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), (x, y) => {
      assert.equal(timingSafeEqual(x, y), Buffer.compare(x, y) === 0)
      assert.equal(timingSafeEqual(x, x.slice()), true)
    }),
  )
})
