/**
 * The browser test-sig module (dist/testsig/): as ESM and as a classic script in plain HTML pages served from
 * 127.0.0.1, its output verified in Node by the core; the origin guard on a non-local origin (usersig.test mapped to
 * 127.0.0.1 by Chromium's host resolver); a page without WebCrypto and TextEncoder; a mini-program-like sandbox
 * (no location, no TextEncoder, CommonJS module); and the size budget.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import vm from 'node:vm'
import type { Page } from 'playwright-core'
import { mkdtempSync, copyFileSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { decodeUserSig, explainUserSig, verifyUserSig } from 'usersig'
import { CHROMIUM_SKIP, distDir, ensureBuilt, launch, pkgDir, screenshotPath, staticServer, type Browser, type StaticServer } from './_harness.js'

const SECRET = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'
const SDKAPPID = 1400000001

const PAGES: Record<string, string> = {
  '/esm.html': `<!doctype html><meta charset="utf-8"><title>esm</title>
<script type="module">
import * as T from './testsig/usersig-testsig.mjs'
window.T = T
document.title = 'ready'
</script>`,
  '/classic.html': `<!doctype html><meta charset="utf-8"><title>classic</title>
<script src="./testsig/usersig-testsig.js"></script>
<script>window.T = window.UserSigTestSig; document.title = 'ready'</script>`,
  // No WebCrypto, no TextEncoder/TextDecoder: what a mini-program or an old WebView offers.
  '/bare.html': `<!doctype html><meta charset="utf-8"><title>bare</title>
<script>
delete window.TextEncoder; delete window.TextDecoder
Object.defineProperty(window, 'crypto', { value: undefined, configurable: true })
window.bare = typeof TextEncoder === 'undefined' && typeof TextDecoder === 'undefined' && !window.crypto
</script>
<script src="./testsig/usersig-testsig.js"></script>
<script>window.T = window.UserSigTestSig; document.title = 'ready'</script>`,
}

function inNodeVerify(userSig: string, userId: string, sdkAppId = SDKAPPID): void {
  const r = verifyUserSig(userSig, { sdkAppId, userId, secretKey: SECRET })
  assert.equal(r.ok, true, r.ok ? '' : `${r.reason}: ${r.message}`)
}

async function openPage(browser: Browser, url: string): Promise<{ page: Page; warnings: string[]; requests: string[] }> {
  const page = await browser.context.newPage()
  const warnings: string[] = []
  const requests: string[] = []
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()) })
  page.on('request', (r) => requests.push(r.url() + '\n' + (r.postData() ?? '')))
  await page.goto(url)
  await page.waitForFunction(() => document.title === 'ready')
  return { page, warnings, requests }
}

describe('test-sig module in Node (ESM build)', () => {
  before(() => ensureBuilt())

  test('the shipped .d.ts declares exactly the functions the module exports, and the error codes it throws', async () => {
    const T = await import(pathToFileURL(join(distDir, 'testsig', 'usersig-testsig.mjs')).href)
    const dts = readFileSync(join(distDir, 'testsig', 'usersig-testsig.d.ts'), 'utf8')
    const declared = [...dts.matchAll(/export declare (?:function|const|class) (\w+)/g)].map((m) => m[1]).sort()
    assert.deepEqual(declared, Object.keys(T).sort())
    const codes = [...(/TestSigErrorCode = ([^;]+);/.exec(dts)?.[1] ?? '').matchAll(/'(\w+)'/g)].map((m) => m[1]).sort()
    const thrown = [...readFileSync(join(distDir, '..', 'src', 'testsig', 'index.ts'), 'utf8').matchAll(/fail\('(\w+)'/g)].map((m) => m[1])
    assert.deepEqual([...new Set(thrown)].sort(), codes)
  })

  test('configure() then genTestUserSig(userID): synchronous { sdkAppId, SDKAppID, userSig }, 1 day by default', async () => {
    const T = await import(pathToFileURL(join(distDir, 'testsig', 'usersig-testsig.mjs')).href)
    const warn = console.warn
    const warned: string[] = []
    console.warn = (m: string) => { warned.push(String(m)) }
    try {
      assert.throws(() => T.genTestUserSig('alice'), (e: any) => e.code === 'NOT_CONFIGURED' && /configure/.test(e.message))
      T.configure({ SDKAppID: SDKAPPID, SecretKey: SECRET })
      const r = T.genTestUserSig('alice')
      assert.ok(!(r instanceof Promise))
      assert.deepEqual(Object.keys(r).sort(), ['SDKAppID', 'sdkAppId', 'userSig'])
      assert.equal(r.sdkAppId, SDKAPPID)
      assert.equal(r.SDKAppID, SDKAPPID)
      inNodeVerify(r.userSig, 'alice')
      assert.equal(decodeUserSig(r.userSig).expire, 86400)
      // No location in Node: treated like a mini-program, warned once.
      T.genTestUserSig('bob')
      assert.equal(warned.length, 1)
      assert.match(warned[0]!, /development only/)
      assert.ok(!warned.join('').includes(SECRET))
      // Cap: 7 days allowed, more refused; durations as strings.
      assert.equal(decodeUserSig(T.genTestUserSig({ userID: 'c', SDKAppID: SDKAPPID, SecretKey: SECRET, expiresIn: '7d' }).userSig).expire, 604800)
      assert.throws(() => T.genTestUserSig({ userID: 'c', SDKAppID: SDKAPPID, SecretKey: SECRET, expiresIn: 604801 }), (e: any) => e.code === 'EXPIRES_IN_TOO_LONG')
      assert.throws(() => T.genTestUserSig({ userID: 'c', SDKAppID: SDKAPPID, SecretKey: SECRET, expiresIn: '8d' }), (e: any) => e.code === 'EXPIRES_IN_TOO_LONG')
      // The core's own checks still apply (a bad key, a bad SDKAppID), with messages that do not echo the key.
      assert.throws(() => T.genTestUserSig({ userID: 'c', SDKAppID: SDKAPPID, SecretKey: SECRET + '\n' }), (e: any) => e.code === 'INVALID_SECRET_KEY' && !e.message.includes(SECRET))
      assert.throws(() => T.genTestUserSig({ userID: 'c', SDKAppID: 'abc', SecretKey: SECRET }), (e: any) => e.code === 'INVALID_SDKAPPID')
      T.forgetTestUserSigConfig()
      assert.throws(() => T.genTestUserSig('alice'), (e: any) => e.code === 'NOT_CONFIGURED')
    } finally {
      console.warn = warn
    }
  })

  test('classic build in a mini-program-like sandbox: no location, no TextEncoder, no crypto, CommonJS module', () => {
    const code = readFileSync(join(distDir, 'testsig', 'usersig-testsig.js'), 'utf8')
    const warned: string[] = []
    const module = { exports: {} as any }
    const sandbox = vm.createContext({ module, exports: module.exports, console: { warn: (m: string) => warned.push(m), log() {}, error() {} } })
    vm.runInContext('if (typeof TextEncoder !== "undefined" || typeof crypto !== "undefined" || typeof location !== "undefined") throw new Error("not bare")', sandbox)
    vm.runInContext(code, sandbox)
    const T = module.exports
    assert.equal(typeof T.genTestUserSig, 'function')
    T.configure({ SDKAppID: String(SDKAPPID), SecretKey: SECRET, expiresIn: 600 })
    const a = T.genTestUserSig('mp_user')
    const b = T.genTestUserSig('mp_user2')
    inNodeVerify(a.userSig, 'mp_user')
    inNodeVerify(b.userSig, 'mp_user2')
    assert.equal(a.sdkAppId, SDKAPPID)
    assert.equal(decodeUserSig(a.userSig).expire, 600)
    assert.equal(warned.length, 1, 'warned once')
  })

  test(`size: each bundle is at most 8 KB minified and gzipped (scripts/size.mjs)`, () => {
    const run = spawnSync(process.execPath, [join(pkgDir, 'scripts', 'size.mjs')], { encoding: 'utf8' })
    const out = `${run.stdout}${run.stderr}`.trim()
    console.log(out)
    const sizes = [...out.matchAll(/(\d+) B gzipped/g)].map((m) => Number(m[1]))
    assert.equal(sizes.length, 2, out)
    for (const s of sizes) assert.ok(s <= 8192, `over budget: ${out}`)
    assert.equal(run.status, 0, out)
  })
})

describe('test-sig module agrees with the debugger', () => {
  before(() => ensureBuilt())

  test('its default lifetime draws no TTL_SHORT from the explanation the debugger shows (and 1 hour would)', async () => {
    const T = await import(pathToFileURL(join(distDir, 'testsig', 'usersig-testsig.mjs')).href)
    const warn = console.warn
    console.warn = () => {}
    try {
      const sig = T.genTestUserSig({ userID: 'alice', SDKAppID: SDKAPPID, SecretKey: SECRET }).userSig
      const ex = explainUserSig(sig, { sdkAppId: SDKAPPID, userId: 'alice', secretKey: SECRET })
      assert.equal(ex.verdict, 'valid')
      assert.deepEqual(ex.findings.filter((f) => f.severity !== 'info').map((f) => f.code), [], 'no warning at all')
      const hour = T.genTestUserSig({ userID: 'alice', SDKAppID: SDKAPPID, SecretKey: SECRET, expiresIn: '1h' }).userSig
      assert.ok(explainUserSig(hour, { sdkAppId: SDKAPPID, userId: 'alice', secretKey: SECRET }).findings.some((f) => f.code === 'TTL_SHORT'), 'the threshold is where the debugger puts it')
    } finally {
      console.warn = warn
    }
  })

  test('a lowercase or misspelled option name: UNKNOWN_OPTION saying which option was meant, never the key', async () => {
    const T = await import(pathToFileURL(join(distDir, 'testsig', 'usersig-testsig.mjs')).href)
    const cases: [Record<string, unknown>, string][] = [
      [{ sdkAppId: SDKAPPID, SecretKey: SECRET }, 'SDKAppID'],
      [{ SDKAppID: SDKAPPID, secretKey: SECRET }, 'SecretKey'],
      [{ SDKAppID: SDKAPPID, SecretKy: SECRET }, 'SecretKey'],
      [{ SDKAppID: SDKAPPID, SecretKey: SECRET, expires_in: 60 }, 'expiresIn'],
      [{ SDKAppID: SDKAPPID, SecretKey: SECRET, userId: 'x' }, 'userID'],
    ]
    for (const [opts, meant] of cases) {
      for (const call of [() => T.configure(opts), () => T.genTestUserSig({ userID: 'a', ...opts })]) {
        assert.throws(call, (e: any) => {
          assert.equal(e.code, 'UNKNOWN_OPTION')
          assert.equal(e.name, 'TestSigError')
          assert.match(e.message, new RegExp(`did you mean "${meant}"\\?`))
          assert.ok(!e.message.includes(SECRET))
          return true
        })
      }
    }
    // A name like no option: the list of options instead of a guess.
    assert.throws(() => T.configure({ SDKAppID: SDKAPPID, SecretKey: SECRET, colour: 'red' }), (e: any) => e.code === 'UNKNOWN_OPTION' && /use SDKAppID,SecretKey/.test(e.message))
  })
})

describe('test-sig module in Chromium', { skip: CHROMIUM_SKIP }, () => {
  let browser: Browser
  let server: StaticServer
  const allRequests: string[] = []

  before(async () => {
    ensureBuilt()
    server = await staticServer(distDir, Object.fromEntries(Object.entries(PAGES).map(([k, body]) => [k, { type: 'text/html; charset=utf-8', body }])))
    browser = await launch({ extraArgs: [`--host-resolver-rules=MAP usersig.test 127.0.0.1`] })
  })
  after(async () => {
    await browser?.close()
    await server?.close()
  })

  for (const kind of ['esm', 'classic', 'bare'] as const) {
    test(`${kind}: genTestUserSig on 127.0.0.1 → verified by the core in Node; nothing stored, nothing sent`, async () => {
      const { page, warnings, requests } = await openPage(browser, `${server.origin}/${kind}.html`)
      if (kind === 'bare') assert.equal(await page.evaluate(() => (window as any).bare), true, 'no TextEncoder, no crypto')
      const r = await page.evaluate(([key, app]) => {
        const T = (window as any).T
        T.configure({ SDKAppID: app, SecretKey: key })
        const a = T.genTestUserSig('web_user')
        const b = T.genTestUserSig({ userID: 'web_user_2', SDKAppID: app, SecretKey: key, expiresIn: '30m' })
        return { a, b, stored: localStorage.length + sessionStorage.length + document.cookie.length }
      }, [SECRET, SDKAPPID] as const)
      assert.equal(r.a.sdkAppId, SDKAPPID)
      assert.equal(r.a.SDKAppID, SDKAPPID)
      inNodeVerify(r.a.userSig, 'web_user')
      inNodeVerify(r.b.userSig, 'web_user_2')
      assert.equal(decodeUserSig(r.a.userSig).expire, 86400)
      assert.equal(decodeUserSig(r.b.userSig).expire, 1800)
      assert.equal(r.stored, 0, 'nothing in localStorage, sessionStorage or cookies')
      assert.deepEqual(warnings, [], 'no warning on a local origin')
      for (const req of requests) assert.ok(!req.includes(SECRET) && !req.includes(r.a.userSig))
      allRequests.push(...requests)
      await page.close()
    })
  }

  test('localhost is a local origin too', async () => {
    const { page, warnings } = await openPage(browser, `http://localhost:${server.port}/esm.html`)
    const sig = await page.evaluate(([key, app]) => (window as any).T.genTestUserSig({ userID: 'lh', SDKAppID: app, SecretKey: key }).userSig, [SECRET, SDKAPPID] as const)
    inNodeVerify(sig, 'lh')
    assert.deepEqual(warnings, [])
    await page.close()
  })

  for (const kind of ['esm', 'classic'] as const) {
    test(`${kind}: on http://usersig.test (not local) it refuses, and signs with allowInsecureOrigin plus a loud warning`, async () => {
      const { page, warnings } = await openPage(browser, `http://usersig.test:${server.port}/${kind}.html`)
      assert.equal(await page.evaluate(() => location.hostname), 'usersig.test')
      const refused = await page.evaluate(([key, app]) => {
        try {
          (window as any).T.genTestUserSig({ userID: 'x', SDKAppID: app, SecretKey: key })
          return null
        } catch (e: any) {
          return { code: e.code, message: e.message }
        }
      }, [SECRET, SDKAPPID] as const)
      assert.ok(refused, 'refused')
      assert.equal(refused.code, 'INSECURE_ORIGIN')
      assert.match(refused.message, /usersig\.test/)
      assert.match(refused.message, /allowInsecureOrigin/)
      assert.match(refused.message, /file:\/\/ \(classic \.js\)/, 'file:// is offered with the classic script only (browsers block module scripts there)')
      assert.ok(!refused.message.includes(SECRET))
      // configure() + genTestUserSig(userID) is guarded the same way.
      const refused2 = await page.evaluate(([key, app]) => {
        const T = (window as any).T
        T.configure({ SDKAppID: app, SecretKey: key })
        try { T.genTestUserSig('x'); return false } catch (e: any) { return e.code === 'INSECURE_ORIGIN' }
      }, [SECRET, SDKAPPID] as const)
      assert.equal(refused2, true)
      assert.equal(warnings.length, 0, warnings.join('\n'))

      const sig = await page.evaluate(([key, app]) =>
        (window as any).T.genTestUserSig({ userID: 'shared_dev', SDKAppID: app, SecretKey: key, allowInsecureOrigin: true }).userSig, [SECRET, SDKAPPID] as const)
      inNodeVerify(sig, 'shared_dev')
      await page.waitForTimeout(50)
      assert.equal(warnings.length, 1)
      assert.match(warnings[0]!, /SECRET KEY EXPOSED on http:\/\/usersig\.test:\d+/)
      assert.ok(!warnings[0]!.includes(SECRET), 'the warning does not print the key')
      await page.screenshot({ path: screenshotPath(`testsig-${kind}-insecure-origin`) })
      await page.close()
    })
  }

  test('from file://: the classic script signs (the guard allows file:); the ES module is refused by the browser, as the README says', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'usersig-testsig-file-'))
    try {
      for (const f of ['usersig-testsig.js', 'usersig-testsig.mjs']) copyFileSync(join(distDir, 'testsig', f), join(dir, f))
      writeFileSync(join(dir, 'classic.html'), PAGES['/classic.html']!.replace('./testsig/', './'))
      writeFileSync(join(dir, 'esm.html'), PAGES['/esm.html']!.replace('./testsig/', './'))
      const { page, warnings } = await openPage(browser, pathToFileURL(join(dir, 'classic.html')).href)
      assert.equal(await page.evaluate(() => location.protocol), 'file:')
      const sig = await page.evaluate(([key, app]) => (window as any).T.genTestUserSig({ userID: 'from_disk', SDKAppID: app, SecretKey: key }).userSig, [SECRET, SDKAPPID] as const)
      inNodeVerify(sig, 'from_disk')
      assert.equal(decodeUserSig(sig).expire, 86400)
      assert.deepEqual(warnings, [])
      await page.close()
      const esm = await browser.context.newPage()
      const errors: string[] = []
      esm.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()) })
      await esm.goto(pathToFileURL(join(dir, 'esm.html')).href)
      await esm.waitForTimeout(300)
      assert.notEqual(await esm.title(), 'ready')
      assert.ok(errors.some((e) => /CORS|origin 'null'/.test(e)), errors.join('\n'))
      await esm.close()
      const readme = readFileSync(join(pkgDir, 'README.md'), 'utf8')
      assert.match(readme, /a page opened from `file:\/\/` cannot import this file/)
      assert.match(readme, /### As a classic script \(also from `file:\/\/`\)/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('no request carried the key or a generated sig', () => {
    assert.ok(allRequests.length > 0)
    for (const r of allRequests) assert.ok(!r.includes(SECRET))
  })
})
