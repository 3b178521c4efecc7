// Measures the test-sig module as shipped: the minified bundles in dist/testsig/, gzipped at level 9.
// Fails when either is over the budget (8 KB = 8192 bytes). Run after `npm run build -w packages/console`.
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const BUDGET = 8 * 1024
const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'testsig')
let over = false
for (const name of ['usersig-testsig.mjs', 'usersig-testsig.js']) {
  let bytes
  try {
    bytes = readFileSync(join(dir, name))
  } catch {
    console.error(`size: dist/testsig/${name} is missing; run npm run build -w packages/console first`)
    process.exit(1)
  }
  const gz = gzipSync(bytes, { level: 9 }).length
  const ok = gz <= BUDGET
  if (!ok) over = true
  console.log(`size: ${name} ${bytes.length} B minified, ${gz} B gzipped (budget ${BUDGET} B) ${ok ? 'ok' : 'OVER BUDGET'}`)
}
process.exit(over ? 1 : 0)
