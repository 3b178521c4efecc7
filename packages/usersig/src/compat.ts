/**
 * Drop-in replacement for the official `tls-sig-api-v2` npm package:
 *   const { Api } = require('tls-sig-api-v2')  →  import { Api } from 'usersig/compat'
 * Same methods and the same signed values for every input the official package turns into a token Tencent accepts,
 * including a number as the UserID and `expire` as a string of digits. Where the official package silently produced a
 * token that can never verify (docs/spec/format.md: undefined or fractional expire, expire text that is not plain
 * digits, padded SDKAppID strings, keys with whitespace, PEM keys, empty UserIDs, milliseconds as expire, an empty
 * string room), this one throws a UserSigError.
 * PrivateMapKey account and room strings are written as UTF-8 (the official Node package truncates non-ASCII to one
 * byte per UTF-16 unit; the Go, PHP and C++ libraries write UTF-8).
 */
import { HmacSha256Key } from './_sha256.js'
import { utf8Encode, utf8Length } from './_utf8.js'
import { UserSigError } from './errors.js'
import { normalizeSdkAppId } from './sdkappid.js'
import { checkSecretKey } from './secret.js'
import { checkUserId } from './userid.js'
import { encodePrivateMapKeyUserBuf } from './userbuf.js'
import { assembleV2 } from './sign.js'

/** The largest value any verifier can read back (the C++ verifier reads TLS.expire as uint32). */
const U32 = 4294967295

/**
 * The official package writes `"" + userid` into the token, so a number (or bigint) UserID is signed as its decimal
 * text and verifies as that UserID: accepted the same way here. NaN and Infinity are refused as the mistakes they are.
 */
function toUserId(userid: unknown): unknown {
  if (typeof userid === 'bigint') return String(userid)
  if (typeof userid === 'number') {
    if (!Number.isFinite(userid)) throw new UserSigError('INVALID_USERID', `userid must be a string or a finite number, got ${userid}`, { hint: 'pass the UserID as a string' })
    return String(userid)
  }
  return userid
}

/**
 * expire as the official package takes it. It signs the text of `expire` but writes `Number(expire)` into the JSON:
 * a whole number, or a string of plain decimal digits ("86400"), gives the same value in both places and a token that
 * verifies, so both are accepted. Anything else (a fraction, undefined, NaN, " 86400", "86400.0", "1e5") gives the
 * official package a signed text that differs from the JSON, or a value Tencent cannot read as whole seconds.
 */
function checkExpire(expire: unknown): number {
  let value = expire
  if (typeof expire === 'string') {
    if (!/^(?:0|[1-9][0-9]{0,15})$/.test(expire)) {
      throw new UserSigError('INVALID_EXPIRES_IN', `expire must be a whole number of seconds; the string ${JSON.stringify(expire.slice(0, 32))} is not plain decimal digits`, {
        hint: 'with this text the official package signs one value and writes another into the token, which then never verifies; pass e.g. 86400 or "86400"',
      })
    }
    value = Number(expire)
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new UserSigError('INVALID_EXPIRES_IN', `expire must be an integer number of seconds, got ${typeof value === 'number' ? value : typeof value}`, {
      hint: 'Tencent reads TLS.expire as whole seconds; a fraction, undefined or NaN (which the official package signs as is) is rejected there',
    })
  }
  if (value < 0) throw new UserSigError('INVALID_EXPIRES_IN', `expire must not be negative, got ${value}`)
  if (value > U32) {
    throw new UserSigError('INVALID_EXPIRES_IN', `expire of ${value} seconds does not fit in 32 bits`, { hint: 'expire is a duration in seconds, not milliseconds (Date.now()) and not a timestamp' })
  }
  return value
}

function checkU32(value: unknown, code: 'INVALID_ROOM_ID' | 'INVALID_PRIVILEGES', name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > U32) {
    throw new UserSigError(code, `${name} must be an integer from 0 to 4294967295, got ${typeof value === 'number' ? value : typeof value}`, {
      hint: code === 'INVALID_ROOM_ID' ? 'for a string room name use genPrivateMapKeyWithStringRoomID' : 'privileges are 8 bits: 255 is all, 42 is audience',
    })
  }
  return value
}

