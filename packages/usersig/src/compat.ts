/**
 * Drop-in replacement for the official `tls-sig-api-v2` npm package:
 *   const { Api } = require('tls-sig-api-v2')  →  import { Api } from 'usersig/compat'
 * Same methods and the same signed values for valid input. Where the official package silently produced a token that
 * can never verify (USER-NEEDS.md §10, FORMAT.md G29: undefined or fractional expire, padded SDKAppID strings, keys with
 * whitespace, PEM keys, empty UserIDs, milliseconds as expire, out-of-range rooms), this one throws a UserSigError.
 * PrivateMapKey account and room strings are written as UTF-8 (the official Node package truncates non-ASCII to one
 * byte per UTF-16 unit; the Go, PHP and C++ libraries write UTF-8).
 */
import { HmacSha256Key } from './_sha256.js'
import { utf8Encode } from './_utf8.js'
import { UserSigError } from './errors.js'
import { normalizeSdkAppId } from './sdkappid.js'
import { checkSecretKey } from './secret.js'
import { checkUserId } from './userid.js'
import { MAX_EXPIRES_IN } from './expires.js'
import { parsePrivileges } from './privileges.js'
import { checkRoom } from './room.js'
import { encodePrivateMapKeyUserBuf } from './userbuf.js'
import { assembleV2 } from './sign.js'

function checkExpire(expire: unknown): number {
  if (typeof expire !== 'number' || !Number.isInteger(expire)) {
    throw new UserSigError('INVALID_EXPIRES_IN', `expire must be an integer number of seconds, got ${typeof expire === 'number' ? expire : typeof expire}`, {
      hint: 'the official package would have signed a UserSig that never verifies',
    })
  }
  if (expire < 0) throw new UserSigError('INVALID_EXPIRES_IN', `expire must not be negative, got ${expire}`)
  if (expire > MAX_EXPIRES_IN) {
    throw new UserSigError('INVALID_EXPIRES_IN', `expire of ${expire} seconds is more than 50 years`, { hint: 'expire is a duration in seconds, not milliseconds (Date.now()) and not a timestamp' })
  }
  return expire
}

export class Api {
  readonly sdkappid: number
  readonly #key: HmacSha256Key

  /** @example new Api(1400000000, secretKey).genUserSig('alice', 86400) */
  constructor(sdkappid: number | string, key: string) {
    this.sdkappid = normalizeSdkAppId(sdkappid)
    this.#key = new HmacSha256Key(utf8Encode(checkSecretKey(key)))
  }

  #sign(userid: unknown, expire: unknown, userBuf: Uint8Array | null, time = Math.floor(Date.now() / 1000)): string {
    checkUserId(userid, 'any')
    return assembleV2(this.#key, userid, this.sdkappid, time, checkExpire(expire), userBuf)
  }

  /** A UserSig valid for `expire` seconds. */
  genUserSig(userid: string, expire: number): string {
    return this.#sign(userid, expire, null)
  }

  /** A UserSig that carries `userBuf` (signed and embedded). */
  genSig(userid: string, expire: number, userBuf?: Uint8Array | null): string {
    if (userBuf === undefined || userBuf === null) return this.#sign(userid, expire, null)
    if (!(userBuf instanceof Uint8Array)) throw new UserSigError('INVALID_USERBUF', 'userBuf must be a Buffer or Uint8Array')
    return this.#sign(userid, expire, userBuf)
  }

  /** A PrivateMapKey for numeric room `roomid` with `privilegeMap` bits (0..255). */
  genPrivateMapKey(userid: string, expire: number, roomid: number, privilegeMap: number): string {
    return this.#pmk(userid, expire, { roomId: roomid }, privilegeMap)
  }

  /** A PrivateMapKey for string room `roomstr`. */
  genPrivateMapKeyWithStringRoomID(userid: string, expire: number, roomstr: string, privilegeMap: number): string {
    return this.#pmk(userid, expire, { strRoomId: roomstr }, privilegeMap)
  }

  #pmk(userid: unknown, expire: unknown, room: { roomId?: unknown; strRoomId?: unknown }, privilegeMap: unknown): string {
    checkUserId(userid, 'any')
    const e = checkExpire(expire)
    const r = checkRoom(room)
    if (typeof privilegeMap !== 'number') throw new UserSigError('INVALID_PRIVILEGES', `privilegeMap must be a number, got ${typeof privilegeMap}`)
    const privileges = parsePrivileges(privilegeMap)
    const time = Math.floor(Date.now() / 1000)
    const userBuf = encodePrivateMapKeyUserBuf({ account: userid, sdkAppId: this.sdkappid, roomId: r.roomId, strRoomId: r.strRoomId, expiresAt: time + e, privileges })
    return this.#sign(userid, e, userBuf, time)
  }
}

export default { Api }
