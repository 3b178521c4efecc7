/**
 * Turns the golden vectors into the conformance suite's data: plain JSON with, for every record, the inputs and the
 * verdict docs/spec/verify.md prescribes. Runs on the host (Node); the data is then embedded in each runtime's bundle. The
 * vectors are read through ../_vectors.ts only, so their location is set in one place.
 */
import { Buffer } from 'node:buffer'
import { loadVectors, expectedForGenerated, V1_VERIFY_EXPECTED, V2_VERIFY_EXPECTED, type Expected } from '../_vectors.js'

export type { Expected }

type Kind = 'genUserSig' | 'genUserSigWithBuf' | 'genPrivateMapKey' | 'genPrivateMapKeyWithStringRoomID'

/** The inputs of one official call, as our signer and the compat Api take them. */
export interface SignInputs {
  kind: Kind
  sdkAppId: number
  key: string
  identifier: string
  expire: number
  time: number
  userBufHex?: string
  roomId?: number
  strRoomId?: string
  privileges?: number
}

export interface V2GeneratedCase {
  id: string
  usersig: string
  expected: Expected
  verify: { sdkAppId: number; userId: string; secretKey: string; now: number }
  decoded: {
    json: Record<string, unknown>
    userBufHex: string | null
    privateMapKey?: { sdkAppId: number; privileges: number; expiresAt: number; roomId?: number }
  }
  /** Inputs our signer accepts: it must give the same TLS.sig. */
  resign?: SignInputs
  /** Inputs our signer refuses on purpose (docs/spec/verify.md §1), with the error code. */
  rejected?: SignInputs & { code: string }
  /** A UTF-8 producer's PrivateMapKey userbuf: encodePrivateMapKeyUserBuf must give the same bytes. */
  userBufLayout?: { fields: { account: string; sdkAppId: number; expiresAt: number; privileges: number; roomId?: number; strRoomId?: string }; hex: string }
  /** The compat Api with the clock frozen at `time` must reproduce the record (or refuse with refusedCode). */
  compat?: SignInputs & { refusedCode?: string }
}

export interface V2VerifyCase {
  id: string
  usersig: string
  expected: Expected
  verify: { sdkAppId: number; userId: string; secretKey: string; now: number; userBufHex?: string }
}

export interface V1Verdict {
  label: string
  sdkAppId: number
  userId: string
  publicKeyPem: string
  now: number
  userBufHex?: string
  expected: string
  /** Verify a token our legacy signer makes from the record's inputs instead of the record's own. */
  ownToken?: true
}

export interface V1Record {
  file: string
  id: string
  sdkAppId: number
  identifier: string
  expire: number
  time: number
  usersig?: string
  publicKeyPem: string
  keys?: { curve?: string; privateKeyPem: string; publicKeyPem: string }
  decoded?: { json: Record<string, string>; signedContent?: string; ecdsaValid: boolean }
  verdicts: V1Verdict[]
}

export interface RoundTrip {
  kind: 'userSig' | 'userSigWithUserBuf' | 'privateMapKey'
  sdkAppId: number
  key: string
  userId: string
  policy: 'im' | 'strict' | 'any'
  expiresIn: number
  now: number
  userBufHex?: string
  roomId?: number
  strRoomId?: string
  privileges?: number
}

export interface SuiteData {
  v2Generated: V2GeneratedCase[]
  v2Verify: V2VerifyCase[]
  v1: V1Record[]
  /** The parameters every official README uses, and the TLS.sig they give at time 1700000000. */
  sample: { sdkAppId: number; key: string; identifier: string; expire: number; time: number; signature: string }
  roundTrips: RoundTrip[]
  legacyKeys: { curve: string; privateKeyPem: string }[]
}

const REQUIRED = ['TLS.ver', 'TLS.identifier', 'TLS.sdkappid', 'TLS.time', 'TLS.expire', 'TLS.sig']
/** Producers that write PrivateMapKey strings as UTF-8, as we do (the Node/Java/Python ones write other bytes). */
const UTF8_PMK = new Set(['php-v2', 'go-v2-head', 'go-v2-old', 'cpp-v2'])
const curveName = (c: string): string => (c === 'prime256v1' ? 'P-256' : c)
const b64hex = (s: string): string => Buffer.from(s, 'base64').toString('hex')

