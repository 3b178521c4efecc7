/**
 * The conformance suite: the library is a parameter, the vectors are data, and nothing here depends on a runtime.
 * It is bundled (with the library and the data) for every runtime of the matrix and run there unchanged; the host
 * compares the report with `plan(data)`, the names of the checks every runtime must run.
 *
 * Portable on purpose: no imports but types, no `globalThis`, no host objects, only ES2017 built-ins (the matrix has
 * an ES2017 engine), no clock (every time is given) and no randomness (legacy keys come from the vectors).
 */
import type * as Core from 'usersig'
import type * as Legacy from 'usersig/legacy'
import type * as Compat from 'usersig/compat'
import type { SuiteData, Expected, V2GeneratedCase, V1Record, RoundTrip } from './_data.js'

/** What the suite runs against: the root entry, `usersig/legacy` and `usersig/compat`. */
export interface Library {
  core: typeof Core
  legacy: typeof Legacy
  compat: typeof Compat
}

/** Receives every check's outcome. */
export interface Reporter {
  pass(name: string): void
  fail(name: string, detail: string): void
}

export interface Report {
  total: number
  passed: number
  failures: { name: string; detail: string }[]
}

interface Check {
  name: string
  fn: () => void
}

class CheckFailed extends Error {}

function ok(cond: unknown, what: string): void {
  if (!cond) throw new CheckFailed(what)
}

function eq(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) throw new CheckFailed(`${what}: got ${show(actual)}, expected ${show(expected)}`)
}

function same(actual: unknown, expected: unknown, what: string): void {
  const a = canonical(actual)
  const e = canonical(expected)
  if (a !== e) throw new CheckFailed(`${what}: got ${a.slice(0, 200)}, expected ${e.slice(0, 200)}`)
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : String(v)
  return s.length > 120 ? `${s.slice(0, 120)}…` : s
}

/** JSON with sorted keys, so that two objects compare by content. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (x === null || typeof x !== 'object' || Array.isArray(x)) return x
    const sorted: Record<string, unknown> = {}
    for (const k of Object.keys(x).sort()) sorted[k] = (x as Record<string, unknown>)[k]
    return sorted
  })
}

function throwsCode(fn: () => unknown, isError: (e: unknown) => boolean, code: string, stage?: string): void {
  let thrown: unknown
  try {
    fn()
  } catch (e) {
    thrown = e
  }
  ok(thrown !== undefined, `expected a ${code} error, nothing was thrown`)
  ok(isError(thrown), `expected the library's error, got ${thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown)}`)
  const e = thrown as { code: string; stage?: string }
  eq(e.code, code, 'error code')
  if (stage !== undefined) eq(e.stage, stage, 'error stage')
}

function hexBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16)
  return out
}

function bytesHex(b: Uint8Array | null): string | null {
  if (b === null) return null
  let s = ''
  for (let i = 0; i < b.length; i++) s += (b[i]! < 16 ? '0' : '') + b[i]!.toString(16)
  return s
}

type VerifyResult = ReturnType<typeof Core.verifyUserSig>

function verdict(r: VerifyResult, expected: Expected): void {
  if (expected.ok) {
    ok(r.ok, `expected ok, got ${r.ok ? '' : `${r.reason} (${r.message})`}`)
    if (!r.ok) return
    for (const w of expected.warnings ?? []) ok(r.warnings.some((x) => x.code === w), `missing warning ${w}`)
    ok(/^[0-9a-f]{8}$/.test(r.keyId), `keyId ${r.keyId}`)
    return
  }
  ok(!r.ok, `expected ${expected.reason}, got ok`)
  if (r.ok) return
  eq(r.reason, expected.reason, 'reason')
  if (expected.stage !== undefined) eq(r.stage, expected.stage, 'stage')
}

/** The one place the suite verifies a legacy (v1) token: the PEM becomes a key object of `usersig/legacy`. */
function verifyLegacy(lib: Library, token: string, o: { sdkAppId: number | string; userId: string; publicKeyPem: string; now: number; userBuf?: Uint8Array | undefined }): VerifyResult {
  const opts: Parameters<typeof Core.verifyUserSig>[1] = { sdkAppId: o.sdkAppId, userId: o.userId, publicKey: lib.legacy.legacyPublicKey(o.publicKeyPem), now: o.now }
  if (o.userBuf !== undefined) opts.userBuf = o.userBuf
  return lib.core.verifyUserSig(token, opts)
}

