/**
 * Entry of the classic-script build (dist/testsig/usersig-testsig.js): sets `UserSigTestSig` on the page (or worker),
 * and `module.exports` where there is a CommonJS `module` (mini-program `require`).
 */
import { configure, forgetTestUserSigConfig, genTestUserSig } from './index.js'

declare const module: { exports?: unknown } | undefined

const api = { configure, genTestUserSig, forgetTestUserSigConfig }
if (typeof module === 'object' && module && module.exports) module.exports = api
if (typeof self === 'object') (self as unknown as { UserSigTestSig: typeof api }).UserSigTestSig = api
