// Builds the console into dist/: index.html + app.js (one classic IIFE script, so the folder also works from
// file://, where module scripts are blocked) + app.css, and dist/testsig/ with the test-sig module as ESM and as a
// classic script. Run with `npm run build -w packages/console`.
import { build } from 'esbuild'
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
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

copyFileSync(join(here, 'src/app/index.html'), join(dist, 'index.html'))
// The module's types, declared from its source (one source of truth: a hand-kept copy had drifted).
const testsigSource = readFileSync(join(here, 'src/testsig/index.ts'), 'utf8')
const declared = ts.transpileDeclaration(testsigSource, { fileName: 'index.ts', reportDiagnostics: true, compilerOptions: { strict: true } })
if (declared.diagnostics?.length) throw new Error(`testsig declarations: ${declared.diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('; ')}`)
writeFileSync(join(dist, 'testsig/usersig-testsig.d.ts'), '// Types for usersig-testsig.mjs (ESM) and usersig-testsig.js (classic script: UserSigTestSig).\n' + declared.outputText)
console.log('console: built dist/ (index.html, app.js, app.css, testsig/)')