function reasonOf(r: VerifyResult): string {
  return r.ok ? 'ok' : r.reason
}

// ---------------------------------------------------------------------------------------------------------------
// v2: golden vectors

function v2Generated(lib: Library, c: V2GeneratedCase, add: (name: string, fn: () => void) => void): void {
  const { core } = lib
  const e = c.expected
  add(`v2-generated ${c.id}: decode`, () => {
    if (!e.ok && e.reason === 'MALFORMED') {
      throwsCode(() => core.decodeUserSig(c.usersig), (x) => x instanceof core.UserSigError, 'MALFORMED', e.stage)
      return
    }
    const d = core.decodeUserSig(c.usersig)
    const j = c.decoded.json
    eq(d.version, 'v2', 'version')
    eq(d.identifier, j['TLS.identifier'], 'identifier')
    eq(d.sdkAppId, j['TLS.sdkappid'], 'sdkAppId')
    eq(d.time, j['TLS.time'], 'time')
    eq(d.expire, j['TLS.expire'], 'expire')
    eq(d.expiresAt, (j['TLS.time'] as number) + (j['TLS.expire'] as number), 'expiresAt')
    eq(d.signature, j['TLS.sig'], 'signature')
    eq(bytesHex(d.userBuf), c.decoded.userBufHex, 'userBuf')
    const want = c.decoded.privateMapKey
    if (want) {
      const p = d.privateMapKey
      ok(p, 'the PrivateMapKey userbuf is parsed')
      eq(p!.sdkAppId, want.sdkAppId, 'privateMapKey.sdkAppId')
      eq(p!.privileges, want.privileges, 'privateMapKey.privileges')
      eq(p!.expiresAt, want.expiresAt, 'privateMapKey.expiresAt')
      if (want.roomId !== undefined) eq(p!.roomId, want.roomId, 'privateMapKey.roomId')
    }
  })
  add(`v2-generated ${c.id}: verify at now = time → ${e.ok ? 'ok' : e.reason}`, () => {
    verdict(core.verifyUserSig(c.usersig, c.verify), e)
  })
  const s = c.resign
  if (s) {
    add(`v2-generated ${c.id}: createSigner reproduces TLS.sig`, () => {
      const signer = core.createSigner({ sdkAppId: s.sdkAppId, secretKey: s.key, userIdPolicy: 'any' })
      const common = { expiresIn: s.expire, now: s.time }
      let token: string
      if (s.kind === 'genUserSig') token = signer.userSig(s.identifier, common)
      else if (s.kind === 'genUserSigWithBuf') token = signer.userSigWithUserBuf(s.identifier, hexBytes(s.userBufHex ?? ''), common)
      else if (s.roomId !== undefined) token = signer.privateMapKey(s.identifier, { roomId: s.roomId, privileges: s.privileges ?? 0, ...common })
      else token = signer.privateMapKey(s.identifier, { strRoomId: s.strRoomId ?? '', privileges: s.privileges ?? 0, ...common })
      const ours = core.decodeUserSig(token)
      eq(ours.signature, c.decoded.json['TLS.sig'], 'TLS.sig')
      eq(ours.identifier, s.identifier, 'identifier')
      eq(bytesHex(ours.userBuf), c.decoded.userBufHex, 'userBuf')
    })
  }
  const r = c.rejected
  if (r) {
    add(`v2-generated ${c.id}: createSigner refuses the input (${r.code})`, () => {
      const signer = core.createSigner({ sdkAppId: r.sdkAppId, secretKey: r.key, userIdPolicy: 'any' })
      const common = { expiresIn: r.expire, now: r.time }
      throwsCode(() => {
        if (r.kind === 'genUserSig') return signer.userSig(r.identifier, common)
        if (r.kind === 'genUserSigWithBuf') return signer.userSigWithUserBuf(r.identifier, hexBytes(r.userBufHex ?? ''), common)
        if (r.roomId !== undefined) return signer.privateMapKey(r.identifier, { roomId: r.roomId, privileges: r.privileges ?? 0, ...common })
        return signer.privateMapKey(r.identifier, { strRoomId: r.strRoomId ?? '', privileges: r.privileges ?? 0, ...common })
      }, (x) => x instanceof core.UserSigError, r.code)
    })
  }
  const u = c.userBufLayout
  if (u) {
    add(`v2-generated ${c.id}: encodePrivateMapKeyUserBuf gives the producer's bytes`, () => {
      eq(bytesHex(core.encodePrivateMapKeyUserBuf(u.fields)), u.hex, 'userbuf')
    })
  }
  const k = c.compat
  if (k) {
    add(`v2-generated ${c.id}: usersig/compat Api reproduces the record (frozen clock)`, () => {
      const realNow = Date.now
      Date.now = () => k.time * 1000 + 500
      try {
        const api = new lib.compat.Api(k.sdkAppId, k.key)
        if (k.refusedCode) {
          throwsCode(() => api.genPrivateMapKeyWithStringRoomID(k.identifier, k.expire, k.strRoomId ?? '', k.privileges ?? 0), (x) => x instanceof core.UserSigError, k.refusedCode)
          return
        }
        const token = k.kind === 'genUserSig' ? api.genUserSig(k.identifier, k.expire)
          : k.kind === 'genUserSigWithBuf' ? api.genSig(k.identifier, k.expire, hexBytes(k.userBufHex ?? ''))
            : k.kind === 'genPrivateMapKey' ? api.genPrivateMapKey(k.identifier, k.expire, k.roomId ?? 0, k.privileges ?? 0)
              : api.genPrivateMapKeyWithStringRoomID(k.identifier, k.expire, k.strRoomId ?? '', k.privileges ?? 0)
        const ours = core.decodeUserSig(token).fields
        for (const f of ['TLS.identifier', 'TLS.sdkappid', 'TLS.time', 'TLS.expire', 'TLS.sig', 'TLS.userbuf']) {
          if (f in c.decoded.json) same(ours[f], c.decoded.json[f], f)
        }
      } finally {
        Date.now = realNow
      }
    })
  }
}

