/**
 * The built core runs with only ECMAScript globals: no Buffer, process, crypto, TextEncoder or CompressionStream.
 * The dist is bundled as-is (esbuild, platform "neutral": a node: import would fail the bundle) and evaluated in a
 * fresh node:vm context, where it signs, decodes and verifies.
 */
import test from 'node:test'
import assert from 'node:assert/strict'
import vm from 'node:vm'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { loadVectors } from './_vectors.js'

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(pkg, 'dist')

test('src/ uses no Node built-ins', () => {
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)])
  for (const f of walk(join(pkg, 'src')).filter((f) => f.endsWith('.ts'))) {
    const s = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')
    assert.doesNotMatch(s, /from ['"]node:|\brequire\(|\bBuffer\.(from|alloc|concat|isBuffer)|\bprocess\.|new TextEncoder|new TextDecoder|crypto\.subtle/, f)
  }
})

test('the built core signs, decodes and verifies in a bare ECMAScript vm context', async () => {
  assert.ok(existsSync(join(dist, 'index.js')), 'run `npm run build` first (npm test does)')
  const out = await build({
    stdin: { contents: "export * from './index.js'; export { Api } from './compat.js'", resolveDir: dist, loader: 'js' },
    bundle: true, format: 'iife', globalName: 'usersig', platform: 'neutral', write: false, logLevel: 'silent',
    mainFields: ['module', 'main'],
  })
  const code = out.outputFiles[0]!.text
  const ctx = vm.createContext({})
  for (const g of ['Buffer', 'process', 'crypto', 'TextEncoder', 'TextDecoder', 'CompressionStream', 'require', 'fetch']) {
    assert.equal(vm.runInContext(`typeof ${g}`, ctx), 'undefined', `${g} must be absent in the context`)
  }
  vm.runInContext(code, ctx)
  const vectors = loadVectors<any[]>('v2-generated.json').filter((r) => r.producer.impl === 'php-v2')
  ctx.vectors = JSON.parse(JSON.stringify(vectors))
  const result = vm.runInContext(`(() => {
    const { createSigner, decodeUserSig, verifyUserSig, Api } = usersig
    const key = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
    const s = createSigner({ sdkAppId: 1400000000, secretKey: key })
    const tok = s.userSig('xiaojun', { expiresIn: 15552000, now: 1700000000 })
    const pmk = s.privateMapKey('xiaojun', { roomId: 10000, privileges: 255, expiresIn: 15552000, now: 1700000000 })
    const d = decodeUserSig(tok)
    const v = verifyUserSig(tok, { sdkAppId: 1400000000, userId: 'xiaojun', secretKey: key, now: 1700000000 })
    const p = decodeUserSig(pmk)
    let vectorsOk = 0
    for (const r of vectors) {
      const res = verifyUserSig(r.usersig, { sdkAppId: r.inputs.sdkappid, userId: r.inputs.identifier, secretKey: r.inputs.key, now: r.inputs.time })
      if (res.ok) vectorsOk++
    }
    const compat = new Api(1400000000, key).genUserSig('xiaojun', 86400)
    return JSON.stringify({ sig: d.signature, ok: v.ok, room: p.privateMapKey.roomId, vectorsOk, compatOk: typeof compat === 'string' })
  })()`, ctx)
  const r = JSON.parse(result)
  assert.equal(r.sig, 'LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=')
  assert.equal(r.ok, true)
  assert.equal(r.room, 10000)
  assert.equal(r.compatOk, true)
  // php-v2 vectors all verify except the ones our rules reject on purpose (expire 0 is valid: now == time + 0).
  assert.ok(r.vectorsOk >= vectors.length - 1, `${r.vectorsOk}/${vectors.length}`)
})

test('usersig/client imports nothing (it runs wherever there is a fetch)', () => {
  const src = readFileSync(join(pkg, 'src', 'client.ts'), 'utf8')
  assert.doesNotMatch(src, /^\s*import\s/m)
})
