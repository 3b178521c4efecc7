/**
 * usersig: sign, verify, decode and explain Tencent Cloud UserSig and PrivateMapKey.
 * Synchronous, no Node built-ins: runs in Node, browsers, mini-programs and edge runtimes.
 * Legacy (v1, ECDSA) signing and key objects live in `usersig/legacy`; nothing here loads ECDSA code.
 */
export { UserSigError, type UserSigErrorCode, type UserSigErrorOptions, type MalformedStage } from './errors.js'
export { CODES, codeRank, TENCENT_CODES, type Code, type CodeInfo, type Severity, type FailureReason, type WarningCode } from './codes.js'
export {
  createSigner, signUserSig, type SignUserSigOptions, type Signer, type SignerOptions, type SignOptions, type PrivateMapKeyOptions, type IssuedUserSig,
  type IssuedPrivateMapKey, DEFAULT_USERSIG_EXPIRES_IN, DEFAULT_PRIVATE_MAP_KEY_EXPIRES_IN,
} from './sign.js'
export { decodeUserSig, type DecodedUserSig, type DecodeOptions, type Warning, DEFAULT_MAX_DECOMPRESSED_BYTES } from './decode.js'
export {
  createVerifier, verifyUserSig, type Verifier, type VerifierOptions, type VerifierKeys, type VerifyCallOptions, type VerifyOptions, type VerifyResult,
  type VerifyOk, type VerifyFailure, type Failure, type SecretKeyEntry,
} from './verify.js'
export { generateSecretKey, keyFingerprint, type LegacyPublicKeyObject } from './keys.js'
export { parseExpiresIn, parseDuration, DURATION_PATTERN, lifetimeInMilliseconds, MAX_EXPIRES_IN } from './expires.js'
export { isConsoleSecretKey, checkToolSecretKey } from './secret.js'
export { repairUserSigInput, type Repair } from './repair.js'
export { parsePrivileges, privilegeNames, PRIVILEGES, PRIVILEGE_PRESETS, type Privileges, type PrivilegeName, type PrivilegePreset } from './privileges.js'
export { checkUserId, checkToolUserId, USER_ID_POLICIES, type UserIdPolicy } from './userid.js'
export { normalizeSdkAppId } from './sdkappid.js'
export { checkRoom, type Room } from './room.js'
export { encodePrivateMapKeyUserBuf, decodePrivateMapKeyUserBuf, type PrivateMapKeyFields, type PrivateMapKeyInput } from './userbuf.js'
export { decodedToJson, type DecodedUserSigJson, type PrivateMapKeyJson } from './decoded-json.js'
export { explainUserSig, type Explanation, type ExplainOptions, type Finding } from './explain.js'
