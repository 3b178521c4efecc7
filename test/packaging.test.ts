/**
 * Packaging that tells the truth, offline: publint and @arethetypeswrong/cli (ESM-only profile: every package is
 * ESM-only) clean for every package, packed locally; `engines` says Node ≥ 20.19 everywhere (require of ESM, which
 * `require('usersig/compat')` needs); the MIT LICENSE is there; and TypeScript from a CommonJS file works with
 * `module: node20`/`nodenext` and fails with TS1479 under `node16`/`node18`, as the usersig README says.
 */
import { test, describe, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { childEnv } from './_helpers.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = (name: string): string => join(root, 'node_modules', '.bin', name)
const PACKAGES = ['usersig', 'cli', 'server', 'console', 'issuer', 'edge']
const pkgJson = (dir: string): any => JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'))
// Offline: npm pack needs no registry; tell npm not to ask one anything.
const env = childEnv({ npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' })

describe('every package', () => {
  for (const p of PACKAGES) {
    const dir = join(root, 'packages', p)
    test(`${p}: publint finds nothing`, () => {
      const r = spawnSync(bin('publint'), ['--strict'], { cwd: dir, encoding: 'utf8', env, timeout: 120_000 })
      assert.equal(r.status, 0, r.stdout + r.stderr)
      assert.match(r.stdout, /All good!/)
    })
    test(`${p}: @arethetypeswrong/cli (esm-only profile) finds nothing`, () => {
      const r = spawnSync(bin('attw'), ['--pack', '.', '--profile', 'esm-only', '--format', 'json'], { cwd: dir, encoding: 'utf8', env, timeout: 180_000 })
      assert.equal(r.status, 0, r.stdout.slice(0, 2000) + r.stderr)
    })
    test(`${p}: engines.node is >=20.19, license MIT`, () => {
      const j = pkgJson(join('packages', p))
      assert.deepEqual(j.engines, { node: '>=20.19' })
      assert.equal(j.license, 'MIT')
      assert.equal(j.type, 'module')
    })
    test(`${p}: the tarball carries the root's LICENSE, word for word`, () => {
      // npm puts a package folder's LICENSE into its tarball, never the workspace root's: each package keeps a copy.
      const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8', env, timeout: 120_000 })
      assert.equal(r.status, 0, r.stderr)
      const files: string[] = JSON.parse(r.stdout)[0].files.map((f: { path: string }) => f.path)
      assert.ok(files.includes('LICENSE'), `LICENSE is not in the tarball: ${files.filter((f) => !f.startsWith('dist/')).join(', ')}`)
      assert.equal(readFileSync(join(dir, 'LICENSE'), 'utf8'), readFileSync(join(root, 'LICENSE'), 'utf8'))
    })
  }
})

test('the root: LICENSE is MIT for "usersig contributors" 2026, engines and license agree', () => {
  const text = readFileSync(join(root, 'LICENSE'), 'utf8')
  assert.match(text, /^MIT License\n\nCopyright \(c\) 2026 usersig contributors\n/)
  const j = pkgJson('.')
  assert.equal(j.license, 'MIT')
  assert.deepEqual(j.engines, { node: '>=20.19' })
})

describe('TypeScript from a CommonJS file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'usersig-ts-cjs-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(join(root, 'packages', 'usersig'), join(dir, 'node_modules', 'usersig'))
  writeFileSync(join(dir, 'package.json'), '{ "name": "cjs-user", "private": true }\n')
  writeFileSync(join(dir, 'index.cts'), [
    "import { Api } from 'usersig/compat'",
    "import { decodeUserSig } from 'usersig'",
    "const token: string = new Api(1400000000, '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e').genUserSig('alice', 86400)",
    'declare const console: { log(s: string): void }',
    'console.log(decodeUserSig(token).identifier)',
    '',
  ].join('\n'))
  // types: [] and skipLibCheck keep each compile to the one file and usersig's own declarations.
  const tsc = (module: string, out: string) => {
    const config = join(dir, `tsconfig.${module}.json`)
    writeFileSync(config, JSON.stringify({
      compilerOptions: { strict: true, module, moduleResolution: module === 'nodenext' ? 'nodenext' : 'node16', types: [], skipLibCheck: true, outDir: out },
      files: ['index.cts'],
    }))
    return spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], { cwd: dir, encoding: 'utf8', timeout: 120_000 })
  }

  for (const module of ['node20', 'nodenext']) {
    test(`module ${module}: compiles, and the emitted require() runs on this Node`, () => {
      const r = tsc(module, `out-${module}`)
      assert.equal(r.status, 0, r.stdout + r.stderr)
      assert.equal(execFileSync(process.execPath, [join(dir, `out-${module}`, 'index.cjs')], { encoding: 'utf8' }).trim(), 'alice')
    })
  }
  for (const module of ['node16', 'node18']) {
    test(`module ${module}: TS1479 (documented as unsupported: use node20 or nodenext, or import())`, () => {
      const r = tsc(module, `out-${module}`)
      assert.notEqual(r.status, 0)
      assert.match(r.stdout, /TS1479/)
    })
  }
})
