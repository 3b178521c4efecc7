/**
 * Issue 15 §4, the console as a user meets it, in Chromium against the real service (served at /, compressed), in
 * English and zh-CN, on a desktop and a phone-sized viewport, with screenshots in test-artifacts/console/:
 * - no stale state: any input change drops the verdict and the redacted report at once; verification runs live
 *   (debounced) as the user types; the report never says "valid" under an invalid result;
 * - lifetime facts are neutral; a verdict appears only from a verification;
 * - one click takes the token's SDKAppID and UserID; a token is checked against an app configured in the service;
 * - Chinese throughout: a DOM walk flags Latin-only text (and half-width brackets in Chinese text);
 * - Admin "Issue" says when the service clamped the lifetime;
 * - Admin metrics as charts, the raw table behind a disclosure; Admin tables scroll by keyboard.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { Page } from 'playwright-core'
import { createSigner, decodeUserSig, keyFingerprint } from 'usersig'
import { CHROMIUM_SKIP, ensureBuilt, foreignText, launch, screenshotPath, type Browser } from './_harness.js'
import { startService, type Service } from './_service.js'

const SDKAPPID = 1400000021
const SECRET_KEY = randomBytes(32).toString('hex')
const OTHER_KEY = randomBytes(32).toString('hex')
const ADMIN_KEY = `admin-${randomBytes(24).toString('hex')}`
const USER = 'alice_01'

const LANGS = ['en', 'zh-CN'] as const
const VIEWPORTS = { desktop: { width: 1100, height: 900 }, phone: { width: 375, height: 740 } } as const
type Viewport = keyof typeof VIEWPORTS

async function text(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').trim()
}

/** Types into an input the way a user does (an input event per change) and reports what the page shows right after, in the same task. */
async function typeAndLook(page: Page, selector: string, value: string): Promise<{ verdict: boolean; report: string; status: string; unverified: boolean }> {
  return page.evaluate(([sel, v]) => {
    const el = document.querySelector(sel) as HTMLInputElement
    el.value = v
    el.dispatchEvent(new Event('input', { bubbles: true }))
    return {
      verdict: document.querySelector('#dbg-verdict') !== null,
      report: (document.querySelector('#dbg-report') as HTMLTextAreaElement).value,
      status: document.querySelector('#dbg-report-status')?.textContent ?? '',
      unverified: document.querySelector('#dbg-unverified') !== null,
    }
  }, [selector, value] as const)
}

