/**
 * Shared test plumbing: Debian's chromium driven by playwright-core, a static file server on 127.0.0.1, the screenshot
 * folder, and an esbuild helper for in-page scripts. Every test starts what it needs and stops it.
 */
import { createServer, type Server } from 'node:http'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, extname, join, normalize, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execFileSync } from 'node:child_process'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { prereq } from '../../../scripts/prereq.mjs'

export const here = dirname(fileURLToPath(import.meta.url))
export const pkgDir = resolve(here, '..')
export const repoRoot = resolve(pkgDir, '..', '..')
export const distDir = join(pkgDir, 'dist')
export const artifactsDir = join(repoRoot, 'test-artifacts', 'console')
/** Chromium as a test prerequisite (CHROMIUM_PATH overrides the search): pass `CHROMIUM_SKIP` to a browser suite. */
const CHROMIUM_PREREQ = process.env.CHROMIUM_PATH ? { path: process.env.CHROMIUM_PATH, skip: false as const } : prereq('chromium')
export const CHROMIUM = CHROMIUM_PREREQ.path ?? '/usr/bin/chromium'
export const CHROMIUM_SKIP: string | false = CHROMIUM_PREREQ.skip

const BASE_ARGS = [
  '--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
]

/**
 * Builds dist/ when it is missing or older than the sources or the core's build, so a test file also runs on its
 * own without `npm run build`. Test files run in parallel processes: a lock directory makes one build at a time.
 */
let built = false
export function ensureBuilt(): void {
  if (built) return
  const lock = join(pkgDir, '.build-lock')
  const deadline = Date.now() + 120_000
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      if (Date.now() > deadline) throw new Error(`ensureBuilt: ${lock} held for 2 minutes; remove it if no build is running`)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200)
    }
  }
  try {
    const stamp = (f: string): number => (existsSync(f) ? statSync(f).mtimeMs : 0)
    const oldest = Math.min(stamp(join(distDir, 'app.js')), stamp(join(distDir, 'index.html')), stamp(join(distDir, 'testsig', 'usersig-testsig.js')), stamp(join(distDir, 'testsig', 'usersig-testsig.mjs')))
    const newestInput = Math.max(newestMtime(join(pkgDir, 'src')), stamp(join(pkgDir, 'build.mjs')), newestMtime(join(repoRoot, 'packages', 'usersig', 'dist')))
    if (oldest === 0 || newestInput > oldest) execFileSync(process.execPath, [join(pkgDir, 'build.mjs')], { stdio: 'inherit' })
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
  built = true
}

function newestMtime(dir: string): number {
  let max = 0
  if (!existsSync(dir)) return 0
  const walk = (d: string): void => {
    for (const name of readdirSafe(d)) {
      const p = join(d, name)
      const st = statSync(p)
      if (st.isDirectory()) walk(p)
      else max = Math.max(max, st.mtimeMs)
    }
  }
  walk(dir)
  return max
}

function readdirSafe(d: string): string[] {
  try {
    return readdirSync(d)
  } catch {
    return []
  }
}


export interface Browser {
  context: BrowserContext
  close(): Promise<void>
}

/** A fresh Chromium with its own user-data dir (no state shared between tests). */
export async function launch(opts: { extraArgs?: string[]; permissions?: string[]; locale?: string } = {}): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'usersig-console-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...BASE_ARGS, ...(opts.extraArgs ?? [])],
    viewport: { width: 1100, height: 900 },
    locale: opts.locale ?? 'en-US',
  })
  if (opts.permissions) await context.grantPermissions(opts.permissions).catch(() => {})
  return {
    context,
    async close() {
      await context.close().catch(() => {})
      rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.ts': 'text/plain; charset=utf-8',
}

export interface StaticServer {
  origin: string
  port: number
  close(): Promise<void>
}

/** Serves `root` (and any extra in-memory files) on 127.0.0.1 on a free port. */
export async function staticServer(root: string, extra: Record<string, { type: string; body: string }> = {}): Promise<StaticServer> {
  const rootAbs = resolve(root)
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const path = decodeURIComponent(url.pathname)
    const mem = extra[path]
    if (mem) {
      res.writeHead(200, { 'content-type': mem.type, 'cache-control': 'no-store' })
      res.end(mem.body)
      return
    }
    const file = normalize(join(rootAbs, path.endsWith('/') ? path + 'index.html' : path))
    if (!file.startsWith(rootAbs + sep) && file !== rootAbs) {
      res.writeHead(403).end()
      return
    }
    try {
      const body = readFileSync(file)
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' })
      res.end(body)
    } catch {
      res.writeHead(404).end('not found')
    }
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const port = (server.address() as { port: number }).port
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((ok) => { server.closeAllConnections?.(); server.close(() => ok()) }),
  }
}

