/**
 * The request bodies of POST /v1/usersig and /v1/private-map-key, checked by hand with the service's schema rules
 * (unknown fields refused, no type coercion, the same bounds). Only ever called once the caller is known: an
 * anonymous request is answered 401 before anything in its body is judged.
 */
import { normalizeSdkAppId, UserSigError } from 'usersig'
import { HttpError, type ErrorCode } from './errors.js'
import type { Room } from './policy.js'

export interface UserSigBody {
  sdkAppId?: number
  expiresIn?: number | string
  /** The caller means a lifetime that looks like milliseconds of a common one (86400000): it is not refused. */
  allowUnusualLifetime?: boolean
}

export interface PmkBody extends UserSigBody {
  room: Room
  privileges?: number | string | string[]
}

const STR_ROOM = /^[A-Za-z0-9 !#$%&()+\-:;<=.>?@[\]^_{}|~,]+$/

/** The JSON object of a body ('' is `{}`), or a 415/400 answer. */
export function jsonObject(text: string, contentType: string | null): Record<string, unknown> {
  if (text.trim() === '') return {}
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]*\+json$/.test(type)) {
    throw new HttpError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json')
  }
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch {
    throw new HttpError('INVALID_JSON', 'the body is not valid JSON')
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new HttpError('INVALID_REQUEST', 'the body must be a JSON object')
  return v as Record<string, unknown>
}

function only(o: Record<string, unknown>, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (k === 'userId') throw new HttpError('USERID_IN_BODY', 'the userId comes from your credentials, never from the request: remove "userId" from the body')
    if (!allowed.includes(k)) throw new HttpError('INVALID_REQUEST', `unknown field "${k.slice(0, 64)}" in body`)
  }
}

function integer(v: unknown, field: string, min: number, max: number, code: ErrorCode): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new HttpError('INVALID_REQUEST', `body.${field} must be an integer`)
  if (v < min || v > max) throw new HttpError(code, `body.${field} must be from ${min} to ${max}`)
  return v
}

/**
 * A request's `sdkAppId` (undefined: none named), by the core's one rule (normalizeSdkAppId: an integer 1..4294967295
 * or its decimal digits); a refusal is 400 INVALID_SDKAPPID with the core's message, on every adapter and route.
 */
export function requestedSdkAppId(v: unknown): number | undefined {
  if (v === undefined) return undefined
  try {
    return normalizeSdkAppId(v)
  } catch (e) {
    if (!(e instanceof UserSigError)) throw e
    throw new HttpError('INVALID_SDKAPPID', `body.${e.message}${e.hint ? ` (${e.hint})` : ''}`, { cause: e })
  }
}

function common(o: Record<string, unknown>): UserSigBody {
  const out: UserSigBody = {}
  const sdkAppId = requestedSdkAppId(o['sdkAppId'])
  if (sdkAppId !== undefined) out.sdkAppId = sdkAppId
  const e = o['expiresIn']
  if (e !== undefined) {
    // Judged by the core's one duration grammar when the lifetime is read (parseExpiresIn); only the type and length here.
    if (typeof e === 'number' || (typeof e === 'string' && e.length <= 16)) out.expiresIn = e
    else throw new HttpError('INVALID_EXPIRES_IN', 'body.expiresIn must be seconds or a string such as "30m", "12h", "7d"')
  }
  const u = o['allowUnusualLifetime']
  if (u !== undefined) {
    if (typeof u !== 'boolean') throw new HttpError('INVALID_REQUEST', 'body.allowUnusualLifetime must be true or false')
    out.allowUnusualLifetime = u
  }
  return out
}

export function userSigBody(o: Record<string, unknown>): UserSigBody {
  only(o, ['sdkAppId', 'expiresIn', 'allowUnusualLifetime'])
  return common(o)
}

export function pmkBody(o: Record<string, unknown>): PmkBody {
  only(o, ['sdkAppId', 'expiresIn', 'allowUnusualLifetime', 'roomId', 'strRoomId', 'privileges'])
  const base = common(o)
  const { roomId, strRoomId, privileges } = o
  if ((roomId === undefined) === (strRoomId === undefined)) throw new HttpError('INVALID_REQUEST', 'give exactly one of roomId (number) or strRoomId (string)')
  let room: Room
  if (roomId !== undefined) room = { roomId: integer(roomId, 'roomId', 1, 4294967294, 'INVALID_ROOM_ID') }
  else {
    if (typeof strRoomId !== 'string') throw new HttpError('INVALID_REQUEST', 'body.strRoomId must be a string')
    if (strRoomId.length < 1 || strRoomId.length > 64 || !STR_ROOM.test(strRoomId)) {
      throw new HttpError('INVALID_STR_ROOM_ID', 'body.strRoomId must be 1 to 64 characters of the TRTC room charset')
    }
    room = { strRoomId }
  }
  const out: PmkBody = { ...base, room }
  if (privileges !== undefined) {
    const ok =
      (typeof privileges === 'number' && Number.isInteger(privileges)) ||
      (typeof privileges === 'string' && privileges.length >= 1 && privileges.length <= 200) ||
      (Array.isArray(privileges) && privileges.length <= 8 && privileges.every((p) => typeof p === 'string' && p.length >= 1 && p.length <= 32))
    if (!ok) throw new HttpError('INVALID_PRIVILEGES', 'body.privileges must be bits 0..255, a preset, or privilege names')
    out.privileges = privileges as number | string | string[]
  }
  return out
}