describe('the console as a user meets it (issue 15 §4)', { skip: CHROMIUM_SKIP }, () => {
  let service: Service | null = null
  let skipReason = ''
  const signer = createSigner({ sdkAppId: SDKAPPID, secretKey: SECRET_KEY })

  before(async () => {
    ensureBuilt()
    const s = await startService({
      apps: [{ sdkAppId: SDKAPPID, name: 'main', secretKey: SECRET_KEY, userSig: { defaultExpiresIn: '1d', minExpiresIn: '5m', maxExpiresIn: '7d' } }],
      auth: { apiKeys: [{ name: 'ops', key: ADMIN_KEY, scopes: ['admin'] }] },
      rateLimit: { perUser: { limit: 1000, window: 60 }, perIp: { limit: 10000, window: 60 } },
    })
    if (typeof s === 'string') skipReason = s
    else service = s
  })
  after(async () => {
    await service?.close()
  })

  for (const lang of LANGS) {
    for (const vp of Object.keys(VIEWPORTS) as Viewport[]) {
      describe(`${lang}, ${vp}`, () => {
        let browser: Browser
        let page: Page
        const errors: string[] = []
        const shot = (name: string): Promise<Buffer> => page.screenshot({ path: screenshotPath(`user-${vp}-${lang}-${name}`), fullPage: true })

        before(async () => {
          if (!service) return
          browser = await launch({ locale: lang === 'zh-CN' ? 'zh-CN' : 'en-US' })
          await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: service.origin })
          page = await browser.context.newPage()
          await page.setViewportSize(VIEWPORTS[vp])
          page.on('pageerror', (e) => errors.push(e.message))
          await page.goto(`${service.origin}/`)
          await page.waitForSelector('#app[data-ready="true"]')
          assert.equal(await page.getAttribute('html', 'lang'), lang)
        })
        after(async () => {
          await browser?.close()
        })

        test('lifetime facts are neutral; no verdict before a verification; one click takes the token\'s SDKAppID and UserID; verified live', async (t) => {
          if (!service) return t.skip(skipReason)
          const good = signer.issueUserSig(USER, { expiresIn: '6d' }).userSig
          await page.fill('#dbg-token', good)
          await page.waitForSelector('[data-field="countdown"]')
          // "expires in 6 days": a fact, in the body's colour and weight, not a green bold verdict.
          const style = await page.evaluate(() => {
            const c = getComputedStyle(document.querySelector('[data-field="countdown"]')!)
            return { color: c.color, weight: c.fontWeight, body: getComputedStyle(document.body).color }
          })
          assert.equal(style.color, style.body, 'the lifetime is shown in the text colour')
          assert.equal(style.weight, '400')
          assert.match(await text(page, '[data-field="countdown"]'), lang === 'en' ? /^expires in (6d|5d 23h 59m)$/ : /^(6 天|5 天 23 小时 59 分钟)后过期$/)
          assert.equal(await page.locator('#dbg-verdict').count(), 0, 'no verdict without a key')
          assert.notEqual(await text(page, '#dbg-unverified'), '')
          assert.notEqual(await text(page, '#dbg-decoded-note'), '')
          await shot('1-decoded-unverified')

          // One click: the token's own SDKAppID and UserID; then the key, and the verdict comes without pressing Verify.
          await page.click('#dbg-use-token')
          assert.equal(await page.inputValue('#dbg-sdkappid'), String(SDKAPPID))
          assert.equal(await page.inputValue('#dbg-userid'), USER)
          await page.fill('#dbg-secret', SECRET_KEY)
          await page.waitForSelector('#dbg-verdict[data-verdict="valid"]')
          assert.match(await text(page, '#dbg-verdict'), lang === 'en' ? /Valid/ : /有效/)
          assert.equal(await text(page, '[data-field="keyId"]'), keyFingerprint(SECRET_KEY))
          await shot('2-valid-live')
        })

        test('no stale state: any change drops the verdict and the report at once; the report follows the result', async (t) => {
          if (!service) return t.skip(skipReason)
          await page.click('#dbg-copy-report')
          await page.waitForSelector('#dbg-report-status:not(:empty)')
          assert.equal(JSON.parse(await page.inputValue('#dbg-report')).verdict.verdict, 'valid')

          // The key changes by one character: in the same task, the verdict, the report and "Copied" are gone.
          const wrongKey = SECRET_KEY.slice(0, -1) + (SECRET_KEY.endsWith('0') ? '1' : '0')
          const seen = await typeAndLook(page, '#dbg-secret', wrongKey)
          assert.deepEqual(seen, { verdict: false, report: '', status: '', unverified: true })
          await page.waitForSelector('#dbg-verdict[data-verdict="invalid"]')
          assert.equal(await text(page, '#dbg-verdict [data-field="reason"]'), 'SIGNATURE_INVALID')
          assert.match(await text(page, '#dbg-verdict [data-field="tencentCode"]'), /70009/)
          await page.click('#dbg-copy-report')
          await page.waitForSelector('#dbg-report-status:not(:empty)')
          const report = JSON.parse(await page.inputValue('#dbg-report'))
          assert.equal(report.verdict.verdict, 'invalid', 'the report says what the screen says')
          assert.equal(report.verdict.reason, 'SIGNATURE_INVALID')
          assert.ok(!(await page.inputValue('#dbg-report')).includes(SECRET_KEY.slice(0, 16)))
          await shot('3-invalid-70009-report')

          // The report stays open and follows the next result, never showing the old one.
          await page.fill('#dbg-secret', SECRET_KEY)
          await page.waitForSelector('#dbg-verdict[data-verdict="valid"]')
          assert.equal(await page.inputValue('#dbg-report'), '', 'a changed input empties the shown report until it is asked for again')

          // An invalid SDKAppID: the old verdict goes at once, and Verify brings no verdict back, only the error.
          const seen2 = await typeAndLook(page, '#dbg-sdkappid', '14000x')
          assert.equal(seen2.verdict, false)
          await page.click('#dbg-verify')
          await page.waitForSelector('#dbg-sdkappid[aria-invalid="true"]')
          assert.equal(await page.locator('#dbg-verdict').count(), 0)
          assert.notEqual(await text(page, '#dbg-sdkappid-error'), '')
          await shot('4-invalid-sdkappid')
          await page.fill('#dbg-sdkappid', String(SDKAPPID))
          await page.waitForSelector('#dbg-verdict[data-verdict="valid"]')

          // The token itself changes: same.
          const seen3 = await typeAndLook(page, '#dbg-token', signer.issueUserSig('bob', { expiresIn: '2d' }).userSig)
          assert.equal(seen3.verdict, false)
          await page.waitForSelector('#dbg-verdict[data-verdict="invalid"]')
          assert.equal(await text(page, '#dbg-verdict [data-field="reason"]'), 'IDENTIFIER_MISMATCH')
        })

        test('a PrivateMapKey for another room: the -100006 summary and the findings in the page\'s language', async (t) => {
          if (!service) return t.skip(skipReason)
          const pmk = signer.issuePrivateMapKey(USER, { roomId: 42, privileges: 'all', expiresIn: '1d' }).privateMapKey
          await page.fill('#dbg-token', pmk)
          await page.fill('#dbg-userid', USER)
          await page.click('#dbg-verify-form details.sub > summary')
          await page.fill('#dbg-roomid', '43')
          await page.waitForSelector('#dbg-verdict[data-verdict="invalid"]')
          assert.match(await text(page, '#dbg-verdict'), /-100006/)
          const summary = await text(page, '#dbg-summary')
          if (lang === 'zh-CN') assert.match(summary, /PrivateMapKey 的房间与要进入的房间不一致/)
          else assert.match(summary, /room 42, not room 43/)
          assert.equal(await page.locator('#dbg-findings li[data-code="PMK_ROOM_MISMATCH"]').count(), 1)
          await shot('5-pmk-room-mismatch')
        })

        test('Chinese throughout (zh-CN) / no stray Chinese (en): the debugger and the generator, units and dates', async (t) => {
          if (!service) return t.skip(skipReason)
          // A decode error and a field error with its hint, on screen together with the result above.
          await page.fill('#dbg-secret', SECRET_KEY + ' ')
          await page.click('#dbg-verify')
          await page.waitForSelector('#dbg-secret[aria-invalid="true"]')
          assert.deepEqual(await foreignText(page, lang), [])
          await shot('6-debugger-errors')
          await page.fill('#dbg-secret', SECRET_KEY)
          // Generate: a 5-minute UserSig, then its decoded lifetime and dates.
          await page.click('#tab-generate')
          await page.waitForSelector('#view-generate')
          await page.fill('#gen-sdkappid', String(SDKAPPID))
          await page.fill('#gen-userid', USER)
          await page.fill('#gen-expires', '5m')
          await page.click('#gen-submit')
          await page.waitForFunction(() => (document.querySelector('#gen-output') as HTMLTextAreaElement).value.length > 0)
          assert.deepEqual(await foreignText(page, lang), [])
          await page.click('#gen-open')
          await page.waitForSelector('#view-debugger [data-field="expiresIn"]')
          assert.equal(await text(page, '[data-field="expiresIn"]'), lang === 'en' ? '300 s (5m)' : '300 秒（5 分钟）')
          const local = await text(page, '[data-field="issuedAt"] .local')
          if (lang === 'zh-CN') assert.match(local, /^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2}（.+）$/, local)
          await page.waitForSelector('#dbg-verdict')
          assert.deepEqual(await foreignText(page, lang), [])
          await shot('7-generated-5-minutes')
        })

        test('Admin: Issue says when the service changed the lifetime (30d → 7 days, 60 s → 5 minutes)', async (t) => {
          if (!service) return t.skip(skipReason)
          await page.click('#tab-admin')
          await page.waitForSelector('#view-admin')
          await page.fill('#adm-key', 'not-the-key-000000000000000000000')
          await page.click('#adm-connect')
          await page.waitForSelector('#adm-key[aria-invalid="true"]')
          assert.deepEqual(await foreignText(page, lang), [], 'the refusal is in the page\'s language')
          await page.fill('#adm-key', ADMIN_KEY)
          await page.click('#adm-connect')
          await page.waitForSelector('#adm-apps-table')
          await page.fill('#adm-issue-user', USER)
          for (const [asked, given, dir] of [['30d', 7 * 86400, 'down'], ['60', 300, 'up'], ['2h', 7200, 'no']] as const) {
            await page.fill('#adm-issue-exp', asked)
            await page.click('#adm-issue-submit')
            await page.waitForSelector(`#adm-issue-expiresIn[data-clamped="${dir}"]`)
            const note = await text(page, '#adm-issue-expiresIn')
            if (dir === 'down') assert.match(note, lang === 'en' ? /shortened.*30d.*7d/ : /缩短.*30 天.*7 天/)
            if (dir === 'up') assert.match(note, lang === 'en' ? /lengthened.*1m.*5m/ : /延长.*1 分钟.*5 分钟/)
            const sig = await page.inputValue('#adm-issue-output')
            assert.equal(decodeUserSig(sig).expire, given)
            if (dir !== 'no') await shot(`8-issue-clamped-${dir}`)
          }
          assert.deepEqual(await foreignText(page, lang), [])
        })

        test('Admin: check a token against the configured app without its key', async (t) => {
          if (!service) return t.skip(skipReason)
          const token = signer.issueUserSig(USER, { expiresIn: '3d' }).userSig
          await page.click('#tab-debugger')
          await page.fill('#dbg-token', token)
          await page.click('#dbg-check-service')
          await page.waitForSelector('#view-admin #adm-check-form')
          await page.waitForSelector('#adm-apps-table') // reconnected with the key kept in memory
          assert.equal(await page.inputValue('#adm-check-token'), token)
          await page.click('#adm-check-use-token')
          assert.equal(await page.inputValue('#adm-check-user'), USER)
          await page.click('#adm-check-submit')
          await page.waitForSelector('#adm-check-verdict[data-verdict="valid"]')
          assert.match(await text(page, '#adm-check-result [data-field="keyId"]'), new RegExp(keyFingerprint(SECRET_KEY)))
          await shot('9-check-in-service-valid')
          // Signed with a key the service does not have: invalid, 70009; a change clears the answer at once.
          await page.fill('#adm-check-token', createSigner({ sdkAppId: SDKAPPID, secretKey: OTHER_KEY }).issueUserSig(USER).userSig)
          assert.equal(await page.locator('#adm-check-verdict').count(), 0)
          await page.click('#adm-check-submit')
          await page.waitForSelector('#adm-check-verdict[data-verdict="invalid"]')
          assert.match(await text(page, '#adm-check-verdict'), /70009/)
          assert.deepEqual(await foreignText(page, lang), [])
          await shot('10-check-in-service-invalid')
        })

        test('Admin: metrics as charts (issued, denied by reason, rate-limited, latency), the raw table behind a disclosure; tables scroll by keyboard', async (t) => {
          if (!service) return t.skip(skipReason)
          // One issued and one denied request behind the page's back, inside the charts' one-minute window.
          const issue = (userId: string): Promise<Response> => fetch(`${service!.origin}/v1/admin/usersig`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ userId }) })
          assert.equal((await issue(USER)).status, 200)
          assert.equal((await issue('x'.repeat(40))).status, 400)
          for (const id of ['adm-chart-issued', 'adm-chart-denied', 'adm-chart-ratelimited', 'adm-chart-latency']) {
            await page.waitForSelector(`#${id} canvas`, { timeout: 15_000 })
            assert.notEqual(await text(page, `#${id} figcaption`), '')
            assert.match((await page.getAttribute(`#${id} [role="img"]`, 'aria-label')) ?? '', /\d/)
          }
          await page.waitForFunction(() => Number(document.querySelector('#adm-chart-issued [data-field="latest"]')?.textContent) >= 1)
          await page.waitForSelector('#adm-chart-denied li[data-series="INVALID_USERID"]', { timeout: 15_000 })
          assert.deepEqual(await page.$$eval('#adm-chart-latency li', (lis) => lis.map((li) => li.getAttribute('data-series'))), ['p50', 'p90', 'p99'])
          const chartWidth = await page.$eval('#adm-chart-issued canvas', (c) => c.getBoundingClientRect().right)
          assert.ok(chartWidth <= VIEWPORTS[vp].width, 'the chart fits the screen')
          assert.equal(await page.$eval('#adm-metrics-raw', (d) => (d as HTMLDetailsElement).open), false, 'the raw table is behind a disclosure')
          await page.click('#adm-metrics-raw > summary')
          await page.waitForSelector('#adm-metrics-table')
          assert.deepEqual(await foreignText(page, lang), [])
          await page.locator('#adm-h-metrics').scrollIntoViewIfNeeded()
          await shot('11-metrics-charts')

          // Every scrolling table is a focusable, named region, and the keyboard scrolls it.
          const regions = await page.$$eval('.table-wrap', (els) => els.map((e) => ({ tab: e.getAttribute('tabindex'), role: e.getAttribute('role'), label: e.getAttribute('aria-label') ?? '' })))
          assert.ok(regions.length >= 3)
          for (const r of regions) assert.deepEqual([r.tab, r.role, r.label !== ''], ['0', 'region', true])
          const wrap = page.locator('#adm-audit .table-wrap')
          const wide = await wrap.evaluate((e) => e.scrollWidth > e.clientWidth)
          await wrap.focus()
          assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('table-wrap')), true)
          for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight')
          // Arrow keys scroll smoothly: read the position once it has come to rest.
          let left = -1
          for (let now = await wrap.evaluate((e) => e.scrollLeft); now !== left; now = await wrap.evaluate((e) => e.scrollLeft)) {
            left = now
            await page.waitForTimeout(250)
          }
          if (wide) assert.ok(left > 0, 'ArrowRight scrolls the focused table')
          // The next poll replaces the table, not the region: focus and scroll position stay where the user left them.
          const before = await page.evaluateHandle(() => document.querySelector('#adm-audit-table'))
          await page.waitForFunction((old) => document.querySelector('#adm-audit-table') !== old, before, { timeout: 15_000 })
          assert.equal(await page.evaluate(() => document.activeElement?.closest('#adm-audit') !== null && document.activeElement?.classList.contains('table-wrap')), true, 'focus survives the refresh')
          assert.equal(await wrap.evaluate((e) => e.scrollLeft), left, 'the scroll position survives the refresh')
          if (vp === 'phone') assert.ok(wide, 'the audit table is wider than a phone')
          assert.deepEqual(errors, [])
        })
      })
    }
  }
})
