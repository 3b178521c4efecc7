/**
 * The test-sig module (dist/testsig/usersig-testsig.js, the classic build for mini-programs) in ES2017 engines
 * without globalThis: a node:vm context whose globalThis is deleted, and Node 10 (V8 6.8, installed by
 * scripts/runtimes.mjs). Its README promises no globalThis; older mini-program engines have none. The tokens it
 * signs there are verified here by the core. (The core's own conformance suite, in every runtime, is in
 * packages/usersig/test/conformance/.)
 */
import test from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import vm from 'node:vm'
import { verifyUserSig } from 'usersig'
import { prereq } from '../../../scripts/prereq.mjs'
import { distDir, ensureBuilt } from './_harness.js'

const SECRET = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'
const SDKAPPID = 1400000001
const node10 = prereq('node10')

/** Evaluated in the engine: loads the classic build into a bare context without globalThis and signs two UserSigs. */
const SIGN_IN_CONTEXT = `
  const module = { exports: {} }
  const warned = []
  const ctx = vm.createContext({ module, console: { warn: (m) => warned.push(String(m)), log() {}, error() {} } })
  vm.runInContext('delete globalThis', ctx)
  for (const g of ['globalThis', 'TextEncoder', 'crypto', 'location', 'self']) {
    if (vm.runInContext('typeof ' + g, ctx) !== 'undefined') throw new Error(g + ' must be absent')
  }
  vm.runInContext(code, ctx)
  const T = module.exports
  T.configure({ SDKAppID: String(${SDKAPPID}), SecretKey: ${JSON.stringify(SECRET)}, expiresIn: 600 })
  const result = { a: T.genTestUserSig('mp_user').userSig, b: T.genTestUserSig({ userID: 'mp_user2', SDKAppID: ${SDKAPPID}, SecretKey: ${JSON.stringify(SECRET)} }).userSig, warned: warned.length }
`

function expectSigned(result: { a: string; b: string; warned: number }): void {
  for (const [token, userId] of [[result.a, 'mp_user'], [result.b, 'mp_user2']] as const) {
    const r = verifyUserSig(token, { sdkAppId: SDKAPPID, userId, secretKey: SECRET })
    assert.equal(r.ok, true, r.ok ? '' : `${r.reason}: ${r.message}`)
  }
  assert.equal(result.warned, 1, 'warned once that the key is inside the app')
}

test('the classic test-sig build has no globalThis in it', () => {
  ensureBuilt()
  for (const name of ['usersig-testsig.js', 'usersig-testsig.mjs']) {
    const uses = readFileSync(join(distDir, 'testsig', name), 'utf8').split(/\bglobalThis\b/).length - 1
    assert.equal(uses, 0, `dist/testsig/${name} reads globalThis ${uses} times`)
  }
})

test('test-sig signs in a vm context without globalThis', () => {
  ensureBuilt()
  const code = readFileSync(join(distDir, 'testsig', 'usersig-testsig.js'), 'utf8')
  const result = new Function('vm', 'code', `${SIGN_IN_CONTEXT}\nreturn result`)(vm, code) as { a: string; b: string; warned: number }
  expectSigned(result)
})

test('test-sig signs in Node 10 (V8 6.8, no globalThis)', { skip: node10.skip }, () => {
  ensureBuilt()
  const script = `'use strict'\nconst vm = require('vm')\nconst code = require('fs').readFileSync(${JSON.stringify(join(distDir, 'testsig', 'usersig-testsig.js'))}, 'utf8')\n${SIGN_IN_CONTEXT}\nconsole.log(JSON.stringify(result))\n`
  // The script (it holds the test key) goes in on stdin, not in argv.
  const out = execFileSync(node10.path!, ['-'], { input: script, encoding: 'utf8', timeout: 60_000 })
  expectSigned(JSON.parse(out.trim().split('\n').pop()!) as { a: string; b: string; warned: number })
})
