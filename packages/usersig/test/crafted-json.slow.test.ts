/**
 * Complexity guards for crafted payloads (`npm run test:slow`; not part of `npm test`, which never asserts on time).
 * Each guard compares the time of an input with the time of one four times its size, in the same process, so it
 * checks growth rather than a machine's speed (linear: 4x, quadratic: 16x; the bound is 8x, with a floor for timer
 * noise on a shared machine); a generous absolute ceiling catches anything pathological.
 */
import test from 'node:test'
import assert from 'node:assert/strict'
import { decodeUserSig, explainUserSig, verifyUserSig } from '../src/index.js'
import { readJsonObject } from '../src/_json.js'
import { KEY, signedJson, tokenOf } from './_crafted.js'

/** Fastest milliseconds of `fn` over `runs` runs (the least disturbed by other processes). */
function ms(fn: () => unknown, runs = 7): number {
  let best = Infinity
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    fn()
    best = Math.min(best, performance.now() - t0)
  }
  return best
}

/** `make(4n)` takes less than 8 times as long as `make(n)`. */
function linear(label: string, make: (n: number) => () => unknown, n: number): void {
  make(n)() // warm up
  const a = ms(make(n))
  const b = ms(make(4 * n))
  assert.ok(b < Math.max(8 * a, 20), `${label}: ${a.toFixed(2)} ms for n, ${b.toFixed(2)} ms for 4n`)
}

const bytes = (s: string) => new TextEncoder().encode(s)
const read = (b: Uint8Array) => () => { try { readJsonObject(b, b.length) } catch { /* refused */ } }

test('the JSON reader is linear in members, duplicates, strings, escapes and nesting', () => {
  const keys = (n: number) => '{' + Array.from({ length: n }, (_, i) => `"k${i}":0`).join(',') + '}'
  linear('distinct keys up to the bound', (n) => read(bytes(keys(n))), 500)
  linear('members past the bound', (n) => read(bytes(keys(n * 20))), 500)
  linear('a duplicate at the end', (n) => read(bytes(keys(n).slice(0, -1) + ',"k0":1}')), 500)
  linear('a long string', (n) => read(bytes(`{"a":"${'x'.repeat(n)}"}`)), 200_000)
  linear('a long non-ASCII string', (n) => read(bytes(`{"a":"${'中'.repeat(n)}"}`)), 100_000)
  linear('many escapes', (n) => read(bytes(`{"a":"${'\\n\\u00e9'.repeat(n)}"}`)), 50_000)
  linear('many surrogate pairs', (n) => read(bytes(`{"a":"${'\\ud83d\\ude00'.repeat(n)}"}`)), 50_000)
  linear('long numbers', (n) => read(bytes(`{"a":${'9'.repeat(n)}}`)), 100_000)
  linear('deep nesting, refused', (n) => read(bytes('['.repeat(n) + ']'.repeat(n))), 100_000)
})

test('decode, verify and explain of the 8,700-member token stay fast', () => {
  const chars = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).filter((c) => c !== '"' && c !== '\\')
  const many = (n: number) => Array.from({ length: n }, (_, i) => `,"${chars[Math.floor(i / chars.length)]}${chars[i % chars.length]}":0`).join('')
  const tok = tokenOf(signedJson('alice', { extra: many(8700) }))
  const opts = { sdkAppId: 1400000000, userId: 'alice', secretKey: KEY, now: 1700000010 }
  for (const [label, fn] of [
    ['decode', () => { try { decodeUserSig(tok) } catch { /* MALFORMED */ } }],
    ['verify', () => verifyUserSig(tok, opts)],
    ['explain', () => explainUserSig(tok, opts)],
  ] as const) {
    const t = ms(fn)
    // Was 350-500 ms before the member bound and the linear duplicate check; about 1 ms now.
    assert.ok(t < 50, `${label}: ${t.toFixed(2)} ms`)
  }
})
