/**
 * `npm run fuzz`: a longer fuzz campaign of decode / verify / explain than `npm test` runs, with a printed summary.
 *
 *   FUZZ_SECONDS (default 180)  how long to run
 *   FUZZ_SEED    (default: time) the seed, printed so a run can be repeated
 *
 * Kinds of input, each with the verdict it must get:
 *   valid     tokens from the signer (any identifier that is valid Unicode, PrivateMapKeys): verify ok, decode the same values
 *   token     a valid token with characters changed, inserted or removed: never valid with other values
 *   json      a correctly signed payload with a byte changed, inserted or removed: never valid with other values; when
 *             decode accepts, its fields equal JSON.parse of the payload
 *   crafted   the refused shapes of docs/spec/decisions.md and issue 12 §5 among random members: always MALFORMED
 *   random    random text, and random bytes compressed: never valid
 *   legacy    v1 (ECDSA) tokens signed with '\n', '\r' or U+2028 in a string field: with '\n' outside the userbuf
 *             always MALFORMED (it could pose as another signed line: docs/spec/verify.md §4), else valid for exactly
 *             the signed values
 *   explain-long  strings up to 1 MiB (runs of '-', '_a', '%2A', base64url-looking text) through explain, decode and
 *             verify: typed answers only; the slowest is reported
 *   pem       keyFingerprint on PEM-looking text (many BEGIN lines, large text, up to past its bound): a fingerprint, or
 *             a TypeError/RangeError; the slowest is reported
 * A crash is any exception from verify or explain, or anything but a UserSigError from decode. Exit status 1 when
 * there was a crash or a verdict mismatch.
 */
import { createHmac, createSign, generateKeyPairSync } from 'node:crypto'
import { createSigner, decodeUserSig, explainUserSig, keyFingerprint, verifyUserSig, UserSigError } from '../src/index.js'
import { legacyPublicKey } from '../src/legacy/index.js'
import { MAX_PEM_LENGTH } from '../src/_pem.js'
import { tencentBase64Encode } from '../src/_base64.js'
import { zlibCompress } from '../src/_deflate.js'

const SECONDS = Number(process.env.FUZZ_SECONDS ?? 180)
let seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) >>> 0 || 1
const SEED = seed
const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
const APP = 1400000000
const T = 1700000000

/** xorshift32: repeatable from the seed. */
function rnd(): number {
  seed ^= seed << 13
  seed ^= seed >>> 17
  seed ^= seed << 5
  return (seed >>> 0) / 2 ** 32
}
const int = (n: number): number => Math.floor(rnd() * n)
const pick = <X>(xs: readonly X[]): X => xs[int(xs.length)]!

const PIECES = ['a', 'Z', '0', ' ', '"', '\\', '\n', '\t', 'é', '中', '\u{1F600}', '\ud800', '\udc00', '\u0000', '\u2028', ':', ',', '{', '}', '[', ']']
function randomString(max: number): string {
  let s = ''
  for (let n = int(max + 1); n > 0; n--) s += rnd() < 0.7 ? String.fromCharCode(0x20 + int(95)) : pick(PIECES)
  return s
}
const wellFormed = (s: string): boolean => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s)

function randomJsonValue(depth: number): unknown {
  const k = int(depth > 2 ? 5 : 7)
  if (k === 0) return randomString(8).replace(/[\ud800-\udfff]/g, 'x')
  if (k === 1) return rnd() < 0.5 ? int(1e9) : (rnd() - 0.5) * 10 ** int(30)
  if (k === 2) return rnd() < 0.5
  if (k === 3) return null
  if (k === 4) return int(100)
  if (k === 5) return Array.from({ length: int(4) }, () => randomJsonValue(depth + 1))
  return Object.fromEntries(Array.from({ length: int(4) }, (_, i) => [`k${i}${randomString(3).replace(/[\ud800-\udfff]/g, '')}`, randomJsonValue(depth + 1)]))
}
const extraMembers = (): string => Array.from({ length: int(4) }, (_, i) => `,${JSON.stringify(`x${i}`)}:${JSON.stringify(randomJsonValue(1))}`).join('')

const sigFor = (id: string, time: number, expire: number): string =>
  createHmac('sha256', KEY).update(`TLS.identifier:${id}\nTLS.sdkappid:${APP}\nTLS.time:${time}\nTLS.expire:${expire}\n`).digest('base64')
const signedJson = (id: string, o: { time?: string; expire?: string; sig?: string; extra?: string; idJson?: string } = {}): string =>
  `{"TLS.ver":"2.0","TLS.identifier":${o.idJson ?? JSON.stringify(id)},"TLS.sdkappid":${APP},"TLS.time":${o.time ?? T},"TLS.expire":${o.expire ?? 86400},"TLS.sig":"${o.sig ?? sigFor(id, T, 86400)}"${o.extra ?? ''}}`
