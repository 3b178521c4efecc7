/**
 * Issue 15 §2 and §3 in a real Chromium, from file://: a JSON response pasted into the debugger is repaired through the
 * core and explained, with the repair named; the generator refuses a key that cannot be a console SDKSecretKey unless
 * its checkbox says it is intended.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createSigner } from 'usersig'
import { CHROMIUM_SKIP, distDir, ensureBuilt, launch, screenshotPath, type Browser } from './_harness.js'

// A key made for this test only.
const SECRET = '0d15ea5ec0ffee00123456789abcdef0123456789abcdef0fedcba9876543210'
const SDKAPPID = 1400654321

describe('console paste repair and key shape in Chromium', { skip: CHROMIUM_SKIP }, () => {
  let browser: Browser
  before(async () => {
    ensureBuilt()
    browser = await launch()
  })
  after(async () => { await browser?.close() })

  async function open() {
    const page = await browser.context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(pathToFileURL(join(distDir, 'index.html')).href)
    await page.waitForSelector('#app[data-ready="true"]')
    return { page, errors }
  }

  test('a JSON response from the issuing service is repaired, decoded and verified; the repair is named', async () => {
    const { page, errors } = await open()
    const now = Math.floor(Date.now() / 1000)
    const sig = createSigner({ sdkAppId: SDKAPPID, secretKey: SECRET }).userSig('alice', { now, expiresIn: 86400 })
    const pasted = JSON.stringify({ sdkAppId: SDKAPPID, userId: 'alice', userSig: sig, issuedAt: now, expiresAt: now + 86400 }, null, 2)
    await page.fill('#dbg-token', pasted)
    await page.waitForSelector('[data-field="userId"]')
    assert.equal(((await page.locator('[data-field="userId"]').first().textContent()) ?? '').trim(), 'alice')
    assert.equal(((await page.locator('[data-field="sdkAppId"]').first().textContent()) ?? '').trim(), String(SDKAPPID))
    await page.fill('#dbg-sdkappid', String(SDKAPPID))
    await page.fill('#dbg-userid', 'alice')
    await page.fill('#dbg-secret', SECRET)
    await page.click('#dbg-verify')
    await page.waitForSelector('#dbg-verdict[data-verdict="valid"]')
    const repaired = page.locator('#dbg-findings li[data-code="REPAIRED"]')
    assert.ok(await repaired.count(), 'the repair is listed as a finding')
    assert.match((await repaired.first().textContent()) ?? '', /"userSig" field/)
    await page.screenshot({ path: screenshotPath('file-debugger-repaired-json-en'), fullPage: true })
    assert.deepEqual(errors, [])
    await page.close()
  })

  test('the generator refuses a key that cannot be a console key, and signs once the box is ticked', async () => {
    const { page } = await open()
    await page.click('#tab-generate')
    await page.waitForSelector('#view-generate')
    await page.fill('#gen-sdkappid', String(SDKAPPID))
    await page.fill('#gen-userid', 'alice')
    await page.fill('#gen-secret', 'my-test-key')
    await page.click('#gen-submit')
    await page.waitForFunction(() => (document.querySelector('#gen-secret-error')?.textContent ?? '').trim() !== '')
    const err = ((await page.locator('#gen-secret-error').textContent()) ?? '')
    assert.ok(!err.includes('my-test-key'), 'the error does not echo the key')
    await page.check('#gen-allow-unusual-key')
    await page.click('#gen-submit')
    await page.waitForFunction(() => ((document.querySelector('#gen-output') as HTMLTextAreaElement | null)?.value ?? '') !== '')
    assert.equal(((await page.locator('#gen-secret-error').textContent()) ?? '').trim(), '')
    await page.screenshot({ path: screenshotPath('file-generator-unusual-key-en'), fullPage: true })
    await page.close()
  })
})
