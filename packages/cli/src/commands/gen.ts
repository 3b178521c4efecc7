/** `usersig gen`: sign a UserSig with the v2 secret key (or a legacy ECDSA private key). */
import { checkToolUserId, createSigner, decodeUserSig, normalizeSdkAppId, type IssuedUserSig, type UserIdPolicy } from 'usersig'
import { EXIT, type ExitCode, usageError } from '../errors.js'
import { c, formatDuration, formatUtc, isTTY, write, writeJson } from '../format.js'
import { loadPem, loadSecretKeys, NO_KEY_HINT, pickSigningKey, type KeyFlags } from '../keys.js'
import { checkUserIdFlag, expiresInValue, parseNow, parseSdkAppId } from '../options.js'

/** The flags every signing command takes (`gen`, `pmk`): the app, the user, the lifetime, the key and the switches. */
export interface SigningFlags extends KeyFlags {
  sdkAppId: string
  userId: string
  expiresIn?: string
  now?: string
  userIdPolicy?: UserIdPolicy
  json?: boolean
  allowUnusualKey?: boolean
  allowUnusualLifetime?: boolean
  allowUnusualUserId?: boolean
}

/** `usersig gen`'s flags. */
export type GenOptions = SigningFlags

/** `--json` output: the core's IssuedUserSig plus the id of the signing key. */
export interface GenJson extends IssuedUserSig {
  keyId: string | null
}

export async function gen(opts: GenOptions): Promise<ExitCode> {
  const sdkAppId = parseSdkAppId(opts.sdkAppId, normalizeSdkAppId)
  checkUserIdFlag(opts.userId, opts.allowUnusualUserId, checkToolUserId)
  const now = parseNow(opts.now)
  const expiresIn = expiresInValue(opts.expiresIn)
  const signOpts = { now, allowUnusualLifetime: opts.allowUnusualLifetime === true, ...(expiresIn === undefined ? {} : { expiresIn }) }

  let result: GenJson
  if (opts.privateKeyFile !== undefined) {
    if (opts.keyFile !== undefined || opts.keyStdin) {
      throw usageError('--private-key-file and a v2 secret key both given', 'sign with one: a legacy private key or the v2 secret key')
    }
    const privateKey = await loadPem(opts.privateKeyFile, '--private-key-file')
    const { createLegacySigner } = await import('usersig/legacy')
    const userSig = createLegacySigner({ sdkAppId, privateKey }).userSig(opts.userId, signOpts)
    const d = decodeUserSig(userSig)
    result = { sdkAppId, userId: opts.userId, userSig, issuedAt: d.issuedAt, expiresAt: d.expiresAt, expiresIn: d.expiresIn, keyId: null }
  } else {
    const secrets = await loadSecretKeys(opts)
    if (secrets === null) throw usageError('gen needs the secret key', NO_KEY_HINT)
    const key = pickSigningKey(secrets, opts.keyId, opts.allowUnusualKey)
    const signer = createSigner({ sdkAppId, secretKey: key.secretKey, ...(opts.userIdPolicy ? { userIdPolicy: opts.userIdPolicy } : {}) })
    const r = signer.issueUserSig(opts.userId, signOpts)
    result = { sdkAppId: r.sdkAppId, userId: r.userId, userSig: r.userSig, issuedAt: r.issuedAt, expiresAt: r.expiresAt, expiresIn: r.expiresIn, keyId: signer.keyId }
  }

  if (opts.json) {
    writeJson(result)
  } else {
    write(result.userSig)
    if (isTTY()) {
      const key = result.keyId === null ? 'legacy key' : `key ${result.keyId}`
      process.stderr.write(c().dim(`UserSig for ${JSON.stringify(result.userId)} @ ${result.sdkAppId}, ${key}, expires ${formatUtc(result.expiresAt)} (${formatDuration(result.expiresIn)})`) + '\n')
    }
  }
  return EXIT.ok
}