const tokenOf = (b: Uint8Array | string): string => tencentBase64Encode(zlibCompress(typeof b === 'string' ? new TextEncoder().encode(b) : b))

const signer = createSigner({ sdkAppId: APP, secretKey: KEY })

interface Case { kind: string; token: string; userId: string; expect: 'ok' | 'malformed' | 'not-other' | 'pem'; json?: string; legacy?: boolean }

function validCase(): Case {
  let id = randomString(16)
  if (!wellFormed(id) || id === '') id = `u${int(1e6)}`
  const pmk = rnd() < 0.3
  try {
    const token = pmk
      ? signer.privateMapKey(id, { roomId: 1 + int(1e6), privileges: int(256), expiresIn: 300, now: T, userIdPolicy: 'any' } as never)
      : signer.userSig(id, { expiresIn: 86400, now: T, userIdPolicy: 'any' } as never)
    return { kind: 'valid', token, userId: id, expect: 'ok' }
  } catch {
    return { kind: 'valid', token: signer.userSig('alice', { expiresIn: 86400, now: T }), userId: 'alice', expect: 'ok' }
  }
}

function tokenCase(): Case {
  const base = validCase()
  let t = base.token
  for (let n = 1 + int(3); n > 0; n--) {
    const at = int(t.length)
    const r = int(3)
    const ch = pick(['A', 'z', '*', '-', '_', '+', '/', '=', ' ', '\n', 'é', '0'])
    t = r === 0 ? t.slice(0, at) + ch + t.slice(at + 1) : r === 1 ? t.slice(0, at) + ch + t.slice(at) : t.slice(0, at) + t.slice(at + 1)
  }
  return { kind: 'token', token: t, userId: base.userId, expect: 'not-other' }
}

function jsonCase(): Case {
  const json = new TextEncoder().encode(signedJson('alice', { extra: extraMembers() }))
  const b = Array.from(json)
  for (let n = 1 + int(2); n > 0; n--) {
    const at = int(b.length)
    const r = int(3)
    const byte = rnd() < 0.5 ? pick([0x22, 0x5c, 0x2c, 0x3a, 0x7b, 0x7d, 0x5b, 0x5d, 0x2d, 0x2e, 0x65, 0x30, 0x20, 0xed, 0xc0, 0x80]) : int(256)
    if (r === 0) b[at] = byte
    else if (r === 1) b.splice(at, 0, byte)
    else b.splice(at, 1)
  }
  const bytes = Uint8Array.from(b)
  return { kind: 'json', token: tokenOf(bytes), userId: 'alice', expect: 'not-other', json: Buffer.from(bytes).toString('latin1') }
}

const A64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
function craftedCase(): Case {
  const sig = sigFor('alice', T, 86400)
  const shapes: (() => Parameters<typeof signedJson>[1])[] = [
    () => ({ extra: pick([',"x":"\\ud800"', ',"\\udfff":0', ',"x":["\\ud83d"]', ',"x":"\\ud800\\u0041"']) }),
    () => ({ extra: pick([',"x":{"a":1,"a":2}', ',"TLS.sig":"x"', ',"x":[{"b":[],"b":[]}]']) }),
    () => ({ extra: ',"x":' + '['.repeat(33 + int(100)) + ']'.repeat(33 + int(100)) }),
    () => ({ extra: Array.from({ length: 1019 + int(8000) }, (_, i) => `,"${i.toString(36)}":0`).join('') }),
    () => ({ time: pick(['-0', '1700000000.0', '17e8', '1.7E9', '9007199254740993']) }),
    () => ({ sig: sig.slice(0, 42) + A64[A64.indexOf(sig[42]!) | (1 + int(3))] + '=' }),
    () => ({ idJson: pick(['"alice\\udc00"', '"\\ud800alice"']) }),
  ]
  const o = pick(shapes)()
  const extra = extraMembers()
  return { kind: 'crafted', token: tokenOf(signedJson('alice', { ...o, extra: extra + (o?.extra ?? '') + extraMembers() })), userId: 'alice', expect: 'malformed' }
}

function randomCase(): Case {
  if (rnd() < 0.5) return { kind: 'random', token: randomString(300), userId: 'alice', expect: 'not-other' }
  const bytes = Uint8Array.from({ length: int(400) }, () => (rnd() < 0.5 ? int(256) : 0x20 + int(95)))
  return { kind: 'random', token: tokenOf(bytes), userId: 'alice', expect: 'not-other' }
}

