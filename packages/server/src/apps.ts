/**
 * One signer per configured app (SDKAppID). HMAC apps use the core signer; legacy ECDSA apps use `usersig/legacy`
 * (a PrivateMapKey for them is a v1 UserSig carrying the same userbuf).
 */
import { clampExpiresIn, hmacApp, refreshAt, type Issued, type IssuedPrivateMapKey, type IssuingApp, type Room } from '@usersig/issuer'
import { createLegacySigner, createVerifier, encodePrivateMapKeyUserBuf, legacyPublicKey, privilegeNames, type LegacyPublicKeyObject, type Verifier } from './core.js'
import type { AppConfig } from './config/types.js'

// The lifetime rules and types are the issuing pipeline's, so both adapters bound lifetimes the same way.
export { clampExpiresIn, refreshAt, type Issued, type IssuedPrivateMapKey, type Room }

/** An app as the service holds it: what the issuing steps use (its signer and policies), and its verifier. */
export interface AppRuntime extends IssuingApp {
  algorithm: 'hmac' | 'ecdsa'
  /** The app's key as explainUserSig takes it (explain prepares keys per call: it has no prepared-key form). */
  verifyKey: { secretKey: string } | { publicKey: LegacyPublicKeyObject }
  /**
   * This app's key prepared once (the core keeps no hidden key cache), bound to its SDKAppID, default clock
   * tolerance. Built with the runtime, so a reload that rotates the key builds a new one.
   */
  verifier: Verifier
}

/** The app's signer and verifier: HMAC apps through the issuing pipeline's `hmacApp`, legacy ECDSA apps through `usersig/legacy`. */
export function buildApp(c: AppConfig): AppRuntime {
  if (c.algorithm === 'hmac') {
    return { ...hmacApp(c), algorithm: 'hmac', verifyKey: { secretKey: c.secretKey }, verifier: createVerifier({ sdkAppId: c.sdkAppId, secretKey: c.secretKey }) }
  }
  const signer = createLegacySigner({ sdkAppId: c.sdkAppId, privateKey: c.privateKey, userIdPolicy: c.userIdPolicy })
  const publicKey = legacyPublicKey(signer.publicKeyPem)
  return {
    sdkAppId: c.sdkAppId,
    name: c.name,
    userIdPolicy: c.userIdPolicy,
    allowUnusualUserId: c.allowUnusualUserId,
    userSigExpiresIn: c.userSigExpiresIn,
    privateMapKeyExpiresIn: c.privateMapKeyExpiresIn,
    algorithm: 'ecdsa',
    keyId: signer.keyId,
    issueUserSig(userId, expiresIn, now) {
      const r = signer.issueUserSig(userId, { expiresIn, now, allowUnusualLifetime: true })
      return { userSig: r.userSig, issuedAt: r.issuedAt, expiresAt: r.expiresAt }
    },
    issuePrivateMapKey(userId, room, privileges, expiresIn, now) {
      // The v1 format carries the same userbuf; its expiry is computed from the same `now` as TLS.time.
      const userBuf = encodePrivateMapKeyUserBuf({ userId, sdkAppId: c.sdkAppId, ...room, expiresAt: (now + expiresIn) % 2 ** 32, privileges })
      const privateMapKey = signer.userSigWithUserBuf(userId, userBuf, { expiresIn, now, allowUnusualLifetime: true })
      return { privateMapKey, issuedAt: now, expiresAt: now + expiresIn, privileges, privilegeNames: privilegeNames(privileges) }
    },
    verifyKey: { publicKey },
    verifier: createVerifier({ sdkAppId: c.sdkAppId, publicKey }),
  }
}
