/**
 * The one place the service touches the core library, so an API change in `usersig` is fixed here only.
 * Legacy (ECDSA) apps use `usersig/legacy`.
 */
export {
  createSigner,
  createVerifier,
  checkToolSecretKey,
  verifyUserSig,
  decodeUserSig,
  decodedToJson,
  repairUserSigInput,
  explainUserSig,
  generateSecretKey,
  keyFingerprint,
  parseExpiresIn,
  parsePrivileges,
  privilegeNames,
  PRIVILEGE_PRESETS,
  checkUserId,
  checkToolUserId,
  normalizeSdkAppId,
  UserSigError,
  encodePrivateMapKeyUserBuf,
} from 'usersig'
export { createLegacySigner, legacyPublicKey } from 'usersig/legacy'
export type { UserIdPolicy, LegacyPublicKeyObject, Verifier } from 'usersig'
