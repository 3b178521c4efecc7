/**
 * The conformance suite in ES2017 engines without `globalThis` (older mini-program engines and WebViews), on an
 * ES2017 bundle: a node:vm context whose `globalThis` is deleted, and a real engine of that age, Node 10 (V8 6.8:
 * ES2017, BigInt, no globalThis), installed by scripts/runtimes.mjs, in a bare vm context of its own.
 */
import test from 'node:test'
import assert from 'node:assert/strict'
import { prereq } from '../../../../scripts/prereq.mjs'
import { bundleSuite, REPORT_MARKER, scratchDir } from './_bundle.js'
import { runInBareContext, HOST_GLOBALS } from './_bare.js'
import { expectConformance, runForReport } from './_report.js'

const node10 = prereq('node10')

test('a vm context without globalThis, ES2017 bundle', async () => {
  const started = Date.now()
  const report = runInBareContext(await bundleSuite({ format: 'iife', target: 'es2017' }), { withoutGlobalThis: true })
  assert.deepEqual(report.environment, { globalThis: false, textEncoder: false, webCrypto: false })
  expectConformance('vm without globalThis (es2017)', report, started)
})

// CommonJS (Node 10 has no stable ES modules): evaluates the bundle in a bare context of the old engine.
const NODE10_RUNNER = `'use strict'
const vm = require('vm')
const bundle = require('fs').readFileSync(__dirname + '/conformance.js', 'utf8')
const ctx = vm.createContext({})
// @noble/curves and @noble/hashes (the legacy subpath's ECDSA, bundled here beside the root entry, which imports
// neither) call Object.hasOwn (ES2022) when they load; everything else runs on ES2017 as it is. An app on such an engine adds this.
vm.runInContext('if (!Object.hasOwn) Object.defineProperty(Object, "hasOwn", { value: function (o, k) { return Object.prototype.hasOwnProperty.call(o, k) }, configurable: true, writable: true })', ctx)
for (const g of ${JSON.stringify([...HOST_GLOBALS, 'globalThis'])}) {
  if (vm.runInContext('typeof ' + g, ctx) !== 'undefined') throw new Error(g + ' must be absent in the context')
}
vm.runInContext(bundle, ctx)
console.log(${JSON.stringify(REPORT_MARKER)} + vm.runInContext('JSON.stringify(UserSigConformance.conformance())', ctx))
`

test('Node 10 (V8 6.8, no globalThis), ES2017 bundle, Object.hasOwn added for @noble', { skip: node10.skip }, async () => {
  const started = Date.now()
  const tmp = scratchDir({ 'conformance.js': await bundleSuite({ format: 'iife', target: 'es2017' }), 'run.js': NODE10_RUNNER })
  try {
    const report = await runForReport('node10', node10.path!, ['run.js'], tmp.dir)
    assert.deepEqual(report.environment, { globalThis: false, textEncoder: false, webCrypto: false })
    expectConformance('node 10 (es2017, no globalThis)', report, started)
  } finally {
    tmp.remove()
  }
})
