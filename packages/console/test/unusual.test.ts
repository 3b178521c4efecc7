/**
 * Issue 15 §3 in a real Chromium, in English and zh-CN: the generator and Admin "Issue" refuse a UserID with
 * surrounding whitespace and a lifetime in milliseconds, with the message and hint under the field in the page's
 * language, and sign once the "intended" box under the field is ticked (Admin: the service still clamps the lifetime,
 * and the page says so). Screenshots in test-artifacts/console/.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { Page } from 'playwright-core'
import { createSigner, decodeUserSig } from 'usersig'
import { CHROMIUM_SKIP, ensureBuilt, foreignText, launch, screenshotPath, type Browser } from './_harness.js'
import { startService, type Service } from './_service.js'

const SDKAPPID = 1400000031
const SECRET_KEY = randomBytes(32).toString('hex')
const ADMIN_KEY = `admin-${randomBytes(24).toString('hex')}`

const SAYS = {
  en: {
    userId: /starts or ends with whitespace/, userIdHint: /70013.*tick the box/,
    lifetime: /^86400000 is 1d in milliseconds/, lifetimeHint: /Enter 86400 for 1d/, clamped: /shortened/,
  },
  'zh-CN': {
    userId: /UserID 的开头或结尾有空白字符/, userIdHint: /70013.*勾选/,
    lifetime: /^86400000 是以毫秒表示的 1 天/, lifetimeHint: /请填写 86400（即 1 天）/, clamped: /缩短/,
  },
} as const

async function text(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').trim()
}

/** Fills the fields (selector → value), presses the button and waits until each field is marked invalid. */
async function refused(page: Page, fills: Record<string, string>, submit: string): Promise<void> {
  for (const [sel, value] of Object.entries(fills)) await page.fill(sel, value)
  await page.click(submit)
  for (const sel of Object.keys(fills)) await page.waitForSelector(`${sel}[aria-invalid="true"]`)
}