// ---------------------------------------------------------------------------------------------------------------
// v1 (legacy): golden vectors

function v1Record(lib: Library, r: V1Record, add: (name: string, fn: () => void) => void): void {
  const { core, legacy } = lib
  add(`${r.file} ${r.id}: signed content and signature`, () => {
    if (r.keys) {
      const priv = legacy.parseLegacyPrivateKey(r.keys.privateKeyPem)
      const pub = legacy.parseLegacyPublicKey(r.keys.publicKeyPem)
      if (r.keys.curve !== undefined) {
        eq(priv.curve, r.keys.curve, 'private key curve')
        eq(pub.curve, r.keys.curve, 'public key curve')
      }
      eq(priv.privateKey.length, 32, 'private key length')
      same(legacy.parseLegacyPublicKey(legacy.createLegacySigner({ sdkAppId: r.sdkAppId, privateKey: r.keys.privateKeyPem }).publicKeyPem), pub, 'derived public key')
    }
    if (r.decoded) {
      const withUserBuf = 'TLS.userbuf' in r.decoded.json
      if (r.decoded.signedContent !== undefined) eq(legacy.legacySignedContent(r.decoded.json, withUserBuf), r.decoded.signedContent, 'signed content')
      eq(legacy.verifyLegacySignature(r.decoded.json, r.publicKeyPem), r.decoded.ecdsaValid, 'verifyLegacySignature')
      same(core.decodeUserSig(r.usersig!).fields, r.decoded.json, 'decoded fields')
    }
  })
  for (const v of r.verdicts) {
    add(`${r.file} ${r.id}: verify ${v.label} → ${v.expected}`, () => {
      const token = v.ownToken ? ownLegacyToken(lib, r) : r.usersig!
      const res = verifyLegacy(lib, token, { sdkAppId: v.sdkAppId, userId: v.userId, publicKeyPem: v.publicKeyPem, now: v.now, userBuf: v.userBufHex === undefined ? undefined : hexBytes(v.userBufHex) })
      eq(reasonOf(res), v.expected, res.ok ? 'verdict' : `verdict (${res.message})`)
      if (res.ok) eq(res.payload.version, 'v1', 'version')
    })
  }
}

