#!/usr/bin/env node
// Bundle sizes in the READMEs come from the build, never by hand. This measures them (esbuild --minify, then gzip -9,
// the way bench/core.bench.ts does) and writes each figure between its markers:
//
//   <!-- size:<name> -->…<!-- /size -->
//
//   node scripts/sizes.mjs           rewrite the figures in place (after `npm run build`)
//   node scripts/sizes.mjs --check   exit 1 and name each figure that differs from the build (test/sizes.test.ts)
import { readFileSync, writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const PAGES = ['packages/usersig/README.md', 'packages/console/README.md']

async function bundled(contents) {
  const out = await build({ stdin: { contents, resolveDir: root, loader: 'js' }, bundle: true, minify: true, format: 'esm', platform: 'neutral', write: false, logLevel: 'silent', mainFields: ['module', 'main'] })
  return gzipSync(out.outputFiles[0].text, { level: 9 }).length
}
const shipped = (file) => gzipSync(readFileSync(`${root}/packages/console/dist/testsig/${file}`), { level: 9 }).length
const kb = (n) => `${(n / 1000).toFixed(1)} KB`

/** name → the text that goes between the markers */
export async function measure() {
  const mjs = shipped('usersig-testsig.mjs')
  const js = shipped('usersig-testsig.js')
  return {
    'testsig-esm': `${mjs} bytes`,
    'testsig-classic': `${js} bytes`,
    'testsig': kb(Math.max(mjs, js)),
    'sign-only': kb(await bundled("export { createSigner } from 'usersig'")),
    'sign-verify-decode': kb(await bundled("export { createSigner, verifyUserSig, decodeUserSig } from 'usersig'")),
  }
}

const MARK = /(<!-- size:([a-z-]+) -->)([^<]*)(<!-- \/size -->)/g

const figures = await measure()
const check = process.argv.includes('--check')
let stale = 0
for (const page of PAGES) {
  const path = `${root}/${page}`
  const text = readFileSync(path, 'utf8')
  const next = text.replace(MARK, (all, open, name, value, close) => {
    if (!(name in figures)) throw new Error(`${page}: unknown size marker ${name}`)
    if (value !== figures[name]) {
      stale++
      if (check) console.error(`${page}: ${name} says ${JSON.stringify(value)}, the build gives ${JSON.stringify(figures[name])}`)
    }
    return `${open}${figures[name]}${close}`
  })
  if (!check && next !== text) writeFileSync(path, next)
}
if (check && stale) {
  console.error('sizes: run `node scripts/sizes.mjs` after `npm run build` to write the figures')
  process.exit(1)
}
console.log(check ? 'sizes: every figure matches the build' : `sizes: ${stale} figure(s) updated`)
