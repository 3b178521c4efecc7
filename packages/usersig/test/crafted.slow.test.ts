/**
 * Timing guards for crafted input (issue 12 §5), kept out of `npm test`: run with `npm run test:slow`. Limits are
 * generous (a loaded 2-core machine) and still far below what the quadratic versions took (seconds to minutes).
 */
import test from 'node:test'
import assert from 'node:assert/strict'
import { explainUserSig, keyFingerprint, verifyUserSig, createSigner } from '../src/index.js'
import { MAX_PEM_LENGTH } from '../src/_pem.js'

function timed(label: string, limitMs: number, fn: () => unknown): void {
  fn() // warm
  const t0 = performance.now()
  fn()
  const ms = performance.now() - t0
  assert.ok(ms < limitMs, `${label}: ${ms.toFixed(1)} ms (limit ${limitMs} ms)`)
}

test("explainUserSig on 'A' + '_' × 80000 (was 3.8 s)", () => timed('80k', 250, () => explainUserSig('A' + '_'.repeat(80000))))
test("explainUserSig on 1 MiB of 'A' + '_' (would take minutes)", () => timed('1 MiB', 1000, () => explainUserSig('A' + '_'.repeat((1 << 20) - 1))))
test('explainUserSig on 1 MiB of mixed shapes', () => timed('mixed', 1000, () => explainUserSig(('_%2A-eyJ.' + '_'.repeat(50)).repeat(15000).slice(0, 1 << 20))))
test("explainUserSig on 1 MiB of '-' (was 205–291 ms: a whole base64url decode before the zlib header)", () => timed('1 MiB -', 250, () => explainUserSig('-'.repeat(1 << 20))))
test("explainUserSig on 1 MiB of '_a' (was 192–243 ms)", () => timed('1 MiB _a', 250, () => explainUserSig('_a'.repeat(1 << 19))))
test('keyFingerprint on PEM text of many BEGIN lines up to the bound (was 35 s for 60k lines)', () => {
  const line = '-----BEGIN PUBLIC KEY-----\n'
  const text = line.repeat(Math.floor(MAX_PEM_LENGTH / line.length))
  timed('BEGIN lines', 1000, () => keyFingerprint(text))
  timed('over the bound', 50, () => { try { keyFingerprint(line.repeat(60000)) } catch { /* RangeError */ } })
})
test('verifyUserSig with a 1 MB expected userId', () => {
  const tok = createSigner({ sdkAppId: 1, secretKey: 'k'.repeat(64) }).userSig('alice', { now: 1700000000 })
  timed('1 MB userId', 100, () => verifyUserSig(tok, { sdkAppId: 1, userId: 'x'.repeat(1 << 20), secretKey: 'k'.repeat(64), now: 1700000000 }))
})