/** Where the official producer refused (no secp256k1 in Go, no SEC1 in Java, …): our signer signs the same inputs. */
function ownLegacyToken(lib: Library, r: V1Record): string {
  const signer = lib.legacy.createLegacySigner({ sdkAppId: r.sdkAppId, privateKey: r.keys!.privateKeyPem })
  return signer.userSig(r.identifier, { expiresIn: r.expire, now: r.time })
}

// ---------------------------------------------------------------------------------------------------------------
// round trips: sign → verify → decode → explain

function signRoundTrip(lib: Library, t: RoundTrip): string {
  const signer = lib.core.createSigner({ sdkAppId: t.sdkAppId, secretKey: t.key, userIdPolicy: t.policy })
  const common = { expiresIn: t.expiresIn, now: t.now }
  if (t.kind === 'userSig') return signer.userSig(t.userId, common)
  if (t.kind === 'userSigWithUserBuf') return signer.userSigWithUserBuf(t.userId, hexBytes(t.userBufHex ?? ''), common)
  if (t.roomId !== undefined) return signer.privateMapKey(t.userId, { roomId: t.roomId, privileges: t.privileges ?? 0, ...common })
  return signer.privateMapKey(t.userId, { strRoomId: t.strRoomId ?? '', privileges: t.privileges ?? 0, ...common })
}

