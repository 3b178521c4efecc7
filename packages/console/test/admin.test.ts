/**
 * The console's admin tab against the real issuing service, started in-process (createApp from packages/server,
 * listening on 127.0.0.1, serving packages/console/dist at /): wrong key → error next to the key field; the apps
 * with fingerprints (never keys); issue a UserSig through the service (verified in Node by the core); audit events;
 * live counters from /metrics refreshed by polling; the admin key in memory or sessionStorage only.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { Page, Request } from 'playwright-core'
import { keyFingerprint, verifyUserSig } from 'usersig'
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'
import { CHROMIUM_SKIP, distDir, ensureBuilt, launch, screenshotPath, type Browser } from './_harness.js'
import { startService, type Service } from './_service.js'

const SDKAPPID = 1400000011
const SECRET_KEY = randomBytes(32).toString('hex')
const SDKAPPID_2 = 1400000012
const SECRET_KEY_2 = randomBytes(32).toString('hex')
const ADMIN_KEY = `admin-${randomBytes(24).toString('hex')}`
const VERIFY_KEY = `verify-${randomBytes(24).toString('hex')}`
const WRONG_KEY = 'not-the-admin-key-0000000000000000'

/** The service with two apps and three API keys; `extra`: more config. */
async function startAdminService(extra: Record<string, unknown> = {}): Promise<Service | string> {
  return startService({
    apps: [
      { sdkAppId: SDKAPPID, name: 'main', secretKey: SECRET_KEY, userSig: { defaultExpiresIn: '1d', minExpiresIn: '10m', maxExpiresIn: '7d' } },
      { sdkAppId: SDKAPPID_2, name: 'second', secretKey: SECRET_KEY_2, userIdPolicy: 'strict' },
    ],
    auth: {
      apiKeys: [
        { name: 'ops', key: ADMIN_KEY, scopes: ['admin'] },
        { name: 'support', key: VERIFY_KEY, scopes: ['verify'] },
      ],
    },
    rateLimit: { perUser: { limit: 1000, window: 60 }, perIp: { limit: 10000, window: 60 } },
    ...extra,
  })
}

async function text(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').trim()
}

async function metricValue(page: Page, name: string, label: string): Promise<number> {
  const rows = page.locator(`#adm-metrics-table tr[data-metric="${name}"]`)
  const n = await rows.count()
  let total = 0
  for (let i = 0; i < n; i++) {
    const row = rows.nth(i)
    if (((await row.locator('td').nth(1).textContent()) ?? '').includes(label)) total += Number(await row.locator('td').nth(2).textContent())
  }
  return total
}