function signInputs(r: any): SignInputs {
  const i = r.inputs
  return {
    kind: r.kind, sdkAppId: i.sdkappid, key: i.key, identifier: i.identifier, expire: i.expire, time: i.time,
    ...(i.userbuf_hex !== undefined ? { userBufHex: i.userbuf_hex } : {}),
    ...(i.room_id !== undefined ? { roomId: i.room_id } : {}),
    ...(i.room_str !== undefined ? { strRoomId: i.room_str } : {}),
    ...(i.privilege_map !== undefined ? { privileges: i.privilege_map } : {}),
  }
}

/** The error our checks give for inputs docs/spec/verify.md §1 rejects on purpose, or null. */
function refusal(i: any): string | null {
  if (i.expire <= 0 || i.expire > 50 * 365 * 86400) return 'INVALID_EXPIRES_IN'
  if (i.room_id === 0) return 'INVALID_ROOM_ID'
  if (i.room_str === '') return 'INVALID_STR_ROOM_ID'
  return null
}

function v2Generated(): V2GeneratedCase[] {
  const out: V2GeneratedCase[] = []
  for (const r of loadVectors<any[]>('v2-generated.json')) {
    if (r.producer_error) continue
    const i = r.inputs
    const json = r.decoded?.json ?? {}
    const expected = expectedForGenerated(r)
    const isPmk = String(r.kind).startsWith('genPrivateMapKey')
    const c: V2GeneratedCase = {
      id: r.id,
      usersig: r.usersig,
      expected,
      verify: { sdkAppId: i.sdkappid, userId: i.identifier, secretKey: i.key, now: i.time },
      decoded: {
        json,
        userBufHex: 'TLS.userbuf' in json ? (r.decoded.userbuf_hex ?? '') : null,
        ...(isPmk && r.decoded.userbuf_layout
          ? { privateMapKey: { sdkAppId: i.sdkappid >>> 0, privileges: i.privilege_map >>> 0, expiresAt: (i.time + i.expire) >>> 0, ...(i.room_id !== undefined ? { roomId: i.room_id } : {}) } }
          : {}),
      },
    }
    if (r.producer.impl === 'php-v2' && expected.ok) {
      const code = refusal(i)
      if (code) c.rejected = { ...signInputs(r), code }
      else c.resign = signInputs(r)
    }
    if (UTF8_PMK.has(r.producer.impl) && isPmk && i.room_str !== '') {
      c.userBufLayout = {
        fields: {
          account: i.identifier, sdkAppId: i.sdkappid, expiresAt: i.time + i.expire, privileges: i.privilege_map,
          ...(i.room_str !== undefined ? { strRoomId: i.room_str } : { roomId: i.room_id }),
        },
        hex: r.decoded.userbuf_hex,
      }
    }
    const complete = REQUIRED.every((k) => k in json)
    const reproducible = complete && r.decoded['hmac_matches_TLS.sig'] !== false && r.decoded.zlib_complete !== false
    const nonAscii = /[^\x00-\x7f]/.test(i.identifier)
    const otherPmkBytes = isPmk && nonAscii && !UTF8_PMK.has(r.producer.impl)
    const cppEmptyUserBuf = r.kind === 'genUserSigWithBuf' && r.producer.impl === 'cpp-v2' && i.userbuf_hex === '' // cpp drops it
    if (reproducible && !otherPmkBytes && !cppEmptyUserBuf) {
      // The official Node package writes a malformed empty string room; the compat Api refuses it (docs/spec/format.md §2.3).
      c.compat = { ...signInputs(r), ...(i.room_str === '' ? { refusedCode: 'INVALID_STR_ROOM_ID' } : {}) }
    }
    out.push(c)
  }
  return out
}

