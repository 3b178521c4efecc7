import test from 'node:test'
import assert from 'node:assert/strict'
import zlib from 'node:zlib'
import fc from 'fast-check'
import { ZlibError, adler32Range } from '../src/_zlib.js'
import { zlibCompress } from '../src/_deflate.js'
import { zlibDecompress } from '../src/_inflate.js'

const adler32 = (d: Uint8Array): number => adler32Range(d, 0, d.length)

const MAX = 1 << 24
const u8 = (b: Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'))
const inflate = (b: Uint8Array, max = MAX): Uint8Array => zlibDecompress(b, max).output

function throwsZlib(fn: () => unknown, reason?: ZlibError['reason']): ZlibError {
  try {
    fn()
  } catch (e) {
    assert.ok(e instanceof ZlibError, `expected ZlibError, got ${String(e)}`)
    if (reason !== undefined) assert.equal(e.reason, reason, e.message)
    return e
  }
  assert.fail('expected a ZlibError')
}

/** Random bytes, or text-like data with many repeats (the kind deflate really compresses). */
const repetitive = fc
  .tuple(fc.array(fc.uint8Array({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 200 }))
  .map(([pieces, picks]) => {
    const parts = picks.map((p) => pieces[p % pieces.length]!)
    return new Uint8Array(Buffer.concat(parts))
  })
const jsonLike = fc
  .record({ id: fc.string({ maxLength: 40 }), n: fc.nat(), t: fc.nat(), s: fc.base64String({ maxLength: 44 }) })
  .map((r) => utf8(JSON.stringify({ 'TLS.ver': '2.0', 'TLS.identifier': r.id, 'TLS.sdkappid': r.n, 'TLS.time': r.t, 'TLS.sig': r.s })))
const anyData = fc.oneof(fc.uint8Array({ maxLength: 2000 }), repetitive, jsonLike)

const SIG = utf8(
  '{"TLS.ver":"2.0","TLS.identifier":"xiaojun","TLS.sdkappid":1400000000,"TLS.time":1700000000,"TLS.expire":15552000,"TLS.sig":"LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4="}',
)

test('adler32 matches known values and node:zlib', () => {
  assert.equal(adler32(new Uint8Array(0)), 1)
  assert.equal(adler32(utf8('Wikipedia')), 0x11e60398)
  // All-0xff input makes the running sums as large as possible between reductions.
  assert.equal(adler32(new Uint8Array(100_000).fill(255)), adlerRef(new Uint8Array(100_000).fill(255)))
  fc.assert(fc.property(fc.uint8Array({ maxLength: 5000 }), (d) => assert.equal(adler32(d), adlerRef(d))), { numRuns: 100 })
})

function adlerRef(d: Uint8Array): number {
  let a = 1
  let b = 0
  for (const x of d) {
    a = (a + x) % 65521
    b = (b + a) % 65521
  }
  return (b * 65536 + a) >>> 0
}

test('round trip: zlibDecompress(zlibCompress(x)) === x', () => {
  fc.assert(
    fc.property(anyData, (x) => {
      const z = zlibCompress(x)
      const { output, consumed } = zlibDecompress(z, MAX)
      assert.deepEqual(output, x)
      assert.equal(consumed, z.length)
    }),
    { numRuns: 1000 },
  )
})

test('zlibCompress output is valid for node:zlib and starts with 78', () => {
  fc.assert(
    fc.property(anyData, (x) => {
      const z = zlibCompress(x)
      assert.equal(z[0], 0x78)
      assert.deepEqual(u8(zlib.inflateSync(z)), x)
    }),
    { numRuns: 1000 },
  )
})

test('zlibCompress: edge inputs, long distances, long runs and large inputs', () => {
  const cases: Uint8Array[] = [new Uint8Array(0), new Uint8Array([0]), new Uint8Array(2), new Uint8Array(3), new Uint8Array(258), new Uint8Array(259), new Uint8Array(1 << 20)]
  // A block repeated at distance exactly 32768 and beyond.
  const far = new Uint8Array(70_000)
  for (let i = 0; i < 300; i++) far[i] = (i * 7) & 255
  far.copyWithin(32768, 0, 300)
  far.copyWithin(32769 + 32768, 0, 300)
  cases.push(far)
  const big = new Uint8Array(1 << 20)
  let s = 1
  for (let i = 0; i < big.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) | 0
    big[i] = i % 1000 < 500 ? (s >>> 24) & 3 : (s >>> 16) & 255
  }
  cases.push(big)
  for (const x of cases) {
    const z = zlibCompress(x)
    assert.deepEqual(u8(zlib.inflateSync(z)), x)
    assert.deepEqual(inflate(z), x)
  }
  // Compression actually compresses.
  assert.ok(zlibCompress(new Uint8Array(1 << 20)).length < 10_000)
  assert.ok(zlibCompress(SIG).length < SIG.length)
  // Incompressible input costs only the stored-block overhead.
  const rnd = new Uint8Array(200_000).map(() => (Math.random() * 256) | 0)
  assert.ok(zlibCompress(rnd).length <= rnd.length + 6 + 5 * 4)
})

test('decodes node:zlib output at every level and strategy', () => {
  const { Z_FIXED, Z_HUFFMAN_ONLY, Z_RLE, Z_FILTERED, Z_DEFAULT_STRATEGY } = zlib.constants
  const opts: zlib.ZlibOptions[] = [
    { level: 0 },
    { level: 1 },
    { level: 6 },
    { level: 9 },
    { level: 6, strategy: Z_FIXED },
    { level: 6, strategy: Z_HUFFMAN_ONLY },
    { level: 6, strategy: Z_RLE },
    { level: 6, strategy: Z_FILTERED },
    { level: 9, strategy: Z_DEFAULT_STRATEGY, memLevel: 1, windowBits: 9 },
  ]
  fc.assert(
    fc.property(anyData, fc.constantFrom(...opts), (x, o) => {
      const z = u8(zlib.deflateSync(x, o))
      const { output, consumed } = zlibDecompress(z, MAX)
      assert.deepEqual(output, x)
      assert.equal(consumed, z.length)
    }),
    { numRuns: 1500 },
  )
  // Large inputs: several blocks, stored blocks > 64 KiB, far distances.
  const big = new Uint8Array(300_000)
  for (let i = 0; i < big.length; i++) big[i] = i % 7 === 0 ? (i * 13) & 255 : (i >> 10) & 255
  for (const o of opts) assert.deepEqual(inflate(u8(zlib.deflateSync(big, o))), big)
  // Skewed symbol frequencies give Huffman codes longer than the decoder's first-level table (up to 15 bits).
  const skewed = new Uint8Array(200_000)
  for (let i = 0, k = 0; k < 18; k++) {
    const n = Math.max(1, Math.floor(100_000 / 2 ** k))
    for (let j = 0; j < n && i < skewed.length; j++) skewed[(i++ * 7919) % skewed.length] = k * 13
  }
  for (let i = 0; i < skewed.length; i++) if (i % 3 === 0) skewed[i] = (i * 2654435761) >>> 24
  for (const o of opts) assert.deepEqual(inflate(u8(zlib.deflateSync(skewed, o))), skewed)
  // Flushes in the middle produce empty stored blocks and non-final blocks.
  const d = zlib.createDeflate()
  const chunks: Buffer[] = []
  d.on('data', (c: Buffer) => chunks.push(c))
  d.write(SIG)
  d.flush(zlib.constants.Z_FULL_FLUSH, () => {})
  d.end(SIG)
  return new Promise<void>((resolve) =>
    d.on('end', () => {
      assert.deepEqual(inflate(u8(Buffer.concat(chunks))), new Uint8Array(Buffer.concat([SIG, SIG])))
      resolve()
    }),
  )
})

test('raw deflate and gzip are rejected with reason "header"', () => {
  fc.assert(
    fc.property(anyData, fc.constantFrom(0, 1, 6, 9), (x, level) => {
      throwsZlib(() => zlibDecompress(u8(zlib.deflateRawSync(x, { level })), MAX), 'header')
      throwsZlib(() => zlibDecompress(u8(zlib.gzipSync(x, { level })), MAX), 'header')
    }),
    { numRuns: 300 },
  )
  // Header details: CM must be 8, CINFO <= 7, FCHECK valid, no preset dictionary.
  throwsZlib(() => zlibDecompress(new Uint8Array([0x79, 0x9c, 3, 0, 0, 0, 0, 1]), MAX), 'header')
  throwsZlib(() => zlibDecompress(new Uint8Array([0x88, 0x98, 3, 0, 0, 0, 0, 1]), MAX), 'header')
  throwsZlib(() => zlibDecompress(new Uint8Array([0x78, 0x9d, 3, 0, 0, 0, 0, 1]), MAX), 'header')
  throwsZlib(() => zlibDecompress(new Uint8Array([0x78, 0xbb, 0, 0, 0, 1, 3, 0, 0, 0, 0, 1]), MAX), 'header')
  throwsZlib(() => zlibDecompress(u8(zlib.deflateSync(SIG, { dictionary: Buffer.from('TLS') })), MAX), 'header')
  assert.deepEqual(inflate(new Uint8Array([0x78, 0x9c, 3, 0, 0, 0, 0, 1])), new Uint8Array(0))
})

test('every truncation of a valid stream is rejected', () => {
  const streams = [zlibCompress(SIG), u8(zlib.deflateSync(SIG)), u8(zlib.deflateSync(SIG, { level: 0 })), u8(zlib.deflateSync(Buffer.concat([SIG, SIG, Buffer.alloc(300, 'x')]), { level: 9 }))]
  for (const z of streams) {
    for (let cut = 0; cut < z.length; cut++) {
      const e = throwsZlib(() => zlibDecompress(z.subarray(0, cut), MAX))
      assert.ok(e.reason === 'truncated', `cut ${cut}/${z.length}: ${e.reason}`)
    }
  }
  fc.assert(
    fc.property(anyData, fc.nat(), fc.boolean(), (x, c, ours) => {
      const z = ours ? zlibCompress(x) : u8(zlib.deflateSync(x))
      const cut = c % z.length
      const e = throwsZlib(() => zlibDecompress(z.subarray(0, cut), MAX))
      assert.equal(e.reason, 'truncated')
    }),
    { numRuns: 500 },
  )
})

test('a wrong Adler-32 fails with reason "checksum"', () => {
  fc.assert(
    fc.property(anyData, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 255 }), (x, back, flip) => {
      const z = zlibCompress(x).slice()
      z[z.length - back]! ^= flip
      throwsZlib(() => zlibDecompress(z, MAX), 'checksum')
    }),
    { numRuns: 300 },
  )
})

