/**
 * The core's sources use no Node built-ins and read no host global through `globalThis` (older engines have none:
 * host objects are looked up with `typeof`). That the built core really runs with only ECMAScript globals, with no
 * globalThis, and in every runtime, is shown by the conformance suite (test/conformance/).
 */
import test from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..')

test('src/ uses no Node built-ins and no globalThis', () => {
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)])
  for (const f of walk(join(pkg, 'src')).filter((f) => f.endsWith('.ts'))) {
    const s = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')
    assert.doesNotMatch(s, /from ['"]node:|\brequire\(|\bBuffer\.(from|alloc|concat|isBuffer)|\bprocess\.|new TextEncoder|new TextDecoder|crypto\.subtle|\bglobalThis\b/, f)
  }
})

test('usersig/client imports nothing (it runs wherever there is a fetch)', () => {
  const src = readFileSync(join(pkg, 'src', 'client.ts'), 'utf8')
  assert.doesNotMatch(src, /^\s*import\s/m)
})
