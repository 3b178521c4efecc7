/**
 * The conformance suite in Chromium (Debian's, driven by playwright-core): once in a normal page and once in a page
 * without WebCrypto, TextEncoder and TextDecoder (as in mini-program WebViews), so the portable paths run too.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { chromium, type Browser } from 'playwright-core'
import { prereq } from '../../../../scripts/prereq.mjs'
import { bundleSuite } from './_bundle.js'
import { expectConformance } from './_report.js'
import type { RuntimeReport } from './entry.js'

const browserBin = prereq('chromium')

const REMOVE_HOST_APIS = 'delete window.TextEncoder; delete window.TextDecoder; Object.defineProperty(window, "crypto", { value: undefined, configurable: true })'

describe('Chromium', { skip: browserBin.skip }, () => {
  let browser: Browser
  let script: string

  before(async () => {
    script = await bundleSuite({ format: 'iife' })
    browser = await chromium.launch({ executablePath: browserBin.path!, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'], headless: true })
  })
  after(async () => {
    await browser?.close()
  })

  for (const bare of [false, true]) {
    test(bare ? 'a page without WebCrypto, TextEncoder and TextDecoder' : 'a normal page', async () => {
      const started = Date.now()
      const page = await browser.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      try {
        await page.setContent('<!doctype html><meta charset="utf-8"><title>usersig conformance</title>')
        if (bare) await page.addScriptTag({ content: REMOVE_HOST_APIS })
        await page.addScriptTag({ content: script })
        const report = (await page.evaluate('UserSigConformance.conformance()')) as RuntimeReport
        assert.deepEqual(errors, [])
        assert.equal(report.environment.textEncoder, !bare)
        if (bare) assert.equal(report.environment.webCrypto, false)
        expectConformance(`chromium ${browser.version()}${bare ? ' (no WebCrypto/TextEncoder)' : ''}`, report, started)
      } finally {
        await page.close()
      }
    })
  }
})
