/**
 * Micro-benchmarks of the core primitives against node:crypto / node:zlib.
 * Run: npm run bench:primitives   (from the repository root; BENCH_MS sets the time per measurement, default 700)
 */
import { createHmac } from 'node:crypto'
import zlib from 'node:zlib'
import { HmacSha256Key } from '../src/_sha256.js'
import { zlibCompress } from '../src/_deflate.js'
import { zlibDecompress } from '../src/_inflate.js'
import { signedToken } from '../src/_payload.js'

const JSON_SIG =
  '{"TLS.ver":"2.0","TLS.identifier":"xiaojun","TLS.sdkappid":1400000000,"TLS.time":1700000000,"TLS.expire":15552000,"TLS.sig":"LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4="}'
const json = new Uint8Array(Buffer.from(JSON_SIG))
const keyString = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
const key = new Uint8Array(Buffer.from(keyString))
// The v2 content string for the vector above is ~90 bytes.
const msg = new Uint8Array(
  Buffer.from('TLS.identifier:xiaojun\nTLS.sdkappid:1400000000\nTLS.time:1700000000\nTLS.expire:15552000\n'),
)
const nodeDeflated = new Uint8Array(zlib.deflateSync(json))

let sink = 0

/** Runs `fn` in batches for about `ms` milliseconds after a warm-up and returns ops/s (best of 3 rounds). */
function bench(fn: () => unknown, ms = Number(process.env.BENCH_MS ?? 700)): number {
  for (let i = 0; i < 20_000; i++) fn()
  let best = 0
  for (let round = 0; round < 3; round++) {
    let n = 0
    const t0 = performance.now()
    let t = t0
    while (t - t0 < ms / 3) {
      for (let i = 0; i < 1000; i++) fn()
      n += 1000
      t = performance.now()
    }
    best = Math.max(best, (n * 1000) / (t - t0))
  }
  return best
}

const fmt = (ops: number): string => `${(ops / 1e6).toFixed(2).padStart(6)} M ops/s  ${(1e6 / ops).toFixed(3).padStart(7)} µs/op`

function compare(label: string, ours: () => unknown, theirs: () => unknown, theirLabel: string): void {
  const a = bench(ours)
  const b = bench(theirs)
  console.log(`${label.padEnd(34)} ${fmt(a)}`)
  console.log(`${theirLabel.padEnd(34)} ${fmt(b)}`)
  console.log(`${''.padEnd(34)} ratio ours/theirs: ${(a / b).toFixed(2)}x\n`)
}

const hk = new HmacSha256Key(key)
const macOut = new Uint8Array(32)
console.log(`Node ${process.version}, message ${msg.length} B, JSON ${json.length} B, node deflate ${nodeDeflated.length} B, ours ${zlibCompress(json).length} B\n`)

compare(
  'hmac (precomputed key, macInto)',
  () => hk.macInto(msg, macOut, 0),
  () => createHmac('sha256', key).update(msg).digest(),
  'node:crypto createHmac',
)
compare('hmac (precomputed key, mac)', () => hk.mac(msg), () => createHmac('sha256', key).update(msg).digest(), 'node:crypto createHmac')
compare(
  'zlibCompress',
  () => (sink += zlibCompress(json).length),
  () => (sink += zlib.deflateSync(json).length),
  'zlib.deflateSync',
)
compare(
  'signedToken (one-pass writer)',
  () => (sink += signedToken(hk, 'xiaojun', 1400000000, 1700000000, 15552000, null, 0).length),
  () => (sink += zlib.deflateSync(json).toString('base64').length + createHmac('sha256', key).update(msg).digest().length),
  'createHmac + deflateSync + base64',
)
compare(
  'zlibDecompress (node bytes)',
  () => (sink += zlibDecompress(nodeDeflated, 65536).output.length),
  () => (sink += zlib.inflateSync(nodeDeflated).length),
  'zlib.inflateSync',
)
const scratch = new Uint8Array(16384)
compare(
  'zlibDecompress (reused buffer)',
  () => (sink += zlibDecompress(nodeDeflated, 65536, nodeDeflated.length, scratch).length),
  () => (sink += zlib.inflateSync(nodeDeflated).length),
  'zlib.inflateSync',
)
if (sink === 42) console.log('')
