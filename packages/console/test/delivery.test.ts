/**
 * Fast on a phone: the service sends the console compressed (brotli or gzip by Accept-Encoding, from the build's
 * precompressed copies or compressed once and cached), the page shell paints from index.html alone (no script
 * needed), and first paint is measured in Chromium on a slow-3G profile (CDP network throttling) and printed.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { CHROMIUM_SKIP, distDir, ensureBuilt, launch, screenshotPath, type Browser } from './_harness.js'
import { startService, type Service } from './_service.js'

const CONFIG = {
  apps: [{ sdkAppId: 1400000031, secretKey: 'c0ffee00d15ea5e0123456789abcdef0123456789abcdef0fedcba9876543210' }],
  rateLimit: { perUser: { limit: 1000, window: 60 }, perIp: { limit: 10000, window: 60 } },
}

/** Chrome DevTools' "Slow 3G": 2 s round trip, 400 kbit/s each way. */
const SLOW_3G = { offline: false, latency: 2000, downloadThroughput: (500 * 1000) / 8 * 0.8, uploadThroughput: (500 * 1000) / 8 * 0.8 }

interface Got {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

/** A raw GET (no automatic decompression), so the test sees the bytes on the wire. */
function get(origin: string, path: string, acceptEncoding?: string): Promise<Got> {
  return new Promise((ok, fail) => {
    const req = request(`${origin}${path}`, { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', fail)
    req.end()
  })
}

function decoded(got: Got): Buffer {
  const enc = got.headers['content-encoding']
  return enc === 'br' ? brotliDecompressSync(got.body) : enc === 'gzip' ? gunzipSync(got.body) : got.body
}

let service: Service | null = null
let skipReason = ''

before(async () => {
  ensureBuilt()
  const s = await startService(CONFIG)
  if (typeof s === 'string') skipReason = s
  else service = s
})
after(async () => {
  await service?.close()
})

describe('the console is delivered compressed', () => {
  let bare: Service | null = null
  let bareDir = ''

  before(async () => {
    if (!service) return
    // A folder without the build's .br/.gz copies: the service compresses on the fly.
    bareDir = mkdtempSync(join(tmpdir(), 'usersig-console-bare-'))
    for (const f of ['index.html', 'app.js', 'app.css']) copyFileSync(join(distDir, f), join(bareDir, f))
    writeFileSync(join(bareDir, 'tiny.txt'), 'small')
    const b = await startService(CONFIG, bareDir)
    if (typeof b !== 'string') bare = b
  })
  after(async () => {
    await bare?.close()
    if (bareDir) rmSync(bareDir, { recursive: true, force: true })
  })

  test('app.js, app.css and / by Accept-Encoding: br, else gzip, else as is; always Vary: Accept-Encoding', async (t) => {
    if (!service) return t.skip(skipReason)
    for (const path of ['/app.js', '/app.css', '/', '/testsig/usersig-testsig.mjs']) {
      const file = readFileSync(join(distDir, path === '/' ? 'index.html' : path.slice(1)))
      const cases: [string | undefined, string | undefined][] = [
        ['gzip, deflate, br, zstd', 'br'],
        ['gzip', 'gzip'],
        ['br;q=0, gzip', 'gzip'],
        ['identity', undefined],
        [undefined, undefined],
        ['*', 'br'],
        ['br;q=0, gzip;q=0', undefined],
      ]
      for (const [accept, expected] of cases) {
        const got = await get(service.origin, path, accept)
        assert.equal(got.status, 200)
        assert.equal(got.headers['content-encoding'], expected, `${path} with ${accept}`)
        assert.match(String(got.headers['vary']), /accept-encoding/i)
        assert.ok(decoded(got).equals(file), `${path} with ${accept}: the same bytes once decoded`)
        if (expected) assert.ok(got.body.length < file.length / 2, `${path}: ${file.length} → ${got.body.length} bytes (${expected})`)
      }
    }
    const js = readFileSync(join(distDir, 'app.js'))
    const br = await get(service.origin, '/app.js', 'br')
    const gz = await get(service.origin, '/app.js', 'gzip')
    console.log(`# app.js: ${js.length} B as built, ${br.body.length} B brotli, ${gz.body.length} B gzip`)
  })

  test('without precompressed copies: compressed here, the same bytes on the next request (cached); tiny files as is; a hostile header is harmless', async (t) => {
    if (!bare) return t.skip(skipReason)
    const file = readFileSync(join(bareDir, 'app.js'))
    const first = await get(bare.origin, '/app.js', 'br')
    assert.equal(first.headers['content-encoding'], 'br')
    assert.ok(decoded(first).equals(file))
    const second = await get(bare.origin, '/app.js', 'br')
    assert.ok(second.body.equals(first.body), 'served from the cache')
    const gz = await get(bare.origin, '/app.js', 'gzip')
    assert.ok(decoded(gz).equals(file))
    const tiny = await get(bare.origin, '/tiny.txt', 'br')
    assert.equal(tiny.headers['content-encoding'], undefined)
    assert.equal(tiny.body.toString(), 'small')
    // A very large file goes out as it is rather than being compressed on every request.
    writeFileSync(join(bareDir, 'huge.txt'), Buffer.alloc(5 * 1024 * 1024, 'a'))
    const huge = await get(bare.origin, '/huge.txt', 'br')
    assert.equal(huge.headers['content-encoding'], undefined)
    assert.equal(huge.body.length, 5 * 1024 * 1024)
    // A changed file is not answered from the cache.
    writeFileSync(join(bareDir, 'app.js'), Buffer.concat([file, Buffer.from('\n// changed\n')]))
    const changed = await get(bare.origin, '/app.js', 'br')
    assert.ok(decoded(changed).toString().endsWith('// changed\n'))
    // A long, odd Accept-Encoding is cut and parsed in one pass.
    const hostile = await get(bare.origin, '/app.js', `${'x;q=0.5,'.repeat(1000)}gzip`)
    assert.equal(hostile.status, 200)
    assert.equal(hostile.headers['content-encoding'], undefined, 'gzip beyond the first KiB is not seen')
    // The precompressed copies are not a way around the route's checks.
    assert.equal((await get(bare.origin, '/../package.json', 'br')).status, 404)
  })
})

describe('first paint on a slow phone network (Chromium, slow-3G profile)', { skip: CHROMIUM_SKIP }, () => {
  let browser: Browser

  before(async () => {
    if (service) browser = await launch()
  })
  after(async () => {
    await browser?.close()
  })

  test('the shell paints from index.html alone: with scripts disabled the page is not blank', async (t) => {
    if (!service) return t.skip(skipReason)
    const page = await browser.context.newPage()
    const cdp = await browser.context.newCDPSession(page)
    await cdp.send('Emulation.setScriptExecutionDisabled', { value: true })
    await page.setViewportSize({ width: 375, height: 740 })
    await page.goto(`${service.origin}/`)
    assert.equal(await page.getAttribute('#app', 'data-shell'), 'true')
    assert.match((await page.textContent('#app h1')) ?? '', /usersig/)
    // Styled by the inline styles: the shell's header has the card background, not the browser default.
    const bg = await page.$eval('header.top', (e) => getComputedStyle(e).backgroundColor)
    assert.equal(bg, 'rgb(255, 255, 255)')
    assert.equal(await page.$eval('body', (e) => getComputedStyle(e).backgroundColor), 'rgb(246, 248, 250)')
    await page.screenshot({ path: screenshotPath('phone-shell-without-script') })
    await page.close()
  })

  for (const encoding of ['br', 'identity'] as const) {
    test(`first paint and time to a usable page, phone viewport, slow 3G, ${encoding === 'br' ? 'compressed' : 'uncompressed'} (printed, not asserted)`, async (t) => {
      if (!service) return t.skip(skipReason)
      const page = await browser.context.newPage()
      await page.setViewportSize({ width: 375, height: 740 })
      const cdp = await browser.context.newCDPSession(page)
      await cdp.send('Network.enable')
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
      await cdp.send('Network.emulateNetworkConditions', SLOW_3G)
      if (encoding === 'identity') await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } })
      const encodings: Record<string, string> = {}
      page.on('response', (r) => { encodings[new URL(r.url()).pathname] = r.headers()['content-encoding'] ?? 'identity' })
      await page.goto(`${service.origin}/`, { timeout: 60_000 })
      await page.waitForSelector('#app[data-ready="true"]', { timeout: 60_000 })
      const m = await page.evaluate(() => ({
        fp: performance.getEntriesByName('first-paint')[0]?.startTime ?? null,
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
        ready: performance.getEntriesByName('console-ready')[0]?.startTime ?? null,
        appJs: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((r) => r.name.endsWith('/app.js'))?.responseEnd ?? null,
      }))
      const round = (x: number | null): string => (x === null ? 'n/a' : `${(x / 1000).toFixed(2)} s`)
      console.log(`# slow 3G, 375 px, ${encoding}: first paint ${round(m.fp)}, first contentful paint ${round(m.fcp)}, app.js received ${round(m.appJs)}, usable ${round(m.ready)}`)
      assert.equal(encodings['/app.js'], encoding, 'the encoding asked for')
      assert.ok(m.fcp !== null && m.ready !== null && m.appJs !== null, 'all measured')
      // What is asserted is the order, which does not depend on speed: the shell is painted before app.js has
      // even arrived.
      assert.ok(m.fcp! < m.appJs!, 'the first contentful paint comes before app.js has arrived')
      await page.screenshot({ path: screenshotPath(`phone-slow3g-${encoding}-ready`) })
      await page.close()
    })
  }
})
