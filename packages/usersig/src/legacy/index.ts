/**
 * `usersig/legacy`: legacy (v1) ECDSA-SHA256 UserSigs, for apps created before 2019-07-19.
 *
 * Verification of legacy tokens goes through the core `verifyUserSig` with a key object made here
 * (`publicKey: legacyPublicKey(pem)`): the object carries the ECDSA check, so the root entry never loads it.
 * @example
 * import { createLegacySigner, generateLegacyKeyPair, legacyPublicKey } from 'usersig/legacy'
 * const { privateKeyPem, publicKeyPem } = generateLegacyKeyPair({ curve: 'secp256k1' })
 * const userSig = createLegacySigner({ sdkAppId: 1400000000, privateKey: privateKeyPem }).userSig('alice')
 * verifyUserSig(userSig, { sdkAppId: 1400000000, userId: 'alice', publicKey: legacyPublicKey(publicKeyPem) }).ok // true
 * @module
 */
export { createLegacySigner, type LegacySigner, type LegacySignerOptions } from './signer.js'
export {
  generateLegacyKeyPair, parseLegacyPrivateKey, parseLegacyPublicKey, encodeLegacyPrivateKeyPem, encodeLegacyPublicKeyPem,
  type LegacyKeyPair, type LegacyPrivateKey, type LegacyPublicKey, type GenerateLegacyKeyPairOptions,
} from './keys.js'
export { verifyLegacySignature, type ParsedPublicKey } from './verify.js'
export { legacyPublicKey } from './publickey.js'
export type { LegacyPublicKeyObject } from '../keys.js'
export { legacySignedContent } from './content.js'
export type { LegacyCurve } from './_curves.js'