describe('console admin tab against the running service', { skip: CHROMIUM_SKIP }, () => {
  let browser: Browser
  let service: Service | null = null
  let skipReason = ''
  let page: Page
  const requests: Request[] = []
  const issuedSigs: string[] = []

  before(async () => {
    ensureBuilt()
    const s = await startAdminService()
    if (typeof s === 'string') {
      skipReason = s
      console.log(`admin tests skipped: ${s}`)
      return
    }
    service = s
    browser = await launch()
    page = await browser.context.newPage()
    page.on('request', (r) => requests.push(r))
  })
  after(async () => {
    await browser?.close()
    await service?.close()
  })

  test('the service serves the console at / and the debugger makes no request there', async (t) => {
    if (!service) return t.skip(skipReason)
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()) })
    page.on('response', (r) => { if (r.status() >= 400 && !r.url().includes('/v1/admin/')) errors.push(`${r.status()} ${r.url()}`) })
    const res = await page.goto(`${service.origin}/`)
    assert.ok(res?.headers()['content-security-policy'], 'served with a CSP')
    await page.waitForSelector('#app[data-ready="true"]')
    const before = requests.length
    await page.fill('#dbg-token', 'eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwhWZiflZpXlQqeKU7MSCgswUJStDEwMogMikVhRkFqUqWVmYmcCESjJzgQKG5qgKizPTgcYG*7mZuOWGOQeUJudHFDv5FySFuRmnuTmnmZp7BeQapFZFGWalhnn65IQl2yrVAgAojzFw')
    await page.waitForSelector('[data-field="userId"]')
    assert.equal(requests.length, before, 'decoding made no request')
    assert.deepEqual(errors, [], 'no script or CSP errors')
  })

  test('a wrong admin key: the service refuses, the error sits under the key field', async (t) => {
    if (!service) return t.skip(skipReason)
    await page.click('#tab-admin')
    await page.waitForSelector('#view-admin')
    assert.equal(await page.inputValue('#adm-base'), service.origin, 'the service URL defaults to the page origin')
    await page.fill('#adm-key', WRONG_KEY)
    await page.click('#adm-connect')
    await page.waitForSelector('#adm-key[aria-invalid="true"]')
    assert.match(await text(page, '#adm-key-error'), /refused/)
    // A key without the admin scope is refused too, with the very answer an unknown key gets (401; issue 11).
    await page.fill('#adm-key', VERIFY_KEY)
    await page.click('#adm-connect')
    await page.waitForFunction(() => /UNAUTHENTICATED/.test(document.querySelector('#adm-key-error')?.textContent ?? ''))
    assert.equal(await page.isHidden('#adm-connected'), true)
    await page.screenshot({ path: screenshotPath('admin-wrong-key-en'), fullPage: true })
  })

  test('connect: apps with algorithm and key fingerprint, never the key', async (t) => {
    if (!service) return t.skip(skipReason)
    await page.fill('#adm-key', ADMIN_KEY)
    await page.click('#adm-connect')
    await page.waitForSelector('#adm-apps-table')
    assert.equal(await text(page, `#adm-apps-table tr[data-sdkappid="${SDKAPPID}"] [data-field="keyId"]`), keyFingerprint(SECRET_KEY))
    assert.equal(await text(page, `#adm-apps-table tr[data-sdkappid="${SDKAPPID_2}"] [data-field="keyId"]`), keyFingerprint(SECRET_KEY_2))
    assert.match(await text(page, `#adm-apps-table tr[data-sdkappid="${SDKAPPID}"]`), /hmac/i)
    const html = await page.content()
    assert.ok(!html.includes(SECRET_KEY) && !html.includes(SECRET_KEY_2), 'no key in the page')
    const stored = await page.evaluate(() => ({ local: JSON.stringify(localStorage), session: JSON.stringify(sessionStorage), cookie: document.cookie }))
    assert.ok(!stored.local.includes('admin-') && !stored.session.includes('admin-') && stored.cookie === '', 'the admin key is in memory only')
  })

  test('issue a UserSig through the service → verified by the core; shows in the audit list; opens in the debugger', async (t) => {
    if (!service) return t.skip(skipReason)
    await page.selectOption('#adm-issue-app', String(SDKAPPID_2))
    await page.fill('#adm-issue-user', 'has space')
    await page.click('#adm-issue-submit')
    await page.waitForFunction(() => /INVALID_USERID/.test(document.querySelector('#adm-issue-user-error')?.textContent ?? ''))
    await page.selectOption('#adm-issue-app', String(SDKAPPID))
    await page.fill('#adm-issue-user', 'ops_bot')
    await page.fill('#adm-issue-exp', '2h')
    await page.click('#adm-issue-submit')
    await page.waitForFunction(() => (document.querySelector('#adm-issue-output') as HTMLTextAreaElement | null)?.value.length)
    const sig = await page.inputValue('#adm-issue-output')
    issuedSigs.push(sig)
    const r = verifyUserSig(sig, { sdkAppId: SDKAPPID, userId: 'ops_bot', secretKey: SECRET_KEY })
    assert.equal(r.ok, true)
    assert.equal(r.ok && r.payload.expire, 7200)
    assert.equal(await text(page, '#adm-issue-meta [data-field="userId"]'), 'ops_bot')
    await page.waitForFunction(() => [...document.querySelectorAll('#adm-audit-table td[data-col="userId"]')].some((td) => td.textContent === 'ops_bot'))
    const row = page.locator('#adm-audit-table tr', { has: page.locator('td[data-col="userId"]', { hasText: 'ops_bot' }) }).first()
    assert.equal(await row.locator('td[data-col="kind"]').textContent(), 'adminUserSig')
    assert.equal(await row.locator('td[data-col="outcome"]').textContent(), 'issued')
    assert.equal(await row.locator('td[data-col="keyId"]').textContent(), keyFingerprint(SECRET_KEY))
    await page.screenshot({ path: screenshotPath('admin-issued-en'), fullPage: true })
  })

  test('live counters from /metrics, refreshed by polling', async (t) => {
    if (!service) return t.skip(skipReason)
    // The raw table sits behind a disclosure, under the charts.
    await page.click('#adm-metrics-raw > summary')
    await page.waitForSelector('#adm-metrics-table')
    await page.waitForFunction(() => [...document.querySelectorAll('#adm-metrics-table tr[data-metric="usersig_issued_total"]')].some((tr) => /kind=adminUserSig/.test(tr.textContent ?? '')))
    const issued = await metricValue(page, 'usersig_issued_total', 'kind=adminUserSig')
    assert.ok(issued >= 1, `usersig_issued_total{kind=adminUserSig} = ${issued}`)
    // Issue one more behind the page's back: the next poll shows it.
    const res = await fetch(`${service.origin}/v1/admin/usersig`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'cron_job' }),
    })
    assert.equal(res.status, 200)
    issuedSigs.push(((await res.json()) as { userSig: string }).userSig)
    const deadline = Date.now() + 15_000
    let now = issued
    while (Date.now() < deadline && now <= issued) {
      await page.waitForTimeout(500)
      now = await metricValue(page, 'usersig_issued_total', 'kind=adminUserSig')
    }
    assert.equal(now, issued + 1, 'the counter moved without a reload')
    assert.match(await text(page, '#adm-metrics-updated'), /\d/)
    await page.screenshot({ path: screenshotPath('admin-metrics-en'), fullPage: true })
  })

  test('in Chinese; then "remember in this tab" keeps the key in sessionStorage only, and reconnects after a reload', async (t) => {
    if (!service) return t.skip(skipReason)
    await page.selectOption('#lang-select', 'zh-CN')
    assert.equal(await text(page, '#adm-h-apps'), '已配置的应用')
    await page.fill('#adm-key', ADMIN_KEY)
    await page.check('#adm-remember')
    await page.click('#adm-connect')
    await page.waitForSelector('#adm-apps-table')
    await page.screenshot({ path: screenshotPath('admin-zh-CN'), fullPage: true })
    assert.equal(await page.evaluate(() => sessionStorage.getItem('usersig.console.adminKey')), ADMIN_KEY)
    assert.ok(!(await page.evaluate(() => JSON.stringify(localStorage))).includes(ADMIN_KEY))
    await page.reload()
    await page.waitForSelector('#adm-apps-table')
    await page.click('#adm-disconnect')
    assert.equal(await page.evaluate(() => sessionStorage.getItem('usersig.console.adminKey')), null)
    assert.equal(await page.isHidden('#adm-connected'), true)
    await page.selectOption('#lang-select', 'en')
  })

  test('polling stops when leaving the admin tab; the key only ever went to the service, in the Authorization header', async (t) => {
    if (!service) return t.skip(skipReason)
    await page.fill('#adm-key', ADMIN_KEY)
    await page.click('#adm-connect')
    await page.waitForSelector('#adm-apps-table')
    await page.click('#tab-debugger')
    await page.waitForTimeout(300)
    const count = requests.length
    await page.waitForTimeout(6000)
    assert.equal(requests.length, count, 'no request after leaving the admin tab')
    for (const r of requests) {
      assert.ok(r.url().startsWith(service.origin), `only the service: ${r.url()}`)
      assert.ok(!r.url().includes(ADMIN_KEY), 'never in a URL')
      assert.ok(!(r.postData() ?? '').includes(ADMIN_KEY), 'never in a body')
      for (const s of [SECRET_KEY, SECRET_KEY_2, ...issuedSigs]) assert.ok(!(r.url() + (r.postData() ?? '')).includes(s))
      const auth = (await r.allHeaders())['authorization']
      if (auth) assert.ok([ADMIN_KEY, VERIFY_KEY, WRONG_KEY].map((k) => `Bearer ${k}`).includes(auth), 'only the keys typed in')
      if (auth) assert.match(new URL(r.url()).pathname, /^\/(v1\/admin\/|metrics$)/, 'the key goes to the admin API only')
    }
  })
})

