/**
 * Timing guard for the payload's member bound under a raised maxDecompressedBytes (issue 12 §5), kept out of
 * `npm test`: run with `npm run test:slow`. The limit is generous (a loaded 2-core machine): before the bound was
 * counted in the byte scan, JSON.parse took 341–611 ms over the 1.5 million members of this 17.7 KB token.
 */
import test from 'node:test'
import assert from 'node:assert/strict'
import { deflateSync } from 'node:zlib'
import { decodeUserSig, verifyUserSig } from '../src/index.js'
import { tencentBase64Encode } from '../src/_base64.js'
import { zlibDecompress } from '../src/_inflate.js'
import { APP, KEY, NOW, signedJson } from './_crafted.js'

const CAP = 16 << 20

test('1.5 million duplicate members under a 16 MiB cap are refused in well under the time JSON.parse took', () => {
  const z = new Uint8Array(deflateSync(Buffer.from(signedJson('alice', { extra: ',"a":0'.repeat(1_500_000) })), { level: 9 }))
  const token = tencentBase64Encode(z)
  const time = (fn: () => unknown): number => {
    fn() // warm
    const t0 = performance.now()
    fn()
    return performance.now() - t0
  }
  // Inflating the 9 MB stream is the part no bound can skip (the cap is the caller's); the rest is the byte scan up to
  // member 1025. The limit is relative to the inflate, so that machine load moves both.
  const inflate = time(() => zlibDecompress(z, CAP))
  const limit = 2 * inflate + 100
  const decode = time(() => { try { decodeUserSig(token, { maxDecompressedBytes: CAP }) } catch { /* MALFORMED: test/json-bound.test.ts */ } })
  const verify = time(() => verifyUserSig(token, { sdkAppId: APP, userId: 'alice', secretKey: KEY, now: NOW, maxDecompressedBytes: CAP }))
  assert.ok(decode < limit && verify < limit, `decode ${decode.toFixed(1)} ms, verify ${verify.toFixed(1)} ms (limit ${limit.toFixed(0)} ms: twice the inflate alone, plus 100)`)
})
