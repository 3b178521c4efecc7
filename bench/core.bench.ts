/**
 * `npm run bench`: the core against the official `tls-sig-api-v2` package and a Node-built-ins baseline, in one process.
 * Prints ops/s and ratios. Single thread; each case is warmed up, then timed over several rounds (median reported).
 * Environment: BENCH_MS (time per round, default 300), BENCH_ROUNDS (default 7).
 */
import { createRequire } from 'node:module'
import { createHmac, timingSafeEqual } from 'node:crypto'
import { inflateSync } from 'node:zlib'
import { gzipSync } from 'node:zlib'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createSigner, createVerifier, verifyUserSig, decodeUserSig } from 'usersig'

const require = createRequire(import.meta.url)
const Official = require('tls-sig-api-v2') as { Api: new (a: number, k: string) => any }

const MS = Number(process.env.BENCH_MS ?? 300)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7)
const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
const APP = 1400000000
// A realistic clock (2025-11): round times such as 1700000000 compress unusually well and make Node's zlib pick fixed
// Huffman blocks; real tokens mostly carry dynamic blocks, which cost more to decode.
const NOW = 1763900000 + 12345

let sink = 0
function rate(fn: (i: number) => unknown, ms: number): number {
  let n = 0
  const t0 = performance.now()
  const end = t0 + ms
  while (performance.now() < end) {
    for (let j = 0; j < 200; j++) sink ^= (fn(n++) as any)?.length ?? 1
  }
  return n / ((performance.now() - t0) / 1000)
}
const median = (a: number[]) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)]!
const fmt = (name: string, r: number) => console.log(`  ${name.padEnd(72)} ${Math.round(r).toLocaleString('en-US').padStart(10)} ops/s  ${(1e6 / r).toFixed(2).padStart(7)} µs`)

const ratios: [string, number, number][] = []
/**
 * Baseline and ours run in alternating rounds, so both see the same machine load; the ratio is the median of the
 * per-round ratios (robust against a busy machine), the ops/s are medians too.
 */
function compare(title: string, target: number, oursName: string, ours: (i: number) => unknown, baseName: string, base: (i: number) => unknown) {
  console.log(`\n${title}`)
  for (let i = 0; i < 3000; i++) { sink ^= (ours(i) as any)?.length ?? 1; sink ^= (base(i) as any)?.length ?? 1 }
  const ro: number[] = [], rb: number[] = [], rr: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    const b = rate(base, MS)
    const o = rate(ours, MS)
    rb.push(b); ro.push(o); rr.push(o / b)
  }
  fmt(baseName, median(rb))
  fmt(oursName, median(ro))
  ratios.push([title, median(rr), target])
}

const users = Array.from({ length: 256 }, (_, i) => `user_${i}_${(i * 7919).toString(36)}`)
const signer = createSigner({ sdkAppId: APP, secretKey: KEY })
const official = new Official.Api(APP, KEY)

compare('UserSig signing', 6, 'usersig signer.userSig', (i) => signer.userSig(users[i & 255]!, { expiresIn: 86400, now: NOW + (i & 1023) }),
  'official tls-sig-api-v2 genUserSig', (i) => official.genUserSig(users[i & 255]!, 86400))

compare('PrivateMapKey signing', 6, 'usersig signer.privateMapKey', (i) => signer.privateMapKey(users[i & 255]!, { roomId: 1000 + (i & 1023), privileges: 255, expiresIn: 300, now: NOW }),
  'official tls-sig-api-v2 genPrivateMapKey', (i) => official.genPrivateMapKey(users[i & 255]!, 300, 1000 + (i & 1023), 255))

// Verification: valid tokens from the official package (level-6 zlib), one key.
const tokens = users.map((u, i) => { const d = Date.now; Date.now = () => (NOW - i * 37) * 1000; try { return official.genUserSig(u, 86400) as string } finally { Date.now = d } })
function baselineDecode(t: string): any {
  const b = Buffer.from(t.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '='), 'base64')
  return JSON.parse(inflateSync(b, { maxOutputLength: 65536 }).toString('utf8'))
}
function baselineVerify(t: string, userId: string): boolean {
  const j = baselineDecode(t)
  if (j['TLS.identifier'] !== userId || j['TLS.sdkappid'] !== APP || NOW > j['TLS.time'] + j['TLS.expire']) return false
  const content = `TLS.identifier:${j['TLS.identifier']}\nTLS.sdkappid:${j['TLS.sdkappid']}\nTLS.time:${j['TLS.time']}\nTLS.expire:${j['TLS.expire']}\n`
  const mac = createHmac('sha256', KEY).update(content).digest()
  const sig = Buffer.from(j['TLS.sig'], 'base64')
  return sig.length === 32 && timingSafeEqual(mac, sig)
}
for (let i = 0; i < 256; i++) {
  if (!baselineVerify(tokens[i]!, users[i]!)) throw new Error('baseline verify failed')
  if (!verifyUserSig(tokens[i]!, { sdkAppId: APP, userId: users[i]!, secretKey: KEY, now: NOW }).ok) throw new Error('verify failed')
}
// A service holds a verifier (its key prepared once), as it holds a signer.
const verifier = createVerifier({ sdkAppId: APP, secretKey: KEY })
compare('verify (valid token, one key, createVerifier)', 2, 'usersig verifier.verify', (i) => verifier.verify(tokens[i & 255]!, { userId: users[i & 255]!, now: NOW }).ok ? 'ok' : '',
  'node built-ins: inflateSync + JSON.parse + createHmac + timingSafeEqual', (i) => baselineVerify(tokens[i & 255]!, users[i & 255]!) ? 'ok' : '')