// Legacy (v1): one P-256 key; tokens built by hand from docs/spec/format.md §3 (the library's own content builder is
// what is under test).
const EC = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
const EC_PUBLIC = legacyPublicKey(EC.publicKey.export({ type: 'spki', format: 'pem' }) as string)
const LINE_BREAKS = ['\n', '\r', '\u2028', '\r\n']

function legacyCase(): Case {
  const fields: Record<string, string> = {
    'TLS.account_type': '0', 'TLS.identifier': `u${int(1e6)}`, 'TLS.appid_at_3rd': '0', 'TLS.sdk_appid': String(APP),
    'TLS.expire_after': '86400', 'TLS.version': '201512300000', 'TLS.time': String(T),
  }
  const userBuf = rnd() < 0.3
  if (userBuf) fields['TLS.userbuf'] = Buffer.from(randomString(10)).toString('base64')
  // One to three breaks, each in a string field at a random place (the userbuf too: it is the last line, so any text
  // in it is unambiguous, but a break there is not base64).
  const names = ['TLS.identifier', 'TLS.identifier', 'TLS.account_type', 'TLS.appid_at_3rd', 'TLS.version', 'TLS.time', 'TLS.expire_after', ...(userBuf ? ['TLS.userbuf'] : [])]
  for (let n = 1 + int(3); n > 0; n--) {
    const name = pick(names)
    const v = fields[name]!
    const at = int(v.length + 1)
    fields[name] = v.slice(0, at) + pick(LINE_BREAKS) + v.slice(at)
  }
  let content = ''
  for (const k of ['TLS.appid_at_3rd', 'TLS.account_type', 'TLS.identifier', 'TLS.sdk_appid', 'TLS.time', 'TLS.expire_after', ...(userBuf ? ['TLS.userbuf'] : [])]) content += `${k}:${fields[k]}\n`
  fields['TLS.sig'] = createSign('SHA256').update(content).sign(EC.privateKey).toString('base64')
  const signedBreak = Object.entries(fields).some(([k, v]) => k !== 'TLS.userbuf' && k !== 'TLS.version' && k !== 'TLS.sig' && v.includes('\n'))
  // Valid only with the signed values as they are: numbers and userbuf with a break in them are not numbers or base64.
  const plain = !/[\r\n\u2028]/.test(fields['TLS.time']! + fields['TLS.expire_after']! + (fields['TLS.userbuf'] ?? ''))
  return {
    kind: 'legacy', token: tokenOf(JSON.stringify(fields)), userId: fields['TLS.identifier']!,
    expect: signedBreak ? 'malformed' : plain ? 'ok' : 'not-other', legacy: true,
  }
}

// Long strings for explain: the shapes its repairs and recognisers look for, in runs up to 1 MiB.
const LONG_PIECES = ['-', '_a', '%2A', '_', 'A', 'eyJ', '.', '%5F', '*']
function explainLongInput(): string {
  const size = Math.min(1 << 20, Math.floor(2 ** (10 + rnd() * 10.01)))
  if (rnd() < 0.3) {
    // base64url-looking text
    let t = ''
    const a = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const chunk = Array.from({ length: 4096 }, () => a[int(64)]).join('')
    while (t.length < size) t += chunk
    return t.slice(0, size)
  }
  const piece = pick(LONG_PIECES)
  const lead = rnd() < 0.5 ? 'A' : pick(['', 'eJ', 'Bearer ', '"', 'usersig='])
  return (lead + piece.repeat(Math.ceil(size / piece.length)) + (rnd() < 0.5 ? pick(['x', '%', '=', '}']) : '')).slice(0, size)
}

