// @usersig/edge bundled for Workers (esbuild, minified, jose included) stays within 60 KB gzipped.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { gzipSync } from 'node:zlib'
import { bundle } from './helpers/bundle.js'

export const LIMIT = 60 * 1024

/** The gzipped size of a Worker that serves createHandler, bundled as wrangler does (minified). */
export async function workerBundleSize(): Promise<{ raw: number; gzip: number; text: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'usersig-size-'))
  try {
    // The package's own entry, resolved as a Worker project that depends on it would.
    const out = await bundle(fileURLToPath(import.meta.resolve('@usersig/edge')), join(dir, 'out.js'), 'workerd', { minify: true })
    return { raw: out.byteLength, gzip: gzipSync(out, { level: 9 }).byteLength, text: Buffer.from(out).toString('utf8') }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

test(`@usersig/edge for Workers is at most ${LIMIT / 1024} KB gzipped, jose included, no legacy ECDSA code`, async () => {
  const { raw, gzip, text } = await workerBundleSize()
  console.log(`# @usersig/edge Worker bundle: ${(raw / 1024).toFixed(1)} KB minified, ${(gzip / 1024).toFixed(1)} KB gzipped`)
  assert.ok(gzip <= LIMIT, `${gzip} bytes gzipped`)
  assert.match(text, /JWKSNoMatchingKey|ERR_JWKS_NO_MATCHING_KEY/, 'jose is in the bundle')
  assert.doesNotMatch(text, /secp256k1/, 'the legacy ECDSA signer is not')
})
