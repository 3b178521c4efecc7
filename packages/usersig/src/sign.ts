/**
 * v2 (HMAC-SHA256) signing: docs/spec/format.md §2.1–§2.2, docs/spec/verify.md §1. The JSON uses the official Node layout
 * (ver, identifier, sdkappid, time, expire, [userbuf], sig), compact and raw UTF-8.
 */
import { HmacSha256Key } from './_sha256.js'
import { utf8Encode } from './_utf8.js'
import { identifierBytes, isPlainIdentifier, signedToken } from './_payload.js'
import { UserSigError } from './errors.js'
import { toUnixSeconds } from './_time.js'
import { normalizeSdkAppId } from './sdkappid.js'
import { checkSecretKey, secretKeyFingerprint } from './secret.js'
import { checkUserId, checkUserIdPolicy, type UserIdPolicy } from './userid.js'
import { parseExpiresIn } from './expires.js'
import { parsePrivileges, privilegeNames, type PrivilegeName, type Privileges } from './privileges.js'
import { roomOf } from './room.js'
import { checkUserBuf, privateMapKeyUserBufLength, writePrivateMapKeyUserBuf } from './userbuf.js'

const userBufScratch = new Uint8Array(1024)

/** Low-level v2 token assembly from already-checked values. */
export function assembleV2(key: HmacSha256Key, identifier: string, sdkAppId: number, time: number, expire: number, userBuf: Uint8Array | null, userBufLength: number = userBuf === null ? 0 : userBuf.length): string {
  // A plain identifier is written straight from the string (no encoded copies); others are encoded once.
  const id = isPlainIdentifier(identifier) ? identifier : identifierBytes(identifier)
  return signedToken(key, id, sdkAppId, time, expire, userBuf, userBufLength)
}

/** What `createSigner` needs: the app and its secret key. */
export interface SignerOptions {
  /** The app (SDKAppID), a number or its decimal text. */
  sdkAppId: number | string
  /** The app's secret key (SDKSecretKey) exactly as shown in the console. */
  secretKey: string
  /** Which UserIDs to accept; default 'im' (printable ASCII, at most 32 bytes). */
  userIdPolicy?: UserIdPolicy
}

/** Per-token options of a signer: how long the token lives and when it was issued. */
export interface SignOptions {
  /** Lifetime: seconds or "90s" / "30m" / "12h" / "7d". Default 7 days for UserSigs. */
  expiresIn?: number | string
  /** The issue time: unix seconds or a Date. Default: the wall clock, read once. */
  now?: number | Date
  /** Accept a lifetime that looks like milliseconds of a common one (86400000 = one day in ms). Default false. */
  allowUnusualLifetime?: boolean
}

/** A PrivateMapKey's room and privileges, beside the options of any token. Give `roomId` or `strRoomId`. */
export interface PrivateMapKeyOptions extends SignOptions {
  /** A numeric TRTC room. */
  roomId?: number
  /** A string TRTC room. */
  strRoomId?: string
  /** Bits 0..255, a preset ("anchor", "audience"), names (["enter", "recvAudio"]) or "enter,recvAudio". */
  privileges: Privileges
}

/** A signed UserSig with the facts a client needs beside it (times in unix seconds). */
export interface IssuedUserSig {
  sdkAppId: number
  userId: string
  userSig: string
  /** Unix seconds. */
  issuedAt: number
  /** Unix seconds. */
  expiresAt: number
  expiresIn: number
}

/** A signed PrivateMapKey with its room and granted privileges. */
export interface IssuedPrivateMapKey extends IssuedUserSig {
  /** The PrivateMapKey (the token to pass as `privateMapKey` when entering the room). */
  privateMapKey: string
  /** @deprecated the glossary's word is `privateMapKey` (same value); it stays until the next major version. */
  userSig: string
  privileges: number
  privilegeNames: PrivilegeName[]
  roomId?: number
  strRoomId?: string
}

/** Signs UserSigs and PrivateMapKeys for one app with one prepared key (made by `createSigner`). */
export interface Signer {
  readonly sdkAppId: number
  /** Fingerprint of the secret key (8 hex chars). */
  readonly keyId: string
  userSig(userId: string, options?: SignOptions): string
  privateMapKey(userId: string, options: PrivateMapKeyOptions): string
  userSigWithUserBuf(userId: string, userBuf: Uint8Array, options?: SignOptions): string
  issueUserSig(userId: string, options?: SignOptions): IssuedUserSig
  issuePrivateMapKey(userId: string, options: PrivateMapKeyOptions): IssuedPrivateMapKey
}

/** Everything `signUserSig` needs in one bag. */
export interface SignUserSigOptions extends SignOptions {
  /** The app (SDKAppID), a number or its decimal text. */
  sdkAppId: number | string
  /** The app's secret key (SDKSecretKey) exactly as shown in the console. */
  secretKey: string
  /** The user the token is for. */
  userId: string
  /** Which UserIDs to accept; default 'im'. */
  userIdPolicy?: UserIdPolicy
}

/**
 * Signs one plain UserSig without creating a signer. Same checks and output as `createSigner(...).userSig(...)`; it
 * pulls in none of the PrivateMapKey code, for the smallest browser bundles (the test-sig module uses it).
 * @example signUserSig({ sdkAppId: 1400000000, secretKey, userId: 'alice', expiresIn: '1h' })
 */
