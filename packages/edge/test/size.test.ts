// @usersig/edge bundled for Workers (esbuild, minified, jose included) stays within 60 KB gzipped.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { workerBundleSize } from './helpers/bundle.js'

const LIMIT = 60 * 1024

test(`@usersig/edge for Workers is at most ${LIMIT / 1024} KB gzipped, jose included, no legacy ECDSA code`, async () => {
  const { raw, gzip, text } = await workerBundleSize()
  console.log(`# @usersig/edge Worker bundle: ${(raw / 1024).toFixed(1)} KB minified, ${(gzip / 1024).toFixed(1)} KB gzipped`)
  assert.ok(gzip <= LIMIT, `${gzip} bytes gzipped`)
  assert.match(text, /JWKSNoMatchingKey|ERR_JWKS_NO_MATCHING_KEY/, 'jose is in the bundle')
  assert.doesNotMatch(text, /secp256k1/, 'the legacy ECDSA signer is not')
})
