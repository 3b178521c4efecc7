/** Loads the golden vectors from the repo's own copy (vectors/, read-only) and states the verdicts docs/spec/verify.md prescribes for them. */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join, dirname } from 'node:path'

const here = dirname(fileURLToPath(import.meta.url))
export const VECTORS_DIR = process.env.USERSIG_VECTORS_DIR ?? join(here, '..', '..', '..', 'vectors')

export function loadVectors<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(VECTORS_DIR, name), 'utf8')) as T
}

export function hex(s: string): Uint8Array {
  const out = new Uint8Array(s.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16)
  return out
}

export type Expected = { ok: true; warnings?: string[] } | { ok: false; reason: string; stage?: string }

/**
 * Verdicts for v2-verify.json per docs/spec/verify.md, kept as data beside the vectors (vectors/v2-verify-expected.json)
 * so that other languages read the same table: no TLS.ver / other ver → MALFORMED fields; string-typed numbers →
 * MALFORMED fields; a userbuf token without an expected userbuf is valid; a plain token with an expected userbuf is
 * USERBUF_MISMATCH; expiry before signature.
 */
export const V2_VERIFY_EXPECTED: Record<string, Expected> = loadVectors<{ verdicts: Record<string, Expected> }>('v2-verify-expected.json').verdicts

/**
 * v1-verify.json: the verdict (docs/spec/verify.md §4) each record's description states, by the last part of its id; the
 * records' own data must agree (legacy.test.ts derives it independently).
 */
export const V1_VERIFY_EXPECTED: Record<string, string> = {
  'wrong-identifier': 'IDENTIFIER_MISMATCH',
  'wrong-sdkappid': 'SDKAPPID_MISMATCH',
  'now-eq-expiry': 'ok',
  expired: 'EXPIRED',
  'wrong-pubkey': 'SIGNATURE_INVALID',
  'tampered-expire': 'SIGNATURE_INVALID',
  'appid3rd-removed': 'SIGNATURE_INVALID',
  'sig-with-crlf': 'ok',
  'at-time': 'ok',
}

/**
 * v2-generated.json: every official token verifies at now = time with its inputs, except producer bugs:
 * - the HMAC in TLS.sig does not match its own content (go-v2-head empty userbuf, G2) → SIGNATURE_INVALID;
 * - the zlib stream is cut off (java-v2 2048-byte buffer, G11) → MALFORMED zlib;
 * - a required field was dropped by omitempty (go-v2-head with expire 0, time 0 or "" identifier, G3) → MALFORMED fields
 *   (docs/spec/verify.md §3: a missing field is MALFORMED; only Go accepted these).
 */
export function expectedForGenerated(r: any): Expected {
  if (r.decoded?.zlib_complete === false) return { ok: false, reason: 'MALFORMED', stage: 'zlib' }
  const json = r.decoded?.json ?? {}
  for (const k of ['TLS.ver', 'TLS.identifier', 'TLS.sdkappid', 'TLS.time', 'TLS.expire', 'TLS.sig']) {
    if (!(k in json)) return { ok: false, reason: 'MALFORMED', stage: 'fields' }
  }
  if (r.decoded?.['hmac_matches_TLS.sig'] === false) return { ok: false, reason: 'SIGNATURE_INVALID' }
  return { ok: true }
}

/** The verifier inputs of a v2-generated record. */
export function generatedVerifyInputs(r: any): { sdkAppId: number; userId: string; secretKey: string; now: number; userBuf?: Uint8Array } {
  const i = r.inputs
  return { sdkAppId: i.sdkappid, userId: i.identifier, secretKey: i.key, now: i.time }
}