export function signUserSig(options: SignUserSigOptions): string {
  if (options === null || typeof options !== 'object') throw new TypeError('signUserSig needs { sdkAppId, secretKey, userId }')
  const sdkAppId = normalizeSdkAppId(options.sdkAppId)
  const secretKey = checkSecretKey(options.secretKey)
  checkUserId(options.userId, options.userIdPolicy ?? 'im')
  const time = toUnixSeconds(options.now)
  const expire = options.expiresIn === undefined ? DEFAULT_USERSIG_EXPIRES_IN : parseExpiresIn(options.expiresIn, 'expiresIn', options)
  return assembleV2(new HmacSha256Key(utf8Encode(secretKey)), options.userId, sdkAppId, time, expire, null)
}

/** How long a UserSig lives when no `expiresIn` is given: 7 days, in seconds. */
export const DEFAULT_USERSIG_EXPIRES_IN: number = 7 * 86400
/** How long a PrivateMapKey lives when no `expiresIn` is given: 5 minutes, in seconds (it is checked on room entry only). */
export const DEFAULT_PRIVATE_MAP_KEY_EXPIRES_IN = 300

/**
 * Creates a v2 signer for one app. Inputs are checked once here and on every call; errors are UserSigError with a
 * stable code and never contain the key.
 * @example
 * const signer = createSigner({ sdkAppId: 1400000000, secretKey })
 * const userSig = signer.userSig('alice', { expiresIn: '7d' })
 */
export function createSigner(options: SignerOptions): Signer {
  if (options === null || typeof options !== 'object') throw new TypeError('createSigner needs { sdkAppId, secretKey }')
  const sdkAppId = normalizeSdkAppId(options.sdkAppId)
  const secretKey = checkSecretKey(options.secretKey)
  const policy = checkUserIdPolicy(options.userIdPolicy ?? 'im')
  const key = new HmacSha256Key(utf8Encode(secretKey))
  const keyId = secretKeyFingerprint(secretKey)

  // The token paths build no result objects (bench:ab against building them: userSig 1.017, privateMapKey 1.034).
  const sign = (userId: string, userBuf: Uint8Array | null, opts: SignOptions | undefined): [string, number, number] => {
    checkUserId(userId, policy)
    const time = toUnixSeconds(opts?.now)
    const expire = opts?.expiresIn === undefined ? DEFAULT_USERSIG_EXPIRES_IN : parseExpiresIn(opts.expiresIn, 'expiresIn', opts)
    return [assembleV2(key, userId, sdkAppId, time, expire, userBuf), time, expire]
  }
  const issue = (userId: string, userBuf: Uint8Array | null, opts: SignOptions | undefined): IssuedUserSig => {
    const [userSig, time, expire] = sign(userId, userBuf, opts)
    return { sdkAppId, userId, userSig, issuedAt: time, expiresAt: time + expire, expiresIn: expire }
  }

  // A PrivateMapKey: the token alone, or (`issue`) the token with what went into it. The token path builds no result
  // object, not even a tuple. bench:ab, privateMapKey, 15 rounds, against 861063e (the out-parameter version): 0.984,
  // 1.032, 1.003 (noise); against returning a tuple: 1.015, 0.993, 0.992.
  function signPmk(userId: string, opts: PrivateMapKeyOptions, issue: false): string
  function signPmk(userId: string, opts: PrivateMapKeyOptions, issue: true): IssuedPrivateMapKey
  function signPmk(userId: string, opts: PrivateMapKeyOptions, issue: boolean): string | IssuedPrivateMapKey {
    if (opts === null || typeof opts !== 'object') throw new TypeError('privateMapKey needs { roomId | strRoomId, privileges }')
    checkUserId(userId, policy)
    const room = roomOf(opts)
    if (opts.privileges === undefined) throw new UserSigError('INVALID_PRIVILEGES', 'privileges is required', { hint: 'e.g. privileges: "audience" (42) or ["enter", "recvAudio"]' })
    const privileges = parsePrivileges(opts.privileges)
    const time = toUnixSeconds(opts.now)
    const expire = opts.expiresIn === undefined ? DEFAULT_PRIVATE_MAP_KEY_EXPIRES_IN : parseExpiresIn(opts.expiresIn, 'expiresIn', opts)
    // dwExpTime uses the same `now` as TLS.time (no second clock read: docs/spec/format.md §2.3 on the inner expiry).
    // At most 3 UTF-8 bytes per UTF-16 unit: most userbufs fit the reused buffer without counting their bytes first.
    const strRoomId = typeof room === 'string' ? room : undefined
    const userBuf = 3 * (userId.length + (strRoomId?.length ?? 0)) + 25 <= userBufScratch.length
      ? userBufScratch
      : new Uint8Array(privateMapKeyUserBufLength({ userId, sdkAppId, strRoomId, expiresAt: 0, privileges }))
    const n = writePrivateMapKeyUserBuf(userId, sdkAppId, room, time + expire, privileges, userBuf)
    const privateMapKey = assembleV2(key, userId, sdkAppId, time, expire, userBuf, n)
    if (!issue) return privateMapKey
    const issued: IssuedPrivateMapKey = {
      sdkAppId,
      userId,
      privateMapKey,
      userSig: privateMapKey,
      issuedAt: time,
      expiresAt: time + expire,
      expiresIn: expire,
      privileges,
      privilegeNames: privilegeNames(privileges),
    }
    if (strRoomId === undefined) issued.roomId = room as number
    else issued.strRoomId = strRoomId
    return issued
  }

  return {
    sdkAppId,
    keyId,
    userSig: (userId, opts) => sign(userId, null, opts)[0],
    userSigWithUserBuf: (userId, userBuf, opts) => {
      return sign(userId, checkUserBuf(userBuf), opts)[0]
    },
    privateMapKey: (userId, opts) => signPmk(userId, opts, false),
    issueUserSig: (userId, opts) => issue(userId, null, opts),
    issuePrivateMapKey: (userId, opts) => signPmk(userId, opts, true),
  }
}
