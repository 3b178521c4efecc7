/** The conformance suite in a bare node:vm context: only ECMAScript globals, no host API at all. */
import test from 'node:test'
import assert from 'node:assert/strict'
import { bundleSuite } from './_bundle.js'
import { runInBareContext } from './_bare.js'
import { expectConformance } from './_report.js'

test('a bare ECMAScript vm context', async () => {
  const started = Date.now()
  const report = runInBareContext(await bundleSuite({ format: 'iife' }), { withoutGlobalThis: false })
  assert.deepEqual(report.environment, { globalThis: true, textEncoder: false, webCrypto: false })
  expectConformance('bare vm', report, started)
})
