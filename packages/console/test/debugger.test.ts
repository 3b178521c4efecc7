/**
 * The console's debugger and generator in a real Chromium, from file:// and from a static server on 127.0.0.1:
 * paste → decode → verify → explain; generate → copy → decode; PrivateMapKey; redacted report; both languages;
 * and the network log (nothing carries the key or the token; from file:// nothing but the page's own files).
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Page, Request } from 'playwright-core'
import { decodeUserSig, keyFingerprint, verifyUserSig } from 'usersig'
import { CHROMIUM_SKIP, distDir, ensureBuilt, launch, screenshotPath, staticServer, type Browser, type StaticServer } from './_harness.js'
import { loadVectors } from '../../usersig/test/_vectors.js'

const verifyVectors = loadVectors<any[]>('v2-verify.json')
const generated = loadVectors<any[]>('v2-generated.json')
const VALID = verifyVectors.find((r) => r.id === 'v2-verify/v2-valid')!
const PMK = generated.find((r) => r.id === 'v2/php-v2/pmk-42')!
const PMKS = generated.find((r) => r.id === 'v2/php-v2/pmks-alpha')!

// A key made for this test only; it must never appear in any request.
const SECRET = 'c0ffee00d15ea5e0123456789abcdef0123456789abcdef0fedcba9876543210'
const SDKAPPID = '1400654321'

interface Opened {
  page: Page
  requests: Request[]
}

async function open(browser: Browser, url: string): Promise<Opened> {
  const page = await browser.context.newPage()
  const requests: Request[] = []
  page.on('request', (r) => requests.push(r))
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(url)
  await page.waitForSelector('#app[data-ready="true"]')
  assert.deepEqual(errors, [])
  return { page, requests }
}

async function text(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').trim()
}

async function fillVerify(page: Page, sdkAppId: string, userId: string, key: string): Promise<void> {
  await page.fill('#dbg-sdkappid', sdkAppId)
  await page.fill('#dbg-userid', userId)
  await page.fill('#dbg-secret', key)
  await page.click('#dbg-verify')
}

/** Reads the clipboard where the page may (http on 127.0.0.1 with the permission granted); null otherwise. */
async function readClipboard(page: Page): Promise<string | null> {
  return page.evaluate(async () => {
    try {
      return await navigator.clipboard.readText()
    } catch {
      return null
    }
  })
}

