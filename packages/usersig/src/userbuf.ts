/**
 * The PrivateMapKey userbuf (docs/spec/format.md §2.3), big-endian:
 * cVer u8 | accountLen u16 | account | sdkAppId u32 | roomId u32 | expiresAt u32 | privileges u32 | accountType u32
 * [| strRoomLen u16 | strRoom]. Strings are written as UTF-8 (as the official Go, PHP and C++ do).
 */
import { utf8Decode, utf8Encode, utf8Length } from './_utf8.js'
import { UserSigError } from './errors.js'
import { privilegeNames, type PrivilegeName } from './privileges.js'

/** The longest userbuf a token can carry, in bytes (its length is written in 16 bits). */
export const MAX_USERBUF_BYTES = 65535

/**
 * The one checker of the `userBuf` input, for signers and verifiers alike: bytes, at most MAX_USERBUF_BYTES of them,
 * else UserSigError INVALID_USERBUF.
 * @example checkUserBuf(new TextEncoder().encode('room=1'))
 */
export function checkUserBuf(userBuf: unknown): Uint8Array {
  if (!(userBuf instanceof Uint8Array)) throw new UserSigError('INVALID_USERBUF', 'userBuf must be a Uint8Array')
  if (userBuf.length > MAX_USERBUF_BYTES) throw new UserSigError('INVALID_USERBUF', `userBuf is ${userBuf.length} bytes; the limit is ${MAX_USERBUF_BYTES}`)
  return userBuf
}

/** A PrivateMapKey's userbuf, parsed: the user, app, room, expiry and privilege bits it grants. */
export interface PrivateMapKeyFields {
  /** cVer: 0 numeric room, 1 string room. */
  version: 0 | 1
  /** The user the permission is for (the userbuf's account). */
  userId: string
  /** @deprecated the glossary's word is `userId` (same value). */
  account: string
  sdkAppId: number
  /** Numeric room id (0 for string rooms). */
  roomId: number
  strRoomId: string | null
  /** Absolute expiry, unix seconds (mod 2^32). */
  expiresAt: number
  privileges: number
  privilegeNames: PrivilegeName[]
  accountType: number
  /** The account or room bytes were not valid UTF-8 and were read as Latin-1 (a low-byte producer: node/java). */
  nonUtf8?: true
}

/** The values a PrivateMapKey's userbuf holds (encodePrivateMapKeyUserBuf): one of roomId and strRoomId. */
export interface PrivateMapKeyInput {
  /** The user (written as the userbuf's account). */
  userId?: string
  /** @deprecated the glossary's word is `userId`. */
  account?: string
  sdkAppId: number
  roomId?: number | undefined
  strRoomId?: string | undefined
  expiresAt: number
  privileges: number
}

/** Byte length of the PrivateMapKey userbuf for `p`. */
export function privateMapKeyUserBufLength(p: PrivateMapKeyInput): number {
  return 23 + utf8Length(p.userId ?? p.account ?? '') + (p.strRoomId !== undefined ? 2 + utf8Length(p.strRoomId) : 0)
}

/** Builds the PrivateMapKey userbuf. Inputs are assumed checked. */
export function encodePrivateMapKeyUserBuf(p: PrivateMapKeyInput, accountUtf8?: Uint8Array): Uint8Array {
  const b = new Uint8Array(accountUtf8 === undefined ? privateMapKeyUserBufLength(p) : 23 + accountUtf8.length + (p.strRoomId !== undefined ? 2 + utf8Length(p.strRoomId) : 0))
  const user = p.userId ?? p.account
  if (typeof user !== 'string') throw new TypeError('encodePrivateMapKeyUserBuf needs userId')
  writePrivateMapKeyUserBuf(user, p.sdkAppId, p.strRoomId ?? p.roomId ?? 0, p.expiresAt, p.privileges, b, accountUtf8)
  return b
}

/**
 * Writes the PrivateMapKey userbuf for these fields into `b` (at least privateMapKeyUserBufLength bytes: the signer's
 * reused buffer) and returns its length. `room` is the numeric room or the string room. Inputs are assumed checked.
 */
export function writePrivateMapKeyUserBuf(user: string, sdkAppId: number, room: number | string, expiresAt: number, privileges: number, b: Uint8Array, accountUtf8?: Uint8Array): number {
  // An ASCII account is copied from the string directly (no encoded copy); others are UTF-8 encoded first.
  const account: Uint8Array | string = accountUtf8 ?? (isAscii(user) ? user : utf8Encode(user))
  const strRoom = typeof room === 'string' ? utf8Encode(room) : null
  const size = 23 + account.length + (strRoom ? 2 + strRoom.length : 0)
  let o = 0
  b[o++] = strRoom ? 1 : 0
  b[o++] = (account.length >>> 8) & 0xff
  b[o++] = account.length & 0xff
  if (typeof account === 'string') for (let i = 0; i < account.length; i++) b[o + i] = account.charCodeAt(i)
  else b.set(account, o)
  o += account.length
  o = u32(b, o, sdkAppId)
  o = u32(b, o, strRoom ? 0 : (room as number))
  o = u32(b, o, expiresAt)
  o = u32(b, o, privileges)
  o = u32(b, o, 0)
  if (strRoom) {
    b[o++] = (strRoom.length >>> 8) & 0xff
    b[o++] = strRoom.length & 0xff
    b.set(strRoom, o)
  }
  return size
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false
  return true
}

function u32(b: Uint8Array, o: number, v: number): number {
  v = v >>> 0 // mod 2^32, as every official producer does
  b[o] = v >>> 24
  b[o + 1] = (v >>> 16) & 0xff
  b[o + 2] = (v >>> 8) & 0xff
  b[o + 3] = v & 0xff
  return o + 4
}

function r32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0
}

function text(b: Uint8Array, start: number, end: number): { s: string; utf8: boolean } {
  const s = utf8Decode(b, start, end)
  if (s !== null) return { s, utf8: true }
  let out = ''
  for (let i = start; i < end; i++) out += String.fromCharCode(b[i]!)
  return { s: out, utf8: false }
}

/**
 * Parses a userbuf as a PrivateMapKey. Returns null when the bytes do not have the exact layout (an arbitrary userbuf).
 */
export function decodePrivateMapKeyUserBuf(b: Uint8Array): PrivateMapKeyFields | null {
  if (b.length < 23) return null
  const ver = b[0]
  if (ver !== 0 && ver !== 1) return null
  const alen = (b[1]! << 8) | b[2]!
  const fixedEnd = 3 + alen + 20
  if (b.length < fixedEnd) return null
  let room: { s: string; utf8: boolean } | null = null
  if (ver === 0) {
    if (b.length !== fixedEnd) return null
  } else {
    if (b.length < fixedEnd + 2) return null
    const rlen = (b[fixedEnd]! << 8) | b[fixedEnd + 1]!
    if (b.length !== fixedEnd + 2 + rlen) return null
    room = text(b, fixedEnd + 2, fixedEnd + 2 + rlen)
  }
  const account = text(b, 3, 3 + alen)
  const o = 3 + alen
  const privileges = r32(b, o + 12)
  const fields: PrivateMapKeyFields = {
    version: ver,
    userId: account.s,
    account: account.s,
    sdkAppId: r32(b, o),
    roomId: r32(b, o + 4),
    strRoomId: room ? room.s : null,
    expiresAt: r32(b, o + 8),
    privileges,
    privilegeNames: privilegeNames(privileges),
    accountType: r32(b, o + 16),
  }
  if (!account.utf8 || (room && !room.utf8)) fields.nonUtf8 = true
  return fields
}