function roundTrips(lib: Library, data: SuiteData, add: (name: string, fn: () => void) => void): void {
  const { core, legacy } = lib
  const p = data.sample
  add('round trip: the README sample UserSig has the known TLS.sig', () => {
    const s = core.createSigner({ sdkAppId: p.sdkAppId, secretKey: p.key })
    const d = core.decodeUserSig(s.userSig(p.identifier, { expiresIn: p.expire, now: p.time }))
    eq(d.signature, p.signature, 'TLS.sig')
  })
  for (const [n, t] of data.roundTrips.entries()) {
    const label = `round trip ${n + 1} ${t.kind} ${JSON.stringify(t.userId)}`
    add(`${label}: sign → verify → decode → explain`, () => {
      const token = signRoundTrip(lib, t)
      ok(/^[A-Za-z0-9*_-]+$/.test(token), 'the token uses the Tencent alphabet')
      const base = { sdkAppId: t.sdkAppId, userId: t.userId, secretKey: t.key }
      const v = core.verifyUserSig(token, { ...base, now: t.now })
      ok(v.ok, `verify: ${v.ok ? '' : v.reason}`)
      eq(core.verifyUserSig(token, { ...base, now: t.now + t.expiresIn }).ok, true, 'valid at now = expiry')
      const late = core.verifyUserSig(token, { ...base, now: t.now + t.expiresIn + 1 })
      eq(reasonOf(late), 'EXPIRED', 'one second after expiry')
      eq(late.ok ? 0 : late.tencentCode, 70001, 'Tencent code of EXPIRED')
      eq(reasonOf(core.verifyUserSig(token, { ...base, secretKey: `${t.key}0`, now: t.now })), 'SIGNATURE_INVALID', 'another key')
      eq(reasonOf(core.verifyUserSig(token, { ...base, userId: `${t.userId}x`, now: t.now })), 'IDENTIFIER_MISMATCH', 'another user')
      eq(reasonOf(core.verifyUserSig(token, { ...base, sdkAppId: t.sdkAppId + 1, now: t.now })), 'SDKAPPID_MISMATCH', 'another app')
      const d = core.decodeUserSig(token)
      eq(d.version, 'v2', 'version')
      eq(d.identifier, t.userId, 'identifier')
      eq(d.sdkAppId, t.sdkAppId, 'sdkAppId')
      eq(d.time, t.now, 'time')
      eq(d.expiresAt, t.now + t.expiresIn, 'expiresAt')
      if (t.kind === 'userSig') eq(d.userBuf, null, 'no userbuf')
      if (t.kind === 'userSigWithUserBuf') eq(bytesHex(d.userBuf), t.userBufHex, 'userbuf')
      if (t.kind === 'privateMapKey') {
        const m = d.privateMapKey
        ok(m, 'PrivateMapKey fields')
        eq(m!.account, t.userId, 'account')
        eq(m!.sdkAppId, t.sdkAppId, 'PrivateMapKey sdkAppId')
        eq(m!.expiresAt, t.now + t.expiresIn, 'PrivateMapKey expiresAt')
        eq(m!.privileges, t.privileges, 'privileges')
        if (t.roomId !== undefined) eq(m!.roomId, t.roomId, 'roomId')
        else eq(m!.strRoomId, t.strRoomId, 'strRoomId')
        same(core.decodePrivateMapKeyUserBuf(d.userBuf!), m, 'decodePrivateMapKeyUserBuf')
        const exp = core.verifyUserSig(token, { ...base, now: t.now, userBuf: d.userBuf! })
        ok(exp.ok, 'verify with the expected userbuf')
      }
      const x = core.explainUserSig(token, { ...base, now: t.now })
      eq(x.verdict, 'valid', 'explain verdict')
      const xl = core.explainUserSig(token, { ...base, now: t.now + t.expiresIn + 1 })
      eq(xl.verdict, 'invalid', 'explain verdict after expiry')
      eq(xl.tencentCode, 70001, 'explain predicts 70001')
      ok(xl.findings.some((f) => f.severity === 'error'), 'explain lists the failure')
      ok(!JSON.stringify(xl).includes(t.key), 'explain never shows the key')
    })
    add(`${label}: a changed character does not verify`, () => {
      const token = signRoundTrip(lib, t)
      const mid = token.length >> 1
      const flipped = token.slice(0, mid) + (token[mid] === 'A' ? 'B' : 'A') + token.slice(mid + 1)
      const r = core.verifyUserSig(flipped, { sdkAppId: t.sdkAppId, userId: t.userId, secretKey: t.key, now: t.now })
      ok(!r.ok, 'a flipped character does not verify')
    })
  }
  add('round trip: usersig/compat Api signs a UserSig the core verifies', () => {
    const api = new lib.compat.Api(p.sdkAppId, p.key)
    const token = api.genUserSig(p.identifier, 86400)
    const now = core.decodeUserSig(token).time
    ok(core.verifyUserSig(token, { sdkAppId: p.sdkAppId, userId: p.identifier, secretKey: p.key, now }).ok, 'verifies')
  })
  add('round trip: privileges and PrivateMapKey userbuf helpers', () => {
    eq(core.parsePrivileges(['enter', 'recvAudio']), 2 | 8, 'parsePrivileges')
    same(core.privilegeNames(255), ['create', 'enter', 'sendAudio', 'recvAudio', 'sendVideo', 'recvVideo', 'sendSubVideo', 'recvSubVideo'], 'privilegeNames')
    const fields = { account: 'xiaojun', sdkAppId: p.sdkAppId, roomId: 10000, expiresAt: p.time + p.expire, privileges: 255 }
    const back = core.decodePrivateMapKeyUserBuf(core.encodePrivateMapKeyUserBuf(fields))
    ok(back, 'decodes')
    eq(back!.roomId, 10000, 'roomId')
    eq(back!.account, 'xiaojun', 'account')
    const pmk = core.createSigner({ sdkAppId: p.sdkAppId, secretKey: p.key }).privateMapKey(p.identifier, { roomId: 10000, privileges: 255, expiresIn: p.expire, now: p.time })
    eq(core.decodeUserSig(pmk).privateMapKey!.roomId, 10000, 'the signer writes the room')
  })
  add('round trip: the input checks throw typed errors', () => {
    const isErr = (x: unknown) => x instanceof core.UserSigError
    const s = core.createSigner({ sdkAppId: p.sdkAppId, secretKey: p.key })
    throwsCode(() => core.createSigner({ sdkAppId: 0, secretKey: p.key }), isErr, 'INVALID_SDKAPPID')
    throwsCode(() => core.createSigner({ sdkAppId: p.sdkAppId, secretKey: ` ${p.key}` }), isErr, 'INVALID_SECRET_KEY')
    throwsCode(() => s.userSig('', { now: p.time }), isErr, 'INVALID_USERID')
    throwsCode(() => s.userSig('a', { expiresIn: 0, now: p.time }), isErr, 'INVALID_EXPIRES_IN')
    throwsCode(() => s.privateMapKey('a', { roomId: 0, privileges: 255, now: p.time }), isErr, 'INVALID_ROOM_ID')
    throwsCode(() => core.decodeUserSig('not a usersig!'), isErr, 'MALFORMED', 'base64')
  })
  add('round trip: legacy signer → verify → decode on both curves (deterministic nonce)', () => {
    for (const k of data.legacyKeys) {
      const signer = legacy.createLegacySigner({ sdkAppId: p.sdkAppId, privateKey: k.privateKeyPem })
      eq(signer.curve, k.curve, 'curve')
      const token = signer.userSig('alice', { expiresIn: '180d', now: p.time })
      eq(signer.userSig('alice', { expiresIn: '180d', now: p.time }), token, 'same inputs, same token')
      const at = verifyLegacy(lib, token, { sdkAppId: p.sdkAppId, userId: 'alice', publicKeyPem: signer.publicKeyPem, now: p.time })
      eq(reasonOf(at), 'ok', `${k.curve}: verify`)
      const late = verifyLegacy(lib, token, { sdkAppId: p.sdkAppId, userId: 'alice', publicKeyPem: signer.publicKeyPem, now: p.time + 180 * 86400 + 1 })
      eq(reasonOf(late), 'EXPIRED', `${k.curve}: after expiry`)
      const d = core.decodeUserSig(token)
      eq(d.version, 'v1', 'version')
      eq(d.identifier, 'alice', 'identifier')
      const userBuf = Uint8Array.of(0, 0xff, 0x10, 0x61)
      const ub = signer.userSigWithUserBuf('abc', userBuf, { now: p.time, expiresIn: 3600 })
      eq(reasonOf(verifyLegacy(lib, ub, { sdkAppId: p.sdkAppId, userId: 'abc', publicKeyPem: signer.publicKeyPem, now: p.time, userBuf })), 'ok', `${k.curve}: userbuf`)
      eq(reasonOf(verifyLegacy(lib, ub, { sdkAppId: p.sdkAppId, userId: 'abc', publicKeyPem: signer.publicKeyPem, now: p.time, userBuf: Uint8Array.of(1) })), 'USERBUF_MISMATCH', `${k.curve}: other userbuf`)
    }
  })
}

