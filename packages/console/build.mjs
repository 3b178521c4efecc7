// Builds the console into dist/: index.html + app.js (one classic IIFE script, so the folder also works from
// file://, where module scripts are blocked) + app.css, and dist/testsig/ with the test-sig module as ESM and as a
// classic script. Run with `npm run build -w packages/console`.
import { build } from 'esbuild'
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib'
import ts from 'typescript'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const dist = join(here, 'dist')
const watchless = { logLevel: 'warning', legalComments: 'none' }

rmSync(dist, { recursive: true, force: true })
mkdirSync(join(dist, 'testsig'), { recursive: true })

await Promise.all([
  build({
    ...watchless,
    entryPoints: [join(here, 'src/app/main.ts')],
    outfile: join(dist, 'app.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    charset: 'utf8',
  }),
  build({
    ...watchless,
    entryPoints: [join(here, 'src/app/styles.css')],
    outfile: join(dist, 'app.css'),
    bundle: true,
    minify: true,
  }),
  // The test-sig module: no Node built-ins, no WebCrypto, no TextEncoder (mini-programs have none), ES2017 syntax (old mini-program engines and WebViews).
  build({
    ...watchless,
    entryPoints: [join(here, 'src/testsig/index.ts')],
    outfile: join(dist, 'testsig/usersig-testsig.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2017',
    minify: true,
    charset: 'utf8',
  }),
  build({
    ...watchless,
    entryPoints: [join(here, 'src/testsig/global.ts')],
    // global.ts reads a CommonJS `module` on purpose (mini-program require); that is not a mistake here.
    logOverride: { 'commonjs-variable-in-esm': 'silent' },
    outfile: join(dist, 'testsig/usersig-testsig.js'),
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2017',
    minify: true,
    charset: 'utf8',
  }),
])

// The page paints from index.html alone: the styles go inline (allowed by their hash in the page's CSP, which also
// holds from file://), and app.js is deferred, so a slow network shows the shell instead of a blank page.
const css = readFileSync(join(dist, 'app.css'), 'utf8').trim()
const styleHash = `'sha256-${createHash('sha256').update(css).digest('base64')}'`
const html = readFileSync(join(here, 'src/app/index.html'), 'utf8')
  .replace('STYLE_HASH', styleHash)
  .replace('<!-- STYLE -->', `<style>${css}</style>`)
if (!html.includes(styleHash) || !html.includes('<style>')) throw new Error('index.html: the STYLE_HASH and STYLE placeholders are missing')
writeFileSync(join(dist, 'index.html'), html)
// The module's types, declared from its source (one source of truth: a hand-kept copy had drifted).
const testsigSource = readFileSync(join(here, 'src/testsig/index.ts'), 'utf8')
const declared = ts.transpileDeclaration(testsigSource, { fileName: 'index.ts', reportDiagnostics: true, compilerOptions: { strict: true } })
if (declared.diagnostics?.length) throw new Error(`testsig declarations: ${declared.diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('; ')}`)
writeFileSync(join(dist, 'testsig/usersig-testsig.d.ts'), '// Types for usersig-testsig.mjs (ESM) and usersig-testsig.js (classic script: UserSigTestSig).\n' + declared.outputText)
// Precompressed copies for the service (routes/console.ts picks one by Accept-Encoding); static hosts may use them too.
const COMPRESSIBLE = /\.(html|js|mjs|css|json|svg|txt|map|d\.ts)$/
function precompress(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) { precompress(p); continue }
    if (!COMPRESSIBLE.test(name)) continue
    const body = readFileSync(p)
    writeFileSync(p + '.br', brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length } }))
    writeFileSync(p + '.gz', gzipSync(body, { level: 9 }))
  }
}
precompress(dist)
console.log('console: built dist/ (index.html, app.js, app.css, testsig/, with .br and .gz copies)')