function v2Verify(): V2VerifyCase[] {
  return loadVectors<any[]>('v2-verify.json').map((r) => {
    const name = r.id.replace('v2-verify/', '')
    const expected = V2_VERIFY_EXPECTED[name]
    if (!expected) throw new Error(`no verdict for ${r.id} in _vectors.ts`)
    const v = r.verifier_inputs
    return {
      id: name,
      usersig: r.usersig,
      expected,
      verify: { sdkAppId: v.sdkappid, userId: v.identifier, secretKey: v.key, now: v.now, ...(v.api_mode === 'userbuf' ? { userBufHex: v.expected_userbuf_hex ?? '' } : {}) },
    }
  })
}

function v1(): V1Record[] {
  const out: V1Record[] = []
  const generated = loadVectors<any[]>('v1-generated.json')
  // A public key on the other curve, for the wrong-key verdict.
  const otherKey = (curve: string): string => generated.find((r) => r.inputs.curve !== curve)!.inputs.public_key_pem
  for (const r of generated) {
    const i = r.inputs
    const base = { file: 'v1-generated', id: r.id, sdkAppId: i.sdkappid, identifier: i.identifier, expire: i.expire, time: i.time, publicKeyPem: i.public_key_pem }
    const keys = { curve: curveName(i.curve), privateKeyPem: i.private_key_pem, publicKeyPem: i.public_key_pem }
    const at = { sdkAppId: i.sdkappid, userId: i.identifier, publicKeyPem: i.public_key_pem }
    if (r.decoded === undefined) {
      out.push({ ...base, keys, verdicts: [{ label: 'our token at time', ...at, now: i.time, expected: 'ok', ownToken: true }] })
      continue
    }
    const json = r.decoded.json
    const t = i.time
    const e = i.expire
    out.push({
      ...base,
      keys,
      usersig: r.usersig,
      decoded: { json, signedContent: r.decoded.signed_content, ecdsaValid: r.decoded.ecdsa_valid },
      verdicts: [
        { label: 'at time', ...at, now: t, expected: 'ok', ...('TLS.userbuf' in json ? { userBufHex: i.userbuf_hex } : {}) },
        { label: 'at expiry', ...at, now: t + e, expected: 'ok' },
        { label: 'a second after expiry', ...at, now: t + e + 1, expected: 'EXPIRED' },
        { label: 'another sdkAppId', ...at, sdkAppId: i.sdkappid + 1, now: t, expected: 'SDKAPPID_MISMATCH' },
        { label: 'another userId', ...at, userId: `${i.identifier}x`, now: t, expected: 'IDENTIFIER_MISMATCH' },
        { label: 'a key on the other curve', ...at, publicKeyPem: otherKey(i.curve), now: t, expected: 'SIGNATURE_INVALID' },
      ],
    })
  }
  for (const r of loadVectors<any[]>('v1-verify.json')) {
    const vi = r.verifier_inputs
    const json = r.decoded.json
    const expected = V1_VERIFY_EXPECTED[r.id.split('|').pop()]
    if (!expected) throw new Error(`no verdict for ${r.id}`)
    out.push({
      file: 'v1-verify', id: r.id, sdkAppId: vi.sdkappid, identifier: vi.identifier, expire: Number(json['TLS.expire_after']), time: Number(json['TLS.time']),
      usersig: r.usersig, publicKeyPem: vi.public_key_pem,
      decoded: { json, signedContent: r.decoded.signed_content, ecdsaValid: r.decoded.ecdsa_valid },
      verdicts: [{
        label: `at ${vi.now}`, sdkAppId: vi.sdkappid, userId: vi.identifier, publicKeyPem: vi.public_key_pem, now: vi.now, expected,
        ...(vi.api_mode === 'userbuf' ? { userBufHex: b64hex(json['TLS.userbuf']) } : {}),
      }],
    })
  }
  const official = loadVectors<any>('official-samples.json')
  for (const [n, s] of (official.v1_usersig_samples as any[]).entries()) {
    const expiresAt = Number(s.json['TLS.time']) + Number(s.json['TLS.expire_after'])
    const at = { sdkAppId: s.sdkappid, userId: s.identifier, publicKeyPem: s.public_key_pem }
    const userBuf = 'TLS.userbuf' in s.json ? { userBufHex: b64hex(s.json['TLS.userbuf']) } : {}
    if (s.ecdsa_valid !== true) throw new Error(`official sample ${n} is not valid`)
    out.push({
      file: 'official-samples', id: `v1 sample ${n}`, sdkAppId: s.sdkappid, identifier: s.identifier, expire: Number(s.json['TLS.expire_after']), time: Number(s.json['TLS.time']),
      usersig: s.usersig, publicKeyPem: s.public_key_pem,
      ...(s.private_key_pem ? { keys: { privateKeyPem: s.private_key_pem, publicKeyPem: s.public_key_pem } } : {}),
      decoded: { json: s.json, signedContent: s.signed_content, ecdsaValid: s.ecdsa_valid },
      verdicts: [
        { label: 'at its time', ...at, ...userBuf, now: s.verify_at_time.now, expected: 'ok' },
        { label: 'at expiry', ...at, now: expiresAt, expected: 'ok' },
        { label: 'a second after expiry', ...at, ...userBuf, now: s.verify_expired.now, expected: 'EXPIRED' },
      ],
    })
  }
  for (const [n, k] of (official.v1_key_material as any[]).entries()) {
    const publicKeyPem = k.public_key_pem ?? k.public_key_pem_as_published
    if (!publicKeyPem) continue // no published public key to compare with (the signer's own is checked below)
    const sdkAppId = k.sdkappid ?? 1400000000
    const identifier = k.identifier ?? 'xiaojun'
    out.push({
      file: 'official-samples', id: `key material ${n}`, sdkAppId, identifier, expire: 86400, time: 1700000000, publicKeyPem,
      keys: { curve: curveName(k.curve), privateKeyPem: k.private_key_pem, publicKeyPem },
      verdicts: [{ label: 'our token at time', sdkAppId, userId: identifier, publicKeyPem, now: 1700000000, expected: 'ok', ownToken: true }],
    })
  }
  return out
}

