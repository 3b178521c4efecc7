/**
 * The one JSON shape of a decoded token, printed by the CLI (`decode --json`), the HTTP API (`/v1/verify`,
 * `/v1/explain`), the console and its redacted report. Words follow docs/glossary.md; bytes are base64.
 */
import { base64Encode } from './_base64.js'
import type { DecodedUserSig } from './decode.js'
import type { PrivateMapKeyFields } from './userbuf.js'

/** A PrivateMapKey's userbuf as JSON (see {@link DecodedUserSigJson}): its fields without the deprecated `account`. */
export type PrivateMapKeyJson = Omit<PrivateMapKeyFields, 'account'>

/** A decoded token as plain JSON: the glossary's words, unix seconds, bytes as base64. */
export interface DecodedUserSigJson {
  version: 'v2' | 'v1'
  sdkAppId: number
  userId: string
  /** Unix seconds (`TLS.time`). */
  issuedAt: number
  /** Seconds (`TLS.expire`, or `TLS.expire_after` in v1). */
  expiresIn: number
  /** Unix seconds, `issuedAt + expiresIn`. */
  expiresAt: number
  /** The signature as the token carries it (`TLS.sig`). */
  signature: string
  /** The userbuf bytes in standard base64, or null when the token has none. */
  userBuf: string | null
  privateMapKey: PrivateMapKeyJson | null
  /** v1 only: the legacy fields the v2 format dropped; null for v2. */
  legacy: { accountType: string; appidAt3rd: string | null; version: string | null } | null
  warnings: Array<{ code: string; message: string }>
  /** The token's own JSON members, as plain JSON values. */
  fields: Record<string, unknown>
}

/**
 * The JSON form of a decoded token: one shape wherever a decoded token is printed.
 * @example
 * ```ts
 * JSON.stringify(decodedToJson(decodeUserSig(token)))
 * ```
 */
export function decodedToJson(d: DecodedUserSig): DecodedUserSigJson {
  const p = d.privateMapKey
  return {
    version: d.version,
    sdkAppId: d.sdkAppId,
    userId: d.userId,
    issuedAt: d.issuedAt,
    expiresIn: d.expiresIn,
    expiresAt: d.expiresAt,
    signature: d.signature,
    userBuf: d.userBuf === null ? null : base64Encode(d.userBuf),
    privateMapKey:
      p === null
        ? null
        : {
            version: p.version,
            userId: p.userId,
            sdkAppId: p.sdkAppId,
            roomId: p.roomId,
            strRoomId: p.strRoomId,
            expiresAt: p.expiresAt,
            privileges: p.privileges,
            privilegeNames: p.privilegeNames,
            accountType: p.accountType,
          },
    legacy: d.legacy ?? null,
    warnings: d.warnings.map((w) => ({ code: w.code, message: w.message })),
    fields: d.fields,
  }
}