/**
 * The official package's signer, same constructor and methods: `new Api(sdkappid, key)`, then `genUserSig`,
 * `genPrivateMapKey`, `genPrivateMapKeyWithStringRoomID`, `genUserSigWithUserBuf`.
 * @example
 * ```ts
 * new Api(1400000000, secretKey).genUserSig('alice', 86400)
 * ```
 */
export class Api {
  readonly sdkappid: number
  readonly #key: HmacSha256Key

  /** @example new Api(1400000000, secretKey).genUserSig('alice', 86400) */
  constructor(sdkappid: number | string, key: string) {
    this.sdkappid = normalizeSdkAppId(sdkappid)
    this.#key = new HmacSha256Key(utf8Encode(checkSecretKey(key)))
  }

  #sign(userid: unknown, expire: unknown, userBuf: Uint8Array | null, time = Math.floor(Date.now() / 1000)): string {
    const id = toUserId(userid)
    checkUserId(id, 'any')
    return assembleV2(this.#key, id, this.sdkappid, time, checkExpire(expire), userBuf)
  }

  /** A UserSig valid for `expire` seconds. */
  genUserSig(userid: string | number | bigint, expire: number | string): string {
    return this.#sign(userid, expire, null)
  }

  /** A UserSig that carries `userBuf` (signed and embedded). */
  genSig(userid: string | number | bigint, expire: number | string, userBuf?: Uint8Array | null): string {
    if (userBuf === undefined || userBuf === null) return this.#sign(userid, expire, null)
    if (!(userBuf instanceof Uint8Array)) throw new UserSigError('INVALID_USERBUF', 'userBuf must be a Buffer or Uint8Array')
    return this.#sign(userid, expire, userBuf)
  }

  /** A PrivateMapKey for numeric room `roomid` with `privilegeMap` bits (0..255). */
  genPrivateMapKey(userid: string | number | bigint, expire: number | string, roomid: number, privilegeMap: number): string {
    return this.#pmk(userid, expire, { roomId: roomid }, privilegeMap)
  }

  /** A PrivateMapKey for string room `roomstr`. */
  genPrivateMapKeyWithStringRoomID(userid: string | number | bigint, expire: number | string, roomstr: string, privilegeMap: number): string {
    return this.#pmk(userid, expire, { strRoomId: roomstr }, privilegeMap)
  }

  #pmk(userid: unknown, expire: unknown, room: { roomId?: unknown; strRoomId?: unknown }, privilegeMap: unknown): string {
    const id = toUserId(userid)
    checkUserId(id, 'any')
    const e = checkExpire(expire)
    // Like the official package: any 32-bit room number and privilege map. A string room must be non-empty (the
    // official Node package writes a malformed "string room of length 0" for "": docs/spec/format.md §2.3).
    let roomId: number | undefined
    let strRoomId: string | undefined
    if (room.strRoomId !== undefined) {
      if (typeof room.strRoomId !== 'string' || room.strRoomId.length === 0 || utf8Length(room.strRoomId) > 65535) {
        throw new UserSigError('INVALID_STR_ROOM_ID', 'roomstr must be a non-empty string', { hint: 'TRTC string rooms are 1-64 bytes of a-z A-Z 0-9 and some punctuation' })
      }
      strRoomId = room.strRoomId
    } else roomId = checkU32(room.roomId, 'INVALID_ROOM_ID', 'roomid')
    const privileges = checkU32(privilegeMap, 'INVALID_PRIVILEGES', 'privilegeMap')
    const time = Math.floor(Date.now() / 1000)
    const userBuf = encodePrivateMapKeyUserBuf({ userId: id, sdkAppId: this.sdkappid, roomId, strRoomId, expiresAt: time + e, privileges })
    return this.#sign(id, e, userBuf, time)
  }
}

/** The official package's CommonJS shape, `{ Api }`, for `import TLSSigAPIv2 from 'usersig/compat'`. */
const compat: { Api: typeof Api } = { Api }
export default compat