describe('unusual UserIDs and lifetimes are stopped at the console (issue 15 §3)', { skip: CHROMIUM_SKIP }, () => {
  let service: Service | null = null
  let skipReason = ''
  before(async () => {
    ensureBuilt()
    const s = await startService({
      apps: [{ sdkAppId: SDKAPPID, name: 'main', secretKey: SECRET_KEY, userSig: { defaultExpiresIn: '1d', minExpiresIn: '5m', maxExpiresIn: '7d' } }],
      auth: { apiKeys: [{ name: 'ops', key: ADMIN_KEY, scopes: ['admin'] }] },
    })
    if (typeof s === 'string') skipReason = s
    else service = s
  })
  after(async () => { await service?.close() })

  for (const lang of ['en', 'zh-CN'] as const) {
    describe(lang, () => {
      let browser: Browser
      let page: Page
      const errors: string[] = []
      const shot = (name: string): Promise<Buffer> => page.screenshot({ path: screenshotPath(`unusual-${lang}-${name}`), fullPage: true })
      before(async () => {
        if (!service) return
        browser = await launch({ locale: lang === 'zh-CN' ? 'zh-CN' : 'en-US' })
        page = await browser.context.newPage()
        page.on('pageerror', (e) => errors.push(e.message))
        await page.goto(`${service.origin}/`)
        await page.waitForSelector('#app[data-ready="true"]')
        assert.equal(await page.getAttribute('html', 'lang'), lang)
      })
      after(async () => { await browser?.close() })

      test('the generator: a UserID with surrounding whitespace is refused under the field, signed once the box is ticked', async (t) => {
        if (!service) return t.skip(skipReason)
        await page.click('#tab-generate')
        await page.waitForSelector('#view-generate')
        await page.fill('#gen-sdkappid', String(SDKAPPID))
        await page.fill('#gen-secret', SECRET_KEY)
        for (const id of [' alice', 'alice ', '   ']) {
          await refused(page, { '#gen-userid': id }, '#gen-submit')
          assert.match(await text(page, '#gen-userid-error .msg'), SAYS[lang].userId)
          assert.match(await text(page, '#gen-userid-error .hint'), SAYS[lang].userIdHint)
          assert.equal(await page.inputValue('#gen-output'), '', 'nothing is signed')
        }
        await refused(page, { '#gen-userid': ' alice' }, '#gen-submit')
        assert.deepEqual(await foreignText(page, lang), [])
        await shot('1-generator-userid-refused')
        await page.check('#gen-allow-unusual-userid')
        assert.equal(await page.getAttribute('#gen-userid', 'aria-invalid'), null, 'ticking the box clears the error')
        await page.click('#gen-submit')
        await page.waitForFunction(() => (document.querySelector('#gen-output') as HTMLTextAreaElement).value !== '')
        assert.equal(decodeUserSig(await page.inputValue('#gen-output')).userId, ' alice')
        await page.uncheck('#gen-allow-unusual-userid')
        await page.fill('#gen-userid', 'alice')
      })

      test('the generator: 86400000 is refused as milliseconds with the hint, accepted once the box is ticked', async (t) => {
        if (!service) return t.skip(skipReason)
        await refused(page, { '#gen-expires': '86400000' }, '#gen-submit')
        assert.match(await text(page, '#gen-expires-error .msg'), SAYS[lang].lifetime)
        assert.match(await text(page, '#gen-expires-error .hint'), SAYS[lang].lifetimeHint)
        assert.deepEqual(await foreignText(page, lang), [])
        await shot('2-generator-lifetime-refused')
        const before = await page.inputValue('#gen-output')
        await page.check('#gen-allow-unusual-lifetime')
        await page.click('#gen-submit')
        await page.waitForFunction((old) => (document.querySelector('#gen-output') as HTMLTextAreaElement).value !== old, before)
        assert.equal(decodeUserSig(await page.inputValue('#gen-output')).expire, 86400000)
        // A PrivateMapKey's lifetime is checked the same way: 604800000 is 7 days in milliseconds.
        await page.uncheck('#gen-allow-unusual-lifetime')
        await page.click('#gen-kind-pmk')
        await page.fill('#gen-roomid', '42')
        await refused(page, { '#gen-expires': '604800000' }, '#gen-submit')
        assert.match(await text(page, '#gen-expires-error .hint'), lang === 'en' ? /Enter 604800 for 7d/ : /请填写 604800（即 7 天）/)
        // A lifetime in seconds signs it: the output is the PrivateMapKey itself (the signer's `privateMapKey`).
        const refusedOutput = await page.inputValue('#gen-output')
        await page.fill('#gen-expires', '600')
        await page.click('#gen-submit')
        await page.waitForFunction((old) => (document.querySelector('#gen-output') as HTMLTextAreaElement).value !== old, refusedOutput)
        const pmk = decodeUserSig(await page.inputValue('#gen-output'))
        assert.equal(pmk.privateMapKey?.roomId, 42)
        assert.equal(pmk.expiresIn, 600)
        await page.click('#gen-kind-usersig')
      })

      test('Admin "Issue": the same refusals, then the switches reach the service, which still clamps the lifetime', async (t) => {
        if (!service) return t.skip(skipReason)
        await page.click('#tab-admin')
        await page.waitForSelector('#view-admin')
        await page.fill('#adm-key', ADMIN_KEY)
        await page.click('#adm-connect')
        await page.waitForSelector('#adm-apps-table')
        await refused(page, { '#adm-issue-user': 'bob ', '#adm-issue-exp': '86400000' }, '#adm-issue-submit')
        assert.match(await text(page, '#adm-issue-user-error .msg'), SAYS[lang].userId)
        assert.match(await text(page, '#adm-issue-exp-error .msg'), SAYS[lang].lifetime)
        assert.equal(await page.inputValue('#adm-issue-output'), '')
        assert.deepEqual(await foreignText(page, lang), [])
        await shot('3-admin-refused')
        await page.check('#adm-issue-allow-unusual-userid')
        await page.check('#adm-issue-allow-unusual-lifetime')
        await page.click('#adm-issue-submit')
        await page.waitForSelector('#adm-issue-expiresIn[data-clamped="down"]')
        const sig = await page.inputValue('#adm-issue-output')
        const d = decodeUserSig(sig)
        assert.equal(d.userId, 'bob ')
        assert.equal(d.expire, 7 * 86400, "the service clamps to the app's maxExpiresIn")
        assert.match(await text(page, '#adm-issue-expiresIn'), SAYS[lang].clamped)
        assert.deepEqual(await foreignText(page, lang), [])
        await shot('4-admin-allowed-clamped')
      })

      test('the debugger: a token issued for "alice " is valid for that UserID, with the USERID_WHITESPACE warning', async (t) => {
        if (!service) return t.skip(skipReason)
        await page.click('#tab-debugger')
        await page.waitForSelector('#view-debugger')
        await page.fill('#dbg-token', createSigner({ sdkAppId: SDKAPPID, secretKey: SECRET_KEY }).userSig('alice ', { expiresIn: '2d' }))
        await page.fill('#dbg-sdkappid', String(SDKAPPID))
        await page.fill('#dbg-userid', 'alice ')
        await page.fill('#dbg-secret', SECRET_KEY)
        await page.waitForSelector('#dbg-verdict[data-verdict="valid"]')
        const finding = page.locator('#dbg-findings li[data-code="USERID_WHITESPACE"]')
        assert.equal(await finding.count(), 1)
        assert.match((await finding.textContent()) ?? '', lang === 'en' ? /"alice " has trailing whitespace/ : /UserID 的开头或结尾有空白字符/)
        assert.deepEqual(await foreignText(page, lang), [])
        await shot('5-debugger-userid-whitespace')
        assert.deepEqual(errors, [])
      })
    })
  }
})