describe('console admin tab opened from file://', { skip: CHROMIUM_SKIP }, () => {
  // The service allows the "null" origin (what a file:// page sends) and keeps /metrics behind an API key.
  let browser: Browser
  let service: Service | null = null
  let skipReason = ''

  before(async () => {
    ensureBuilt()
    const s = await startAdminService({ server: { cors: { origins: ['null'] } }, metrics: { requireApiKey: true } })
    if (typeof s === 'string') {
      skipReason = s
      return
    }
    service = s
    browser = await launch()
  })
  after(async () => {
    await browser?.close()
    await service?.close()
  })

  test('connects with the service URL and the admin key: apps, audit and counters from /metrics with the key', async (t) => {
    if (!service) return t.skip(skipReason)
    const page = await browser.context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(pathToFileURL(join(distDir, 'index.html')).href)
    await page.waitForSelector('#app[data-ready="true"]')
    await page.click('#tab-admin')
    await page.fill('#adm-base', service.origin)
    await page.fill('#adm-key', ADMIN_KEY)
    await page.click('#adm-connect')
    await page.waitForSelector('#adm-apps-table')
    assert.equal(await text(page, `#adm-apps-table tr[data-sdkappid="${SDKAPPID}"] [data-field="keyId"]`), keyFingerprint(SECRET_KEY))
    await page.waitForSelector('#adm-metrics-table', { state: 'attached' })
    // /metrics answered the page because it sent the admin key.
    const res = await fetch(`${service.origin}/metrics`)
    assert.equal(res.status, 401, 'and not without it')
    assert.deepEqual(errors, [])
    await page.screenshot({ path: screenshotPath('admin-file-origin-en'), fullPage: true })
    await page.close()
  })
})
