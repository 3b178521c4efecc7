/**
 * The payload's member bound (docs/spec/decisions.md: at most 1024 members and array elements) holds before JSON.parse
 * runs, also when a caller raises maxDecompressedBytes: a small token that inflates to millions of members is refused
 * by the byte scan. Timing guard: test/json-bound.slow.test.ts.
 */
import test from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { deflateSync } from 'node:zlib'
import { decodeUserSig, UserSigError } from '../src/index.js'
import { tencentBase64Encode } from '../src/_base64.js'
import { readJsonObject } from '../src/_json.js'
import { signedJson } from './_crafted.js'

const CAP = 16 << 20

/** A token of these JSON bytes, compressed hard (so that megabytes of repeats are a few KB). */
function bomb(json: string): string {
  return tencentBase64Encode(new Uint8Array(deflateSync(Buffer.from(json), { level: 9 })))
}

/** Runs `fn` with JSON.parse counted; returns the count. */
function parses(fn: () => void): number {
  const parse = JSON.parse
  let n = 0
  JSON.parse = ((text: string, reviver?: Parameters<typeof parse>[1]) => {
    n++
    return parse(text, reviver)
  }) as typeof JSON.parse
  try {
    fn()
  } finally {
    JSON.parse = parse
  }
  return n
}

/** The members and array elements of a JSON value, counted on the parsed value. */
function members(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0
  if (Array.isArray(v)) return v.length + v.reduce((s: number, x) => s + members(x), 0)
  return Object.values(v).reduce((s: number, x) => s + 1 + members(x), 0)
}

test('1.5 million duplicate members under a 16 MiB cap: MALFORMED json, and JSON.parse never runs', () => {
  const token = bomb(signedJson('alice', { extra: ',"a":0'.repeat(1_500_000) }))
  assert.ok(token.length < 40_000, `${token.length} characters`)
  const n = parses(() => {
    assert.throws(() => decodeUserSig(token, { maxDecompressedBytes: CAP }), (e: unknown) =>
      e instanceof UserSigError && e.code === 'MALFORMED' && e.stage === 'json' && /more than 1024 members/.test(e.message))
  })
  assert.equal(n, 0)
})

test('a million array elements, and a million nested empty arrays, under a 16 MiB cap: refused before JSON.parse', () => {
  for (const extra of [',"a":[' + '0,'.repeat(1_000_000) + '0]', ',"a":[' + '[],'.repeat(1_000_000) + '[]]', ',"a":[' + '[ ],'.repeat(1_000_000) + '[]]']) {
    const token = bomb(signedJson('alice', { extra }))
    const n = parses(() => {
      assert.throws(() => decodeUserSig(token, { maxDecompressedBytes: CAP }), (e: unknown) => e instanceof UserSigError && e.stage === 'json' && /more than 1024 members/.test(e.message))
    })
    assert.equal(n, 0)
  }
})

test('the bound counts members and elements exactly as the parsed value has them: 1024 read, 1025 refused', () => {
  const bytes = (s: string) => new Uint8Array(Buffer.from(s))
  const shapes: ((k: number) => string)[] = [
    (k) => '{' + Array.from({ length: k }, (_, i) => `"m${i}":0`).join(',') + '}',
    (k) => '{"a":[' + Array.from({ length: k - 1 }, () => '0').join(',') + ']}',
    (k) => '{"a":[' + Array.from({ length: k - 1 }, () => '[ ]').join(' , ') + ']}',
    (k) => '{"a":[' + Array.from({ length: (k - 1) >> 1 }, (_, i) => `{"x${i}":"[,:]"}`).join(',') + ((k - 1) & 1 ? ',[]' : '') + ']}',
  ]
  for (const shape of shapes) {
    for (const k of [1023, 1024]) {
      const text = shape(k)
      assert.equal(members(JSON.parse(text)), k)
      assert.doesNotThrow(() => readJsonObject(bytes(text), text.length), `${k}: ${text.slice(0, 40)}`)
    }
    const over = shape(1025)
    assert.equal(members(JSON.parse(over)), 1025)
    assert.throws(() => readJsonObject(bytes(over), over.length), /more than 1024 members/)
  }
  // Any JSON object: read iff it has at most 1024 members and elements (no duplicate keys in fast-check's objects).
  fc.assert(fc.property(fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 40 }), fc.nat(1100), (o, pad) => {
    const text = JSON.stringify({ ...o, pad: new Array(pad).fill(0) })
    const b = bytes(text)
    let ok = true
    try { readJsonObject(b, b.length) } catch (e) { ok = false; if (!/more than 1024 members/.test((e as Error).message)) return }
    assert.equal(ok, members(JSON.parse(text)) <= 1024)
  }), { numRuns: 300 })
})
