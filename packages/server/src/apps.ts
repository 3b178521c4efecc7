/**
 * One signer per configured app (SDKAppID). HMAC apps use the core signer; legacy ECDSA apps use `usersig/legacy`
 * (a PrivateMapKey for them is a v1 UserSig carrying the same userbuf).
 */
import { createLegacySigner, createSigner, createVerifier, encodePrivateMapKeyUserBuf, legacyPublicKey, privilegeNames, type LegacyPublicKeyObject, type Verifier } from './core.js'
import type { AppConfig, TtlPolicy } from './config/types.js'
import type { UserIdPolicy } from './core.js'

export interface Issued {
  userSig: string
  issuedAt: number
  expiresAt: number
}

export interface IssuedPmk extends Issued {
  privileges: number
  privilegeNames: string[]
}

export interface AppRuntime {
  sdkAppId: number
  name: string
  algorithm: 'hmac' | 'ecdsa'
  /** Fingerprint of the key (first 8 hex chars of SHA-256), safe to log and show. */
  keyId: string
  userIdPolicy: UserIdPolicy
  userSig: TtlPolicy
  privateMapKey: TtlPolicy
  issueUserSig(userId: string, expiresIn: number, now: number): Issued
  issuePrivateMapKey: (userId: string, room: Room, privileges: number, expiresIn: number, now: number) => IssuedPmk
  /** The app's key as explainUserSig takes it (explain prepares keys per call: it has no prepared-key form). */
  verifyKey: { secretKey: string } | { publicKey: LegacyPublicKeyObject }
  /**
   * This app's key prepared once (the core keeps no hidden key cache), bound to its SDKAppID, default clock
   * tolerance. Built with the runtime, so a reload that rotates the key builds a new one.
   */
  verifier: Verifier
}

export type Room = { roomId: number } | { strRoomId: string }

export function buildApp(c: AppConfig): AppRuntime {
  const base = { sdkAppId: c.sdkAppId, name: c.name, userIdPolicy: c.userIdPolicy, userSig: c.userSig, privateMapKey: c.privateMapKey }
  if (c.algorithm === 'hmac') {
    const signer = createSigner({ sdkAppId: c.sdkAppId, secretKey: c.secretKey, userIdPolicy: c.userIdPolicy })
    return {
      ...base,
      algorithm: 'hmac',
      keyId: signer.keyId,
      issueUserSig(userId, expiresIn, now) {
        const r = signer.issueUserSig(userId, { expiresIn, now })
        return { userSig: r.userSig, issuedAt: r.issuedAt, expiresAt: r.expiresAt }
      },
      issuePrivateMapKey(userId, room, privileges, expiresIn, now) {
        const r = signer.issuePrivateMapKey(userId, { ...room, privileges, expiresIn, now })
        return { userSig: r.userSig, issuedAt: r.issuedAt, expiresAt: r.expiresAt, privileges: r.privileges, privilegeNames: r.privilegeNames }
      },
      verifyKey: { secretKey: c.secretKey },
      verifier: createVerifier({ sdkAppId: c.sdkAppId, secretKey: c.secretKey }),
    }
  }
  const signer = createLegacySigner({ sdkAppId: c.sdkAppId, privateKey: c.privateKeyPem, userIdPolicy: c.userIdPolicy })
  const publicKey = legacyPublicKey(signer.publicKeyPem)
  return {
    ...base,
    algorithm: 'ecdsa',
    keyId: signer.keyId,
    issueUserSig(userId, expiresIn, now) {
      const r = signer.issueUserSig(userId, { expiresIn, now })
      return { userSig: r.userSig, issuedAt: r.issuedAt, expiresAt: r.expiresAt }
    },
    issuePrivateMapKey(userId, room, privileges, expiresIn, now) {
      // The v1 format carries the same userbuf; its expiry is computed from the same `now` as TLS.time.
      const userBuf = encodePrivateMapKeyUserBuf({ account: userId, sdkAppId: c.sdkAppId, ...room, expiresAt: (now + expiresIn) % 2 ** 32, privileges })
      const userSig = signer.userSigWithUserBuf(userId, userBuf, { expiresIn, now })
      return { userSig, issuedAt: now, expiresAt: now + expiresIn, privileges, privilegeNames: privilegeNames(privileges) }
    },
    verifyKey: { publicKey },
    verifier: createVerifier({ sdkAppId: c.sdkAppId, publicKey }),
  }
}

/** Clamps a requested lifetime to the app's policy; no request means the default. */
export function clampTtl(requested: number | undefined, p: TtlPolicy): number {
  if (requested === undefined) return p.defaultTtl
  return Math.min(p.maxTtl, Math.max(p.minTtl, requested))
}

/**
 * When a client should fetch a new one: after 80% of the lifetime, so that a TRTC reconnect
 * (which needs the sig still valid 30 s+ after a drop) never meets an expired sig.
 */
export function refreshAt(issuedAt: number, expiresAt: number): number {
  return issuedAt + Math.floor((expiresAt - issuedAt) * 0.8)
}