test('random garbage only ever throws ZlibError', () => {
  const prefixed = fc.tuple(fc.constantFrom(0x789c, 0x7801, 0x78da, 0x085d), fc.uint8Array({ maxLength: 400 })).map(([h, b]) => {
    const r = new Uint8Array(b.length + 2)
    r[0] = h >> 8
    r[1] = h & 255
    r.set(b, 2)
    return r
  })
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }), prefixed), (g) => {
      try {
        const { output } = zlibDecompress(g, 100_000)
        assert.ok(output.length <= 100_000)
      } catch (e) {
        assert.ok(e instanceof ZlibError, String(e))
      }
    }),
    { numRuns: 5000 },
  )
  // Bit flips in valid streams: ZlibError or (rarely) a different valid stream.
  fc.assert(
    fc.property(anyData, fc.nat(), fc.integer({ min: 0, max: 7 }), fc.boolean(), (x, at, bit, ours) => {
      const z = (ours ? zlibCompress(x) : u8(zlib.deflateSync(x))).slice()
      z[at % z.length]! ^= 1 << bit
      try {
        zlibDecompress(z, MAX)
      } catch (e) {
        assert.ok(e instanceof ZlibError, String(e))
      }
    }),
    { numRuns: 1000 },
  )
})

test('distances before the start of the output are rejected', () => {
  // Fixed block: length symbol 257 (length 3, code 0000001), distance code 0 (distance 1) with no output yet.
  // Bits LSB first: BFINAL 1, BTYPE 01, then 0000001 reversed per Huffman order (sent MSB first), then 00000.
  const bits = [1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
  const body = new Uint8Array(3)
  bits.forEach((b, i) => (body[i >> 3]! |= b << (i & 7)))
  throwsZlib(() => zlibDecompress(new Uint8Array([0x78, 0x9c, ...body, 0, 0, 0, 1]), MAX), 'corrupt')
  // Invalid block type 3.
  throwsZlib(() => zlibDecompress(new Uint8Array([0x78, 0x9c, 0x07, 0, 0, 0, 0, 1]), MAX), 'corrupt')
  // Stored block with a bad NLEN.
  throwsZlib(() => zlibDecompress(new Uint8Array([0x78, 0x01, 0x01, 0x01, 0x00, 0xfe, 0xfe, 0x41, 0, 0x42, 0, 0x42]), MAX), 'corrupt')
})

test('trailing bytes after the stream are ignored and consumed is exact', () => {
  fc.assert(
    fc.property(anyData, fc.uint8Array({ minLength: 1, maxLength: 50 }), fc.boolean(), (x, extra, ours) => {
      const z = ours ? zlibCompress(x) : u8(zlib.deflateSync(x))
      const withTail = new Uint8Array(z.length + extra.length)
      withTail.set(z)
      withTail.set(extra, z.length)
      const { output, consumed } = zlibDecompress(withTail, MAX)
      assert.deepEqual(output, x)
      assert.equal(consumed, z.length)
    }),
    { numRuns: 300 },
  )
  const z = u8(zlib.deflateSync(SIG))
  assert.equal(zlibDecompress(new Uint8Array([...z, 0x0a]), MAX).consumed, z.length)
})

test('output cap: exactly maxOutput succeeds, maxOutput + 1 fails with "too-large"', () => {
  fc.assert(
    fc.property(anyData, fc.boolean(), (x, ours) => {
      const z = ours ? zlibCompress(x) : u8(zlib.deflateSync(x))
      assert.deepEqual(zlibDecompress(z, x.length).output, x)
      if (x.length > 0) throwsZlib(() => zlibDecompress(z, x.length - 1), 'too-large')
    }),
    { numRuns: 500 },
  )
  for (const n of [0, 1, 1000, 16384, 16385, 65536, 65537, 200_000]) {
    const x = new Uint8Array(n).fill(97)
    for (const z of [zlibCompress(x), u8(zlib.deflateSync(x)), u8(zlib.deflateSync(x, { level: 0 }))]) {
      assert.equal(zlibDecompress(z, n).output.length, n)
      if (n > 0) throwsZlib(() => zlibDecompress(z, n - 1), 'too-large')
    }
  }
  assert.throws(() => zlibDecompress(zlibCompress(SIG), Number.NaN), RangeError)
})

test('a 100 MB deflate bomb is rejected quickly with bounded memory', () => {
  const bomb = u8(zlib.deflateSync(new Uint8Array(100 * 1024 * 1024)))
  ;(globalThis as { gc?: () => void }).gc?.()
  const before = process.memoryUsage().arrayBuffers
  const t0 = performance.now()
  let peak = 0
  for (let i = 0; i < 5; i++) {
    throwsZlib(() => zlibDecompress(bomb, 65536), 'too-large')
    peak = Math.max(peak, process.memoryUsage().arrayBuffers - before)
  }
  const ms = performance.now() - t0
  assert.ok(ms < 500, `took ${ms} ms`)
  assert.ok(peak < 8 * 1024 * 1024, `arrayBuffers grew by ${peak}`)
})

test('the output does not alias internal buffers', () => {
  const a = inflate(zlibCompress(utf8('first')))
  const b = inflate(zlibCompress(utf8('second')))
  assert.deepEqual(a, utf8('first'))
  assert.deepEqual(b, utf8('second'))
  const za = zlibCompress(utf8('first'))
  zlibCompress(utf8('something else entirely'))
  assert.deepEqual(inflate(za), utf8('first'))
})