function flows(mode: 'file' | 'http', getUrl: () => string, getBrowser: () => Browser): void {
  let o: Opened
  const tokensSeen: string[] = []

  before(async () => {
    o = await open(getBrowser(), getUrl())
  })

  test(`${mode}: paste a token → decoded fields, times in UTC and local, live countdown`, async () => {
    const { page } = o
    await page.fill('#dbg-token', VALID.usersig)
    tokensSeen.push(VALID.usersig)
    assert.equal(await text(page, '[data-field="userId"]'), 'xiaojun')
    assert.equal(await text(page, '[data-field="sdkAppId"]'), '1400000000')
    assert.match(await text(page, '[data-field="issuedAt"] .utc'), /^2023-11-14 22:13:20 UTC$/)
    assert.match(await text(page, '[data-field="expiresAt"] .utc'), /^2023-11-15 22:13:20 UTC$/)
    assert.notEqual(await text(page, '[data-field="issuedAt"] .local'), '')
    assert.match(await text(page, '[data-field="expiresIn"]'), /^86400 s \(1d\)$/)
    assert.match(await text(page, '[data-field="countdown"]'), /^expired .* ago$/)
    assert.equal(await text(page, '[data-field="signature"]'), VALID.decoded.json['TLS.sig'])
    await page.screenshot({ path: screenshotPath(`${mode}-debugger-decoded-en`), fullPage: true })
  })

  test(`${mode}: verify → explain: expired, Tencent 70001, a finding with cause and fix`, async () => {
    const { page } = o
    await fillVerify(page, '1400000000', 'xiaojun', VALID.verifier_inputs.key)
    await page.waitForSelector('#dbg-verdict')
    assert.equal(await page.getAttribute('#dbg-verdict', 'data-verdict'), 'invalid')
    assert.equal(await text(page, '#dbg-verdict [data-field="reason"]'), 'EXPIRED')
    assert.match(await text(page, '#dbg-verdict [data-field="tencentCode"]'), /70001/)
    const finding = page.locator('#dbg-findings li.sev-error').first()
    assert.ok(await finding.count(), 'an error finding is listed')
    assert.match((await finding.locator('.cause').textContent()) ?? '', /\S/)

    // The wrong user: identifier mismatch first (Tencent 70013).
    await fillVerify(page, '1400000000', 'XiaoJun', VALID.verifier_inputs.key)
    await page.waitForSelector('#dbg-verdict [data-field="reason"]:text("IDENTIFIER_MISMATCH")')
    assert.match(await text(page, '#dbg-verdict [data-field="tencentCode"]'), /70013/)
    await page.screenshot({ path: screenshotPath(`${mode}-debugger-verify-en`), fullPage: true })
  })

  test(`${mode}: errors appear next to the field at fault (the core's hint under SDKAppID)`, async () => {
    const { page } = o
    await page.fill('#dbg-userid', 'xiaojun')
    await page.fill('#dbg-secret', VALID.verifier_inputs.key)
    await page.fill('#dbg-sdkappid', '1400000000 ')
    await page.click('#dbg-verify')
    const err = await text(page, '#dbg-sdkappid-error')
    assert.notEqual(err, '', 'error under the SDKAppID input')
    assert.equal(await page.getAttribute('#dbg-sdkappid', 'aria-invalid'), 'true')
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'dbg-sdkappid', 'focus moves to the field at fault')
    assert.equal(await text(page, '#dbg-userid-error'), '')
    // A key with a trailing space is refused with a hint under the key field (a copy mistake).
    await page.fill('#dbg-sdkappid', '1400000000')
    await page.fill('#dbg-secret', VALID.verifier_inputs.key + ' ')
    await page.click('#dbg-verify')
    const keyErr = await text(page, '#dbg-secret-error')
    assert.notEqual(keyErr, '', 'error under the secret key input')
    assert.ok(!keyErr.includes(VALID.verifier_inputs.key), 'the error does not echo the key')
    // Garbage in the token: the decode error sits under the token field.
    await page.fill('#dbg-token', 'not a usersig at all')
    assert.notEqual(await text(page, '#dbg-token-error'), '')
    await page.screenshot({ path: screenshotPath(`${mode}-debugger-field-errors-en`), fullPage: true })
  })

  test(`${mode}: generate a UserSig → copy → decode shows the same fields → verify is valid`, async () => {
    const { page } = o
    await page.click('#tab-generate')
    await page.waitForSelector('#view-generate')
    await page.fill('#gen-sdkappid', SDKAPPID)
    await page.fill('#gen-userid', 'alice_01')
    await page.fill('#gen-secret', SECRET)
    assert.match(await text(page, '#gen-fingerprint'), new RegExp(keyFingerprint(SECRET)))
    await page.fill('#gen-expires', '2h')
    await page.click('#gen-submit')
    const token = await page.inputValue('#gen-output')
    assert.ok(token.length > 50, 'a token was generated')
    tokensSeen.push(token)
    await page.click('#gen-copy')
    await page.waitForSelector('#gen-copy-status:not(:empty)')
    const clip = await readClipboard(page)
    if (clip !== null) assert.equal(clip, token, 'the clipboard holds the token')
    await page.screenshot({ path: screenshotPath(`${mode}-generate-usersig-en`), fullPage: true })

    // The same token, checked by the core in Node.
    const inNode = decodeUserSig(token)
    assert.equal(inNode.expire, 7200)
    assert.equal(verifyUserSig(token, { sdkAppId: Number(SDKAPPID), userId: 'alice_01', secretKey: SECRET }).ok, true)

    await page.click('#gen-open')
    await page.waitForSelector('#view-debugger')
    assert.equal(await page.inputValue('#dbg-token'), token)
    assert.equal(await text(page, '[data-field="userId"]'), inNode.identifier)
    assert.equal(await text(page, '[data-field="sdkAppId"]'), String(inNode.sdkAppId))
    assert.equal(await text(page, '[data-field="expiresIn"]'), '7200 s (2h)')
    assert.match(await text(page, '[data-field="countdown"]'), /^expires in /)
    // The generator's inputs are shared with the debugger (in memory): verify straight away.
    assert.equal(await page.inputValue('#dbg-sdkappid'), SDKAPPID)
    await page.click('#dbg-verify')
    await page.waitForSelector('#dbg-verdict')
    assert.equal(await page.getAttribute('#dbg-verdict', 'data-verdict'), 'valid')
    assert.equal(await text(page, '[data-field="keyId"]'), keyFingerprint(SECRET))
    await page.screenshot({ path: screenshotPath(`${mode}-debugger-valid-en`), fullPage: true })
  })

  test(`${mode}: generate a PrivateMapKey with a preset → decode shows room and read-only privilege checkboxes`, async () => {
    const { page } = o
    await page.click('#tab-generate')
    await page.check('#gen-kind-pmk')
    await page.fill('#gen-roomid', '4321')
    await page.click('#gen-preset-audience')
    assert.equal(await page.isChecked('#gen-priv-enter'), true)
    assert.equal(await page.isChecked('#gen-priv-sendAudio'), false)
    await page.check('#gen-priv-sendAudio') // audience + send audio = 46
    await page.click('#gen-submit')
    const token = await page.inputValue('#gen-output')
    tokensSeen.push(token)
    assert.match(await text(page, '#gen-meta [data-field="privileges"]'), /^46 /)
    await page.screenshot({ path: screenshotPath(`${mode}-generate-pmk-en`), fullPage: true })
    const d = decodeUserSig(token)
    assert.equal(d.privateMapKey?.roomId, 4321)
    assert.equal(d.privateMapKey?.privileges, 46)

    await page.click('#gen-open')
    await page.waitForSelector('#dbg-pmk')
    assert.equal(await text(page, '[data-field="pmk-roomId"]'), '4321')
    assert.equal(await text(page, '[data-field="pmk-userId"]'), 'alice_01')
    for (const [name, on] of [['create', false], ['enter', true], ['sendAudio', true], ['recvAudio', true], ['sendVideo', false], ['recvVideo', true], ['sendSubVideo', false], ['recvSubVideo', false]] as const) {
      assert.equal(await page.isChecked(`#dbg-priv-${name}`), on, name)
      assert.equal(await page.isDisabled(`#dbg-priv-${name}`), true, `${name} is read-only`)
    }
    // Back in the generator, a string room.
    await page.click('#tab-generate')
    await page.check('#gen-roomkind-str')
    await page.fill('#gen-strroomid', 'room-abc_XYZ')
    await page.click('#gen-preset-anchor')
    await page.click('#gen-submit')
    const strToken = await page.inputValue('#gen-output')
    tokensSeen.push(strToken)
    assert.equal(decodeUserSig(strToken).privateMapKey?.strRoomId, 'room-abc_XYZ')
    await page.click('#gen-kind-usersig')
  })

  test(`${mode}: an official PrivateMapKey decodes to its recorded fields (numeric and string room)`, async () => {
    const { page } = o
    await page.click('#tab-debugger')
    await page.fill('#dbg-token', PMK.usersig)
    tokensSeen.push(PMK.usersig)
    assert.equal(await text(page, '[data-field="pmk-roomId"]'), String(PMK.inputs.room_id))
    assert.equal(await text(page, '[data-field="pmk-userId"]'), PMK.inputs.identifier)
    assert.match(await text(page, '[data-field="pmk-privileges"]'), /^42 \(0x2a\)$/)
    assert.deepEqual(
      await page.$$eval('#dbg-priv-set input:checked', (els) => els.map((e) => (e as HTMLInputElement).name)),
      ['enter', 'recvAudio', 'recvVideo'],
    )
    // The room the client will enter: a different one is flagged (-100006).
    await page.click('#dbg-verify-form details summary')
    await page.fill('#dbg-roomid', '42')
    await fillVerify(page, String(PMK.inputs.sdkappid), PMK.inputs.identifier, PMK.inputs.key)
    await page.waitForSelector('#dbg-findings li[data-code="PMK_ROOM_MISMATCH"]')
    assert.match(await text(page, '#dbg-findings li[data-code="PMK_ROOM_MISMATCH"]'), /-100006/)
    await page.fill('#dbg-roomid', '')
    await page.fill('#dbg-token', PMKS.usersig)
    tokensSeen.push(PMKS.usersig)
    assert.equal(await text(page, '[data-field="pmk-strRoomId"]'), 'room-abc_XYZ')
    await page.screenshot({ path: screenshotPath(`${mode}-debugger-pmk-en`), fullPage: true })
  })

  test(`${mode}: "copy a redacted report" has the fields and the verdict, never the signature, token or key`, async () => {
    const { page } = o
    await page.fill('#dbg-token', VALID.usersig)
    await fillVerify(page, '1400000000', 'xiaojun', VALID.verifier_inputs.key)
    await page.waitForSelector('#dbg-verdict')
    await page.click('#dbg-copy-report')
    await page.waitForSelector('#dbg-report-status:not(:empty)')
    const reportText = await page.inputValue('#dbg-report')
    const clip = await readClipboard(page)
    if (clip !== null) assert.equal(clip, reportText)
    const report = JSON.parse(reportText)
    assert.equal(report.decoded.userId, 'xiaojun')
    assert.equal(report.decoded.sdkAppId, 1400000000)
    assert.equal(report.times.issuedAt, '2023-11-14T22:13:20.000Z')
    assert.equal(report.decoded.signature, '[redacted]')
    assert.equal(report.verdict.verdict, 'invalid')
    assert.equal(report.verdict.reason, 'EXPIRED')
    assert.equal(report.verdict.tencentCode, 70001)
    assert.ok(Array.isArray(report.findings) && report.findings.length > 0)
    for (const secret of [VALID.usersig, VALID.decoded.json['TLS.sig'], VALID.verifier_inputs.key, SECRET]) {
      assert.ok(!reportText.includes(secret), 'report leaks nothing')
    }
    await page.screenshot({ path: screenshotPath(`${mode}-debugger-report-en`), fullPage: true })
  })

  test(`${mode}: switch to zh-CN and back: labels are translated`, async () => {
    const { page } = o
    await page.selectOption('#lang-select', 'zh-CN')
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN')
    assert.equal(await text(page, '#tab-debugger'), '调试')
    assert.equal(await text(page, '#dbg-h-verify'), '校验与诊断')
    assert.equal(await text(page, 'label[for="dbg-secret"]'), '密钥')
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'lang-select', 'focus stays on the switch')
    // State survives the switch: the token is still decoded, in Chinese.
    assert.equal(await text(page, '[data-field="userId"]'), 'xiaojun')
    assert.match(await text(page, '[data-field="countdown"]'), /^已过期/)
    await page.click('#dbg-verify')
    await page.waitForSelector('#dbg-verdict')
    assert.match(await text(page, '#dbg-verdict'), /无效/)
    assert.match(await text(page, '#dbg-verdict [data-field="tencentCode"]'), /腾讯云错误码 70001/)
    await page.screenshot({ path: screenshotPath(`${mode}-debugger-zh-CN`), fullPage: true })
    await page.click('#tab-generate')
    assert.equal(await text(page, 'label[for="gen-expires"]'), '有效期')
    await page.screenshot({ path: screenshotPath(`${mode}-generate-zh-CN`), fullPage: true })
    await page.selectOption('#lang-select', 'en')
    assert.equal(await text(page, '#tab-debugger'), 'Debugger')
    await page.click('#tab-debugger')
  })

  test(`${mode}: network log: no request carries the secret key or the token`, async () => {
    const { requests } = o
    assert.ok(requests.length > 0)
    const secrets = [SECRET, VALID.verifier_inputs.key, ...tokensSeen]
    for (const r of requests) {
      const blob = [r.url(), r.postData() ?? '', JSON.stringify(r.headers())].join('\n')
      for (const s of secrets) assert.ok(!blob.includes(s), `request ${r.url()} carries a secret`)
      assert.notEqual(r.resourceType(), 'fetch', `no fetch in debugger mode: ${r.url()}`)
      assert.notEqual(r.resourceType(), 'xhr', `no XHR in debugger mode: ${r.url()}`)
    }
    const base = new URL('.', getUrl()).href
    const own = new Set(['index.html', 'app.js', 'app.css', 'favicon.ico'])
    for (const r of requests) {
      assert.ok(r.url().startsWith(base), `only the page's own files: ${r.url()}`)
      const name = r.url().slice(base.length).replace(/[?#].*$/, '') || 'index.html'
      if (mode === 'file') assert.ok(own.has(name), `file:// loads only the page's own files, got ${name}`)
      else assert.ok(own.has(name), `only the page's own files, got ${name}`)
    }
    await o.page.close()
  })
}

describe('console debugger and generator in Chromium', { skip: CHROMIUM_SKIP }, () => {
  let browser: Browser
  let server: StaticServer

  before(async () => {
    ensureBuilt()
    browser = await launch()
    server = await staticServer(distDir)
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin })
  })
  after(async () => {
    await browser?.close()
    await server?.close()
  })

  describe('from file://', () => flows('file', () => pathToFileURL(join(distDir, 'index.html')).href, () => browser))
  describe('from a static server on 127.0.0.1', () => flows('http', () => `${server.origin}/index.html`, () => browser))

  test('legacy v1 (ECDSA) UserSig with a public key: valid at its own time (page clock pinned), expired today', async () => {
    const v1 = loadVectors<any[]>('v1-verify.json').find((r) => r.id === 'v1-verify/official|2|at-time')!
    const vi = v1.verifier_inputs
    for (const pinned of [false, true]) {
      // The clock belongs to the browser context: the pinned run gets a browser of its own.
      const own = pinned ? await launch() : null
      const page = await (own ?? browser).context.newPage()
      if (pinned) await page.clock.setFixedTime(new Date(vi.now * 1000))
      await page.goto(`${server.origin}/index.html`)
      await page.waitForSelector('#app[data-ready="true"]')
      await page.fill('#dbg-token', v1.usersig)
      assert.match(await text(page, '[data-field="version"]'), /legacy v1/)
      assert.equal(await text(page, '[data-field="userId"]'), vi.identifier)
      await page.check('#dbg-keykind-public')
      if (!pinned) {
        // An unusable PEM: the core's INVALID_PUBLIC_KEY is shown under the public key field.
        await page.fill('#dbg-publickey', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')
        await page.fill('#dbg-sdkappid', String(vi.sdkappid))
        await page.fill('#dbg-userid', vi.identifier)
        await page.click('#dbg-verify')
        await page.waitForSelector('#dbg-publickey[aria-invalid="true"]')
        assert.notEqual(await text(page, '#dbg-publickey-error'), '')
      }
      await page.fill('#dbg-publickey', vi.public_key_pem)
      await page.fill('#dbg-sdkappid', String(vi.sdkappid))
      await page.fill('#dbg-userid', vi.identifier)
      await page.click('#dbg-verify')
      await page.waitForSelector('#dbg-verdict')
      if (pinned) {
        assert.equal(await page.getAttribute('#dbg-verdict', 'data-verdict'), 'valid')
        assert.match(await text(page, '[data-field="keyId"]'), /^[0-9a-f]{8}$/)
        await page.screenshot({ path: screenshotPath('http-debugger-legacy-valid-en'), fullPage: true })
      } else {
        assert.equal(await text(page, '#dbg-verdict [data-field="reason"]'), 'EXPIRED')
      }
      await page.close()
      await own?.close()
    }
  })

  test('the default language follows navigator.language (zh-CN)', async () => {
    const zh = await launch({ locale: 'zh-CN' })
    try {
      const page = await zh.context.newPage()
      await page.goto(`${server.origin}/index.html`)
      await page.waitForSelector('#app[data-ready="true"]')
      assert.equal(await page.evaluate(() => navigator.language), 'zh-CN')
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN')
      assert.equal(await text(page, '#tab-generate'), '生成')
      assert.equal(await page.inputValue('#lang-select'), 'zh-CN')
    } finally {
      await zh.close()
    }
  })

  test('usable at 375 px and by keyboard: labels, focus order, visible focus, buttons', async () => {
    const page = await browser.context.newPage()
    await page.setViewportSize({ width: 375, height: 800 })
    await page.goto(`${server.origin}/index.html`)
    await page.waitForSelector('#app[data-ready="true"]')
    await page.fill('#dbg-token', PMK.usersig)
    for (const route of ['debugger', 'generate', 'admin']) {
      await page.click(`#tab-${route}`)
      await page.waitForSelector(`#view-${route}`)
      if (route === 'generate') await page.check('#gen-kind-pmk')
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      assert.ok(overflow <= 0, `${route}: no horizontal scrolling at 375 px (overflow ${overflow}px)`)
      const unlabelled = await page.$$eval('input, textarea, select', (els) =>
        els.filter((e) => {
          const id = e.id
          return !(id && document.querySelector(`label[for="${id}"]`)) && !e.getAttribute('aria-label') && !e.closest('label')
        }).map((e) => e.outerHTML.slice(0, 80)))
      assert.deepEqual(unlabelled, [], `${route}: every control has a label`)
      const clickableNonButtons = await page.$$eval('div[onclick], span[onclick], div[role="button"]', (els) => els.length)
      assert.equal(clickableNonButtons, 0)
      await page.screenshot({ path: screenshotPath(`mobile-375-${route}`), fullPage: true })
    }
    // Keyboard: from the top, Tab reaches the skip link, the language switch and the tabs, in that order; focus is visible.
    await page.goto(`${server.origin}/index.html#/debugger`)
    await page.reload()
    await page.waitForSelector('#app[data-ready="true"]')
    await page.keyboard.press('Tab')
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip')
    await page.keyboard.press('Tab')
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'lang-select')
    await page.keyboard.press('Tab')
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-debugger')
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)
    assert.notEqual(outline, 'none', 'focus is visible')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await page.waitForSelector('#view-generate')
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'view-heading', 'focus moves to the new view')
    await page.keyboard.press('Tab')
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'gen-kind-usersig')
    await page.close()
  })
})