function pemInput(): string {
  const line = pick(['-----BEGIN PUBLIC KEY-----\n', '-----BEGIN EC PRIVATE KEY-----\r\n', '-----BEGIN ', '-----END PUBLIC KEY-----\n', 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n'])
  const n = Math.floor(2 ** (rnd() * 17))
  const text = line.repeat(n) + (rnd() < 0.5 ? (EC.publicKey.export({ type: 'spki', format: 'pem' }) as string) : '')
  return rnd() < 0.1 ? text.slice(0, MAX_PEM_LENGTH + int(3) - 1) : text
}

const makers = [validCase, tokenCase, jsonCase, craftedCase, randomCase, legacyCase, () => ({ kind: 'explain-long', token: explainLongInput(), userId: 'alice', expect: 'not-other' as const }), () => ({ kind: 'pem', token: pemInput(), userId: '', expect: 'pem' as const })]
const tried: Record<string, number> = {}
const crashes: string[] = []
const mismatches: string[] = []
let slowest = { ms: 0, kind: '', token: '' }
const slowestOf: Record<string, { ms: number; token: string }> = {}
const opts = (c: Case) => (c.legacy ? { sdkAppId: APP, userId: c.userId, publicKey: EC_PUBLIC, now: T + 10 } : { sdkAppId: APP, userId: c.userId, secretKey: KEY, now: T + 10 })
const short = (s: string) => (s.length > 120 ? `${s.slice(0, 120)}… (${s.length} chars)` : s)

/** This process's CPU milliseconds (waiting for a core on a shared machine does not count). */
function cpuMs(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

/** keyFingerprint on `text`: a fingerprint, or a TypeError or RangeError (the bound); anything else is a crash. */
function runPem(text: string): void {
  try {
    const id = keyFingerprint(text)
    if (!/^[0-9a-f]{8}$/.test(id)) mismatches.push(`pem: fingerprint ${id} for ${short(text)}`)
  } catch (e) {
    if (!(e instanceof TypeError || e instanceof RangeError)) crashes.push(`pem: keyFingerprint threw ${String(e)} for ${short(text)}`)
  }
}

function run(c: Case): void {
  tried[c.kind] = (tried[c.kind] ?? 0) + 1
  const t0 = cpuMs()
  if (c.expect === 'pem') {
    runPem(c.token)
    noteTime(c, cpuMs() - t0)
    return
  }
  let decoded: ReturnType<typeof decodeUserSig> | null = null
  try {
    decoded = decodeUserSig(c.token)
  } catch (e) {
    if (!(e instanceof UserSigError)) crashes.push(`${c.kind}: decode threw ${String(e)} for ${short(c.token)}`)
  }
  let ok = false
  try {
    const r = verifyUserSig(c.token, opts(c))
    ok = r.ok
    if (!r.ok && r.reason === 'MALFORMED' && decoded !== null) mismatches.push(`${c.kind}: decode accepts what verify calls MALFORMED: ${short(c.token)}`)
    if (decoded === null && r.ok) mismatches.push(`${c.kind}: verify accepts what decode refuses: ${short(c.token)}`)
    if (c.expect === 'malformed' && (r.ok || r.reason !== 'MALFORMED')) mismatches.push(`${c.kind}: verify says ${r.ok ? 'valid' : r.reason}, not MALFORMED: ${short(c.token)}`)
    explainUserSig(c.token, opts(c))
  } catch (e) {
    crashes.push(`${c.kind}: verify/explain threw ${String(e)} for ${short(c.token)}`)
  }
  noteTime(c, cpuMs() - t0)
  if (c.expect === 'ok' && !ok) mismatches.push(`${c.kind}: a signed token does not verify: ${short(c.token)}`)
  if (c.expect === 'malformed' && decoded !== null) mismatches.push(`${c.kind}: a refused shape was decoded: ${short(c.token)}`)
  if (c.expect === 'not-other' && ok && decoded !== null) {
    // Valid is only right for the same signed values (the lenient outer base64 allows other spellings of them).
    const sig = decoded.signature
    if (decoded.identifier !== c.userId || decoded.sdkAppId !== APP || sig !== Buffer.from(sig, 'base64').toString('base64')) {
      mismatches.push(`${c.kind}: valid for other values: ${short(c.token)}`)
    }
  }
  if (c.json !== undefined && decoded !== null) {
    let parsed: unknown
    try { parsed = JSON.parse(Buffer.from(c.json, 'latin1').toString('utf8')) } catch { parsed = undefined }
    if (parsed === undefined || JSON.stringify(parsed) !== JSON.stringify(decoded.fields)) mismatches.push(`${c.kind}: fields differ from JSON.parse: ${short(c.json)}`)
  }
}

function noteTime(c: Case, ms: number): void {
  if (ms > slowest.ms) slowest = { ms, kind: c.kind, token: short(c.token) }
  const k = slowestOf[c.kind]
  if (k === undefined || ms > k.ms) slowestOf[c.kind] = { ms, token: short(c.token) }
}

const end = performance.now() + SECONDS * 1000
let total = 0
while (performance.now() < end) {
  for (let i = 0; i < 50; i++) {
    run(makers[total % makers.length]!())
    total++
  }
}
console.log(`fuzz: ${total} inputs in ${SECONDS} s (seed ${SEED})`)
for (const [k, n] of Object.entries(tried)) console.log(`  ${k.padEnd(13)} ${String(n).padStart(8)}   slowest ${slowestOf[k]!.ms.toFixed(2)} ms of CPU`)
console.log(`crashes: ${crashes.length}`)
for (const c of crashes.slice(0, 10)) console.log(`  ${c}`)
console.log(`verdict mismatches: ${mismatches.length}`)
for (const m of mismatches.slice(0, 10)) console.log(`  ${m}`)
console.log(`slowest input: ${slowest.ms.toFixed(2)} ms of CPU for decode + verify + explain (${slowest.kind}) ${slowest.token}`)
if (crashes.length + mismatches.length > 0) process.exitCode = 1
