/**
 * The core's conformance suite inside Chromium: the v2 vectors (read here in Node, injected into the page) are decoded,
 * verified and re-signed by the core bundled into the page, once in a normal page and once in a page without
 * WebCrypto and TextEncoder. The expected verdicts are the core's own table (packages/usersig/test/_vectors.ts),
 * so the browser is held to exactly what the Node suite checks.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { build } from 'esbuild'
import { CHROMIUM_SKIP, here, launch, type Browser } from './_harness.js'
import { expectedForGenerated, loadVectors, V2_VERIFY_EXPECTED } from '../../usersig/test/_vectors.js'
import type { Case, Outcome } from './conformance-page.js'

function buildCases(): Case[] {
  const cases: Case[] = []
  for (const r of loadVectors<any[]>('v2-generated.json')) {
    if (r.producer_error) continue
    const i = r.inputs
    const json = r.decoded?.json ?? {}
    const c: Case = {
      id: r.id,
      kind: 'generated',
      usersig: r.usersig,
      expected: expectedForGenerated(r),
      verify: { sdkAppId: i.sdkappid, userId: i.identifier, secretKey: i.key, now: i.time },
      decoded: {
        json,
        userbufHex: 'TLS.userbuf' in json ? (r.decoded.userbuf_hex ?? '') : null,
        ...(String(r.kind).startsWith('genPrivateMapKey') && r.decoded.userbuf_layout
          ? { pmk: { sdkAppId: i.sdkappid >>> 0, privileges: i.privilege_map >>> 0, expiresAt: (i.time + i.expire) >>> 0, ...(i.room_id !== undefined ? { roomId: i.room_id } : {}) } }
          : {}),
      },
    }
    // Our signer must give the same TLS.sig for the inputs it accepts (VERIFY.md §1 rejects expire 0, > 50 years,
    // room 0 and an empty string room on purpose).
    const rejected = i.expire <= 0 || i.expire > 50 * 365 * 86400 || i.room_id === 0 || i.room_str === ''
    if (r.producer.impl === 'php-v2' && !rejected && c.expected.ok) {
      c.resign = {
        kind: r.kind, sdkAppId: i.sdkappid, key: i.key, identifier: i.identifier, expire: i.expire, time: i.time,
        ...(i.userbuf_hex !== undefined ? { userbufHex: i.userbuf_hex } : {}),
        ...(i.room_id !== undefined ? { roomId: i.room_id } : {}),
        ...(i.room_str !== undefined ? { strRoomId: i.room_str } : {}),
        ...(i.privilege_map !== undefined ? { privileges: i.privilege_map } : {}),
      }
    }
    cases.push(c)
  }
  for (const r of loadVectors<any[]>('v2-verify.json')) {
    const name = r.id.replace('v2-verify/', '')
    const expected = V2_VERIFY_EXPECTED[name]
    assert.ok(expected, `the core's table has a verdict for ${r.id}`)
    const v = r.verifier_inputs
    cases.push({
      id: r.id,
      kind: 'crafted',
      usersig: r.usersig,
      expected,
      verify: { sdkAppId: v.sdkappid, userId: v.identifier, secretKey: v.key, now: v.now, ...(v.api_mode === 'userbuf' ? { userBufHex: v.expected_userbuf_hex ?? '' } : {}) },
    })
  }
  return cases
}

async function bundleRunner(): Promise<string> {
  const result = await build({
    entryPoints: [join(here, 'conformance-page.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'UserSigConformance',
    platform: 'browser',
    target: 'es2020',
    write: false,
    logLevel: 'warning',
  })
  return result.outputFiles[0]!.text
}

describe('core conformance vectors inside Chromium', { skip: CHROMIUM_SKIP }, () => {
  let browser: Browser
  let runner: string
  let cases: Case[]

  before(async () => {
    cases = buildCases()
    runner = await bundleRunner()
    browser = await launch()
  })
  after(async () => {
    await browser?.close()
  })

  for (const env of ['browser', 'bare'] as const) {
    test(`${env === 'bare' ? 'without WebCrypto and TextEncoder' : 'in a normal page'}: every v2 record gets the verdict VERIFY.md prescribes`, async () => {
      const page = await browser.context.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      await page.setContent('<!doctype html><meta charset="utf-8"><title>usersig conformance</title>')
      if (env === 'bare') {
        await page.addScriptTag({ content: 'delete window.TextEncoder; delete window.TextDecoder; Object.defineProperty(window, "crypto", { value: undefined, configurable: true })' })
      }
      await page.addScriptTag({ content: runner })
      const outcome = (await page.evaluate((c) => (window as any).UserSigConformance.run(c), cases)) as Outcome
      await page.close()
      assert.deepEqual(errors, [])
      if (env === 'bare') assert.deepEqual([outcome.environment.textEncoder, outcome.environment.webCrypto], [false, false])
      const generated = cases.filter((c) => c.kind === 'generated').length
      const crafted = cases.filter((c) => c.kind === 'crafted').length
      const resigned = cases.filter((c) => c.resign).length
      console.log(`${env}: ${outcome.pass} passed, ${outcome.fail} failed (${generated} generated + ${crafted} crafted records, ${resigned} re-signed)`)
      assert.deepEqual(outcome.failures, [])
      assert.equal(outcome.fail, 0)
      // decode + verify per generated record, verify per crafted record, sign per re-signed record.
      assert.equal(outcome.pass, generated * 2 + crafted + resigned)
      assert.ok(generated >= 140 && crafted >= 34)
    })
  }
})
