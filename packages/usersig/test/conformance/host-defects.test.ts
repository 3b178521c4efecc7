/**
 * A host defect is not a bad token. When a host API the library uses throws a TypeError (or a global it reads is
 * missing: a ReferenceError), decode, verify and explain let that error through instead of calling a valid token
 * MALFORMED, which is how the missing globalThis stayed hidden (see es2017.test.ts).
 */
import test from 'node:test'
import assert from 'node:assert/strict'
import vm from 'node:vm'
import { bundleSuite } from './_bundle.js'

test('a TypeError from the host TextEncoder surfaces from decode, verify and explain, never as MALFORMED', async () => {
  const ctx = vm.createContext({})
  vm.runInContext('globalThis.TextEncoder = class { encodeInto() { throw new TypeError("host defect") } }', ctx)
  vm.runInContext(await bundleSuite({ format: 'iife' }), ctx)
  const outcome = vm.runInContext(`(() => {
    const { core } = UserSigConformance.lib
    const key = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
    const token = core.createSigner({ sdkAppId: 1400000000, secretKey: key }).userSig('xiaojun', { now: 1700000000 })
    const attempt = (fn) => { try { return 'returned ' + JSON.stringify(fn()).slice(0, 80) } catch (e) { return e.name + ': ' + e.message } }
    return [
      token.length >= 64,
      attempt(() => core.decodeUserSig(token)),
      attempt(() => core.verifyUserSig(token, { sdkAppId: 1400000000, userId: 'xiaojun', secretKey: key, now: 1700000000 })),
      attempt(() => core.explainUserSig(token, { sdkAppId: 1400000000, userId: 'xiaojun', secretKey: key, now: 1700000000 })),
    ]
  })()`, ctx) as unknown[]
  // The token is long enough for the host encoder's fast path; each call reports the host's error itself.
  assert.deepEqual(JSON.parse(JSON.stringify(outcome)), [true, 'TypeError: host defect', 'TypeError: host defect', 'TypeError: host defect'])
})