export function screenshotPath(name: string): string {
  mkdirSync(artifactsDir, { recursive: true })
  return join(artifactsDir, `${name}.png`)
}

/**
 * Words allowed in Chinese text nodes that have no Chinese in them: product names, codes and identifiers a Chinese
 * developer writes in Latin letters too, and this test's own data (user and app names).
 */
export const ALLOWED_LATIN = new Set([
  'UserSig', 'PrivateMapKey', 'SDKAppID', 'UserID', 'SDKSecretKey', 'TLS', 'HMAC', 'SHA', 'ECDSA', 'PEM', 'JSON', 'UTC',
  'GMT', 'IM', 'TRTC', 'API', 'URL', 'ID', 'IP', 'Prometheus', 'usersig', 'English', 'cVer', 'userbuf', 'zlib', 'base',
  'CORS', 'ASCII', 'UTF', 'hmac', 'sha', 'main', 'ops', 'alice', 'bob', 'xiaojun',
])

/**
 * Text the user sees that is not in the page's language. zh-CN: a text node with no Chinese character and a Latin
 * word outside the allow-list (codes in capitals and identifiers in <code>, <pre>, form fields and elements marked
 * lang="en" are data, not wording), and half-width brackets next to Chinese. English: any Chinese outside the
 * language switch.
 */
export async function foreignText(page: Page, lang: 'en' | 'zh-CN'): Promise<string[]> {
  // A string, not a function: the test runner's transform would add helpers the page does not have.
  return page.evaluate(`(${FOREIGN_TEXT})(${JSON.stringify(lang)}, ${JSON.stringify([...ALLOWED_LATIN])})`) as Promise<string[]>
}

const FOREIGN_TEXT = `function (l, allowed) {
  var allow = new Set(allowed)
  var bad = []
  var cjk = /[\\u3400-\\u9fff]/
  function skip(el) { return el.closest('code, pre, textarea, script, style, [lang="en"], #lang-select') !== null }
  function latinProblem(s) {
    return (s.replace(/\\b0x[0-9a-f]+\\b/gi, '').match(/[A-Za-z][A-Za-z]+/g) || []).some(function (w) { return !allow.has(w) && !/^[A-Z0-9_]+$/.test(w) })
  }
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  for (var n = walker.nextNode(); n; n = walker.nextNode()) {
    var s = (n.textContent || '').trim()
    var el = n.parentElement
    if (!s || !el || skip(el)) continue
    if (l === 'en') {
      if (cjk.test(s)) bad.push('Chinese in English: ' + s)
    } else if (cjk.test(s)) {
      if (/[\\u3400-\\u9fff]\\s*[()]|[()]\\s*[\\u3400-\\u9fff]/.test(s)) bad.push('half-width bracket: ' + s)
      if (/\\d[分秒天]|\\d小时/.test(s)) bad.push('no space between number and unit: ' + s)
    } else if (latinProblem(s)) bad.push('untranslated: ' + s)
  }
  document.querySelectorAll('[aria-label]').forEach(function (el) {
    var s = el.getAttribute('aria-label') || ''
    if (l === 'zh-CN' && !cjk.test(s) && latinProblem(s)) bad.push('untranslated aria-label: ' + s)
  })
  return bad
}`