// ---------------------------------------------------------------------------------------------------------------

function checks(lib: Library, data: SuiteData): Check[] {
  const list: Check[] = []
  const add = (name: string, fn: () => void): void => {
    list.push({ name, fn })
  }
  for (const c of data.v2Generated) v2Generated(lib, c, add)
  for (const c of data.v2Verify) {
    add(`v2-verify ${c.id} → ${c.expected.ok ? 'ok' : c.expected.reason}`, () => {
      const v = c.verify
      const opts: Parameters<typeof Core.verifyUserSig>[1] = { sdkAppId: v.sdkAppId, userId: v.userId, secretKey: v.secretKey, now: v.now }
      if (v.userBufHex !== undefined) opts.userBuf = hexBytes(v.userBufHex)
      verdict(lib.core.verifyUserSig(c.usersig, opts), c.expected)
    })
  }
  for (const r of data.v1) v1Record(lib, r, add)
  roundTrips(lib, data, add)
  return list
}

/** The names of the checks `run` performs on `data`, in order (nothing is run). */
export function plan(data: SuiteData): string[] {
  return checks({} as Library, data).map((c) => c.name)
}

/** Runs every check against `lib`; each outcome goes to `reporter`. */
export function run(lib: Library, data: SuiteData, reporter: Reporter): void {
  for (const c of checks(lib, data)) {
    let problem: string | null = null
    try {
      c.fn()
    } catch (e) {
      problem = e instanceof CheckFailed ? e.message : `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`
    }
    if (problem === null) reporter.pass(c.name)
    else reporter.fail(c.name, problem)
  }
}

/** Runs the suite and collects a plain (JSON-safe) report. */
export function runToReport(lib: Library, data: SuiteData): Report {
  const report: Report = { total: 0, passed: 0, failures: [] }
  run(lib, data, {
    pass() {
      report.total++
      report.passed++
    },
    fail(name, detail) {
      report.total++
      report.failures.push({ name, detail })
    },
  })
  return report
}