function roundTrips(key: string): RoundTrip[] {
  const base = { sdkAppId: 1400000000, key, expiresIn: 86400, now: 1700000000 }
  return [
    { ...base, kind: 'userSig', userId: 'alice', policy: 'im' },
    { ...base, kind: 'userSig', userId: 'user_01-A', policy: 'strict', expiresIn: 15552000 },
    { ...base, kind: 'userSig', userId: 'a'.repeat(32), policy: 'im', sdkAppId: 4294967294 },
    { ...base, kind: 'userSig', userId: '用户 😀 "quoted" \\ /', policy: 'any' },
    { ...base, kind: 'userSigWithUserBuf', userId: 'bob', policy: 'im', userBufHex: '00ff1061' },
    { ...base, kind: 'userSigWithUserBuf', userId: 'bob', policy: 'im', userBufHex: '' },
    { ...base, kind: 'privateMapKey', userId: 'carol', policy: 'im', roomId: 4294967294, privileges: 255 },
    { ...base, kind: 'privateMapKey', userId: 'carol', policy: 'im', strRoomId: 'room-1 !#$%&()+-:;<=.>?@[]^_{}|~,', privileges: 3 },
    { ...base, kind: 'privateMapKey', userId: '张三', policy: 'any', roomId: 1, privileges: 0 },
  ]
}

/** The suite's data, built from the vectors. */
export function suiteData(): SuiteData {
  const official = loadVectors<any>('official-samples.json')
  const p = official.v2_sample_parameters[0]
  const generated = loadVectors<any[]>('v1-generated.json')
  const keyOf = (curve: string): string => generated.find((r) => r.inputs.curve === curve)!.inputs.private_key_pem
  return {
    v2Generated: v2Generated(),
    v2Verify: v2Verify(),
    v1: v1(),
    sample: { sdkAppId: p.sdkappid, key: p.key, identifier: p.identifier, expire: p.expire, time: 1700000000, signature: 'LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=' },
    roundTrips: roundTrips(p.key),
    legacyKeys: [{ curve: 'secp256k1', privateKeyPem: keyOf('secp256k1') }, { curve: 'P-256', privateKeyPem: keyOf('prime256v1') }],
  }
}
