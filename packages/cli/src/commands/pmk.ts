/** `usersig pmk`: sign a PrivateMapKey (TRTC advanced permission control) for one room and a set of privileges. */
import { checkToolUserId, createSigner, normalizeSdkAppId } from 'usersig'
import { EXIT, type ExitCode, usageError } from '../errors.js'
import { c, formatDuration, formatUtc, isTTY, write, writeJson } from '../format.js'
import { loadSecretKeys, NO_KEY_HINT, pickSigningKey } from '../keys.js'
import { checkUserIdFlag, expiresInValue, parseInteger, parseNow, parseSdkAppId, refuseKeyShaped } from '../options.js'
import type { SigningFlags } from './gen.js'

/** `usersig pmk`'s flags: the signing flags and the room with its privileges. */
export interface PmkOptions extends SigningFlags {
  roomId?: string
  strRoomId?: string
  privileges: string
}

export interface PmkJson {
  sdkAppId: number
  userId: string
  privateMapKey: string
  issuedAt: number
  expiresAt: number
  expiresIn: number
  roomId: number | null
  strRoomId: string | null
  privileges: number
  privilegeNames: string[]
  keyId: string
}

export async function pmk(opts: PmkOptions): Promise<ExitCode> {
  if (opts.privateKeyFile !== undefined) {
    throw usageError('pmk signs with the v2 secret key only', 'legacy ECDSA PrivateMapKeys are not supported; use --key-file or USERSIG_SECRET_KEY')
  }
  const sdkAppId = parseSdkAppId(opts.sdkAppId, normalizeSdkAppId)
  checkUserIdFlag(opts.userId, opts.allowUnusualUserId, checkToolUserId)
  if (opts.roomId === undefined && opts.strRoomId === undefined) {
    throw usageError('pmk needs a room', 'pass --room-id N (numeric room) or --str-room-id S (string room)')
  }
  const room =
    opts.roomId !== undefined ? { roomId: parseInteger('--room-id', opts.roomId, 0, Number.MAX_SAFE_INTEGER) } : { strRoomId: opts.strRoomId ?? '' }
  const privileges = /^\s*\d+\s*$/.test(opts.privileges) ? Number(opts.privileges) : refuseKeyShaped('--privileges', opts.privileges)
  const now = parseNow(opts.now)
  const expiresIn = expiresInValue(opts.expiresIn)

  const secrets = await loadSecretKeys(opts)
  if (secrets === null) throw usageError('pmk needs the secret key', NO_KEY_HINT)
  const key = pickSigningKey(secrets, opts.keyId, opts.allowUnusualKey)
  const signer = createSigner({ sdkAppId, secretKey: key.secretKey, ...(opts.userIdPolicy ? { userIdPolicy: opts.userIdPolicy } : {}) })
  const r = signer.issuePrivateMapKey(opts.userId, { ...room, privileges, now, allowUnusualLifetime: opts.allowUnusualLifetime === true, ...(expiresIn === undefined ? {} : { expiresIn }) })
  const result: PmkJson = {
    sdkAppId: r.sdkAppId,
    userId: r.userId,
    privateMapKey: r.privateMapKey,
    issuedAt: r.issuedAt,
    expiresAt: r.expiresAt,
    expiresIn: r.expiresIn,
    roomId: r.roomId ?? null,
    strRoomId: r.strRoomId ?? null,
    privileges: r.privileges,
    privilegeNames: r.privilegeNames,
    keyId: signer.keyId,
  }
  if (opts.json) {
    writeJson(result)
  } else {
    write(result.privateMapKey)
    if (isTTY()) {
      const roomText = result.strRoomId !== null ? `string room ${JSON.stringify(result.strRoomId)}` : `room ${result.roomId}`
      process.stderr.write(
        c().dim(
          `PrivateMapKey for ${JSON.stringify(result.userId)} @ ${result.sdkAppId}, ${roomText}, privileges ${result.privileges} (${result.privilegeNames.join(', ') || 'none'}), key ${result.keyId}, expires ${formatUtc(result.expiresAt)} (${formatDuration(result.expiresIn)})`,
        ) + '\n',
      )
    }
  }
  return EXIT.ok
}
