/** Every ```js example in the README runs as written against the built package. */
import test from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync, rmSync, mkdtempSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { spawnSync } from 'node:child_process'

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..')
const blocks = [...readFileSync(join(pkg, 'README.md'), 'utf8').matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!)

test('the README has an example for every public function', () => {
  const all = blocks.join('\n')
  for (const name of ['createSigner', 'verifyUserSig', 'decodeUserSig', 'explainUserSig', 'generateSecretKey', 'keyFingerprint', 'generateLegacyKeyPair',
    'createLegacySigner', 'parseExpiresIn', 'parsePrivileges', 'privilegeNames', 'normalizeSdkAppId', 'checkUserId', 'Api', 'privateMapKey', 'userSigWithUserBuf', 'signUserSig', 'createUserSigProvider', 'createVerifier', 'legacyPublicKey']) {
    assert.ok(all.includes(name), `no example uses ${name}`)
  }
})

blocks.forEach((code, i) => {
  test(`README example ${i + 1} runs`, () => {
    // Written inside the package so that `import 'usersig'` resolves through the workspace link.
    const dir = mkdtempSync(join(pkg, '.readme-'))
    const file = join(dir, 'example.mjs')
    writeFileSync(file, code)
    try {
      const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 30000 })
      assert.equal(r.status, 0, r.stderr)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