// The one-shot form prepares the key on every call (no hidden cache of secrets). Reported, no target.
compare('verifyUserSig one-shot (key prepared per call)', 0, 'usersig verifyUserSig', (i) => verifyUserSig(tokens[i & 255]!, { sdkAppId: APP, userId: users[i & 255]!, secretKey: KEY, now: NOW }).ok ? 'ok' : '',
  'node built-ins: inflateSync + JSON.parse + createHmac + timingSafeEqual', (i) => baselineVerify(tokens[i & 255]!, users[i & 255]!) ? 'ok' : '')

// The same check on tokens from usersig's own signer (what a service sees when it verifies what it issued): these
// carry fixed-Huffman blocks, cheaper to inflate than the dynamic blocks of Node's zlib. Reported, no target.
const ownTokens = users.map((u, i) => signer.userSig(u, { expiresIn: 86400, now: NOW - i * 37 }))
compare('verify (tokens from usersig, createVerifier)', 0, 'usersig verifier.verify', (i) => verifier.verify(ownTokens[i & 255]!, { userId: users[i & 255]!, now: NOW }).ok ? 'ok' : '',
  'node built-ins: inflateSync + JSON.parse + createHmac + timingSafeEqual', (i) => baselineVerify(ownTokens[i & 255]!, users[i & 255]!) ? 'ok' : '')

compare('decodeUserSig', 2, 'usersig decodeUserSig', (i) => decodeUserSig(tokens[i & 255]!).identifier,
  'node built-ins: base64 + inflateSync + JSON.parse', (i) => baselineDecode(tokens[i & 255]!)['TLS.identifier'])

// Sizes.
console.log('\nSizes (esbuild --minify, then gzip -9)')
const { SIZE_TARGETS, measure } = (await import('../scripts/core-size.mjs')) as {
  SIZE_TARGETS: { label: string; names: string[]; maxGzip: number }[]
  measure(names: string[], from?: string): Promise<{ min: number; gzip: number; noble: string[] }>
}
const line = (label: string, m: { min: number; gzip: number; noble: string[] }, note: string) =>
  console.log(`  ${label.padEnd(58)} ${String(m.min).padStart(8)} B min  ${String(m.gzip).padStart(7)} B gzip  ${note}`)
line('usersig: createSigner only (sign path)', await measure(['createSigner']), '')
for (const t of SIZE_TARGETS) {
  const m = await measure(t.names)
  line(`usersig: ${t.label}`, m, `(target ≤ ${t.maxGzip}: ${m.gzip <= t.maxGzip ? 'met' : 'NOT MET'}; @noble modules: ${m.noble.length})`)
}
line('usersig/legacy: createLegacySigner + legacyPublicKey', await measure(['createLegacySigner', 'legacyPublicKey'], 'usersig/legacy'), '')
const testsig = fileURLToPath(new URL('../packages/console/dist/testsig/usersig-testsig.mjs', import.meta.url))
if (existsSync(testsig)) {
  const { readFileSync } = await import('node:fs')
  const code = readFileSync(testsig)
  console.log(`  ${'browser test-sig module (packages/console/dist/testsig)'.padEnd(58)} ${String(code.length).padStart(8)} B min  ${String(gzipSync(code, { level: 9 }).length).padStart(7)} B gzip  (limit 8192)`)
}

console.log('\nRatios (usersig ÷ baseline, same run)')
for (const [t, r, target] of ratios) console.log(`  ${t.padEnd(48)} ${r.toFixed(2).padStart(6)}×   ${target ? `target ≥ ${target}×  ${r >= target ? 'met' : 'NOT MET'}` : '(no target)'}`)
if (sink === 0.5) console.log(sink)
