/**
 * In-page conformance runner: bundled by conformance.test.ts into a classic script and run inside Chromium.
 * It gets the v2 vector records (read in Node) with the verdict VERIFY.md prescribes for each, runs the core's
 * decode / verify / sign on them in the page, and returns pass and fail counts with the failures.
 */
import { createSigner, decodeUserSig, verifyUserSig, UserSigError } from 'usersig'

export interface Expected {
  ok: boolean
  reason?: string
  stage?: string
  warnings?: string[]
}

export interface Case {
  id: string
  kind: 'generated' | 'crafted'
  usersig: string
  expected: Expected
  verify: { sdkAppId: number; userId: string; secretKey: string; now: number; userBufHex?: string }
  /** Recorded decode (generated records): the JSON fields, the userbuf and the PrivateMapKey inputs. */
  decoded?: { json: Record<string, unknown>; userbufHex: string | null; pmk?: { sdkAppId: number; privileges: number; expiresAt: number; roomId?: number } }
  /** For records our signer must reproduce (same TLS.sig for the same inputs and time). */
  resign?: { kind: string; sdkAppId: number; key: string; identifier: string; expire: number; time: number; userbufHex?: string; roomId?: number; strRoomId?: string; privileges?: number }
}

export interface Outcome {
  pass: number
  fail: number
  failures: { id: string; check: string; detail: string }[]
  environment: { textEncoder: boolean; webCrypto: boolean; userAgent: string }
}

function hex(s: string): Uint8Array {
  const out = new Uint8Array(s.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16)
  return out
}

function toHex(b: Uint8Array | null): string | null {
  return b === null ? null : Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
}

export function run(cases: Case[]): Outcome {
  const out: Outcome = {
    pass: 0,
    fail: 0,
    failures: [],
    environment: {
      textEncoder: typeof (globalThis as { TextEncoder?: unknown }).TextEncoder !== 'undefined',
      webCrypto: !!(globalThis as { crypto?: { subtle?: unknown } }).crypto?.subtle,
      userAgent: typeof navigator === 'object' ? navigator.userAgent : '',
    },
  }
  const check = (id: string, name: string, fn: () => string | null): void => {
    let problem: string | null
    try {
      problem = fn()
    } catch (e) {
      problem = `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`
    }
    if (problem === null) out.pass++
    else {
      out.fail++
      out.failures.push({ id, check: name, detail: problem })
    }
  }

  for (const c of cases) {
    const e = c.expected
    if (c.decoded) {
      const dec = c.decoded
      check(c.id, 'decode', () => {
        if (!e.ok && e.reason === 'MALFORMED') {
          try {
            decodeUserSig(c.usersig)
            return 'decoded, expected MALFORMED'
          } catch (err) {
            if (!(err instanceof UserSigError)) return 'threw a non-UserSigError'
            if (err.code !== 'MALFORMED' || err.stage !== e.stage) return `got ${err.code}/${err.stage}`
            return null
          }
        }
        const d = decodeUserSig(c.usersig)
        const j = dec.json
        const diffs: string[] = []
        if (d.version !== 'v2') diffs.push(`version ${d.version}`)
        if (d.identifier !== j['TLS.identifier']) diffs.push('identifier')
        if (d.sdkAppId !== j['TLS.sdkappid']) diffs.push('sdkAppId')
        if (d.time !== j['TLS.time']) diffs.push('time')
        if (d.expire !== j['TLS.expire']) diffs.push('expire')
        if (d.expiresAt !== (j['TLS.time'] as number) + (j['TLS.expire'] as number)) diffs.push('expiresAt')
        if (d.signature !== j['TLS.sig']) diffs.push('signature')
        if (toHex(d.userBuf) !== dec.userbufHex) diffs.push('userBuf')
        if (dec.pmk) {
          const p = d.privateMapKey
          if (!p) diffs.push('privateMapKey missing')
          else {
            if (p.sdkAppId !== dec.pmk.sdkAppId) diffs.push('pmk.sdkAppId')
            if (p.privileges !== dec.pmk.privileges) diffs.push('pmk.privileges')
            if (p.expiresAt !== dec.pmk.expiresAt) diffs.push('pmk.expiresAt')
            if (dec.pmk.roomId !== undefined && p.roomId !== dec.pmk.roomId) diffs.push('pmk.roomId')
          }
        }
        return diffs.length ? diffs.join(', ') : null
      })
    }

    check(c.id, 'verify', () => {
      const v = c.verify
      const opts: Parameters<typeof verifyUserSig>[1] = { sdkAppId: v.sdkAppId, userId: v.userId, secretKey: v.secretKey, now: v.now }
      if (v.userBufHex !== undefined) opts.userBuf = hex(v.userBufHex)
      const r = verifyUserSig(c.usersig, opts)
      if (e.ok) {
        if (!r.ok) return `expected ok, got ${r.reason} (${r.message})`
        for (const w of e.warnings ?? []) if (!r.warnings.some((x) => x.code === w)) return `missing warning ${w}`
        if (!/^[0-9a-f]{8}$/.test(r.keyId)) return `keyId ${r.keyId}`
        return null
      }
      if (r.ok) return `expected ${e.reason}, got ok`
      if (r.reason !== e.reason) return `expected ${e.reason}, got ${r.reason}`
      if (e.stage && r.stage !== e.stage) return `expected stage ${e.stage}, got ${r.stage}`
      return null
    })

    if (c.resign) {
      const s = c.resign
      check(c.id, 'sign reproduces TLS.sig', () => {
        const signer = createSigner({ sdkAppId: s.sdkAppId, secretKey: s.key, userIdPolicy: 'any' })
        const common = { expiresIn: s.expire, now: s.time }
        let token: string
        if (s.kind === 'genUserSig') token = signer.userSig(s.identifier, common)
        else if (s.kind === 'genUserSigWithBuf') token = signer.userSigWithUserBuf(s.identifier, hex(s.userbufHex ?? ''), common)
        else if (s.roomId !== undefined) token = signer.privateMapKey(s.identifier, { roomId: s.roomId, privileges: s.privileges ?? 0, ...common })
        else token = signer.privateMapKey(s.identifier, { strRoomId: s.strRoomId ?? '', privileges: s.privileges ?? 0, ...common })
        const ours = decodeUserSig(token)
        if (ours.signature !== c.decoded?.json['TLS.sig']) return 'TLS.sig differs'
        if (toHex(ours.userBuf) !== (c.decoded?.userbufHex ?? null)) return 'userbuf differs'
        return null
      })
    }
  }
  return out
}
