/**
 * The one place the page touches the core library `usersig`, so an API change there is fixed here only.
 * Everything the debugger and the generator do runs through these functions, inside the page.
 */
export {
  CODES,
  createSigner,
  verifyUserSig,
  decodeUserSig,
  decodedToJson,
  explainUserSig,
  UserSigError,
  keyFingerprint,
  PRIVILEGES,
  PRIVILEGE_PRESETS,
  normalizeSdkAppId,
  parseExpiresIn,
  repairUserSigInput,
  checkToolSecretKey,
  checkToolUserId,
  lifetimeInMilliseconds,
} from 'usersig'
export { legacyPublicKey } from 'usersig/legacy'
export type { DecodedUserSig, DecodedUserSigJson, VerifyResult, UserIdPolicy, Explanation as ExplainResult, Finding as ExplainFinding } from 'usersig'
