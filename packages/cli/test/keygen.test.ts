/** `usersig keygen`: secrets and legacy key pairs, printed or written with safe modes, never overwritten by accident. */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { createPrivateKey, createPublicKey } from 'node:crypto'
import { join } from 'node:path'
import { keyFingerprint } from 'usersig'
import { SDKAPPID, T0, assertNoSecretsInOutputs, expectExit, json, removeDir, run, tempDir } from './_helpers.ts'

const dir = tempDir()
after(() => removeDir(dir))
const mode = (p: string): number => statSync(p).mode & 0o777

describe('keygen', () => {
  test('prints a new 64-hex secret key, different every time, that signs', async () => {
    const a = await run(['keygen'])
    const b = await run(['keygen'])
    expectExit(a, 0)
    assert.match(a.stdout, /^[0-9a-f]{64}\n$/)
    assert.notEqual(a.stdout, b.stdout)
    const g = await run(['gen', '--sdkappid', String(SDKAPPID), '--userid', 'a'], { env: { USERSIG_SECRET_KEY: a.stdout.trim() } })
    expectExit(g, 0)
  })

  test('--json shape', async () => {
    const r = await run(['keygen', '--json'])
    expectExit(r, 0)
    const j = json(r)
    assert.deepEqual(Object.keys(j), ['kind', 'keyId', 'secretKey'])
    assert.equal(j['kind'], 'secret')
    assert.equal(j['keyId'], keyFingerprint(j['secretKey'] as string))
  })

  test('--out writes secret_key.txt with mode 0600 and does not print the key', async () => {
    const out = join(dir, 'secret')
    const r = await run(['keygen', '--out', out, '--json'])
    expectExit(r, 0)
    const file = join(out, 'secret_key.txt')
    const key = readFileSync(file, 'utf8').trim()
    assert.match(key, /^[0-9a-f]{64}$/)
    assert.equal(mode(file), 0o600)
    assert.deepEqual(json(r), { kind: 'secret', keyId: keyFingerprint(key), secretKeyFile: file })
    assert.ok(!r.stdout.includes(key))
    expectExit(await run(['gen', '--sdkappid', String(SDKAPPID), '--userid', 'a', '--key-file', file]), 0)
  })

  for (const curve of ['p256', 'secp256k1'] as const) {
    test(`--legacy --curve ${curve} --out DIR: private_key.txt (0600) and public_key.txt that sign and verify`, async () => {
      const out = join(dir, `legacy-${curve}`)
      const r = await run(['keygen', '--legacy', '--curve', curve, '--out', out, '--json'])
      expectExit(r, 0)
      const priv = join(out, 'private_key.txt')
      const pub = join(out, 'public_key.txt')
      assert.equal(mode(priv), 0o600)
      assert.equal(mode(pub), 0o644)
      const pubPem = readFileSync(pub, 'utf8')
      assert.deepEqual(json(r), { kind: 'legacy', curve, keyId: keyFingerprint(pubPem), privateKeyFile: priv, publicKeyFile: pub })
      // node:crypto reads both, and they belong together
      const derived = createPublicKey(createPrivateKey(readFileSync(priv, 'utf8'))).export({ type: 'spki', format: 'der' })
      assert.deepEqual(derived, createPublicKey(pubPem).export({ type: 'spki', format: 'der' }))
      assert.equal(createPublicKey(pubPem).asymmetricKeyDetails?.namedCurve, curve === 'p256' ? 'prime256v1' : 'secp256k1')
      const g = await run(['gen', '--sdkappid', String(SDKAPPID), '--userid', 'a', '--now', String(T0), '--private-key-file', priv])
      expectExit(g, 0)
      const v = await run(['verify', g.stdout.trim(), '--sdkappid', String(SDKAPPID), '--userid', 'a', '--now', String(T0), '--public-key-file', pub])
      expectExit(v, 0)
    })
  }

  test('refuses to overwrite without --force (exit 3, nothing changed); --force overwrites and keeps 0600', async () => {
    const out = join(dir, 'existing')
    expectExit(await run(['keygen', '--legacy', '--out', out]), 0)
    const before = readFileSync(join(out, 'private_key.txt'), 'utf8')
    expectExit(await run(['keygen', '--legacy', '--out', out]), 3, /private_key\.txt already exists.*--force/)
    assert.equal(readFileSync(join(out, 'private_key.txt'), 'utf8'), before)
    // only the public file exists: still nothing is written
    const half = join(dir, 'half')
    expectExit(await run(['keygen', '--legacy', '--out', half]), 0)
    const { rmSync } = await import('node:fs')
    rmSync(join(half, 'private_key.txt'))
    expectExit(await run(['keygen', '--legacy', '--out', half]), 3, /public_key\.txt already exists/)
    assert.throws(() => statSync(join(half, 'private_key.txt')))
    writeFileSync(join(out, 'private_key.txt'), 'x', { mode: 0o644 })
    const f = await run(['keygen', '--legacy', '--out', out, '--force'])
    expectExit(f, 0)
    assert.notEqual(readFileSync(join(out, 'private_key.txt'), 'utf8'), before)
    assert.equal(mode(join(out, 'private_key.txt')), 0o600)
  })

  test('--legacy without --out prints both PEMs', async () => {
    const r = await run(['keygen', '--legacy', '--curve', 'secp256k1'])
    expectExit(r, 0)
    assert.match(r.stdout, /-----BEGIN EC PRIVATE KEY-----[\s\S]+-----END EC PRIVATE KEY-----\n-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----\n$/)
    const j = json(await run(['keygen', '--legacy', '--json']))
    assert.deepEqual(Object.keys(j), ['kind', 'curve', 'keyId', 'privateKeyPem', 'publicKeyPem'])
    assert.equal(j['curve'], 'p256')
  })

  test('usage errors: unknown curve, --curve without --legacy, --force without --out; I/O: --out under a file', async () => {
    expectExit(await run(['keygen', '--legacy', '--curve', 'ed25519']), 2, /unknown --curve "ed25519".*secp256k1 or p256/)
    expectExit(await run(['keygen', '--curve', 'p256']), 2, /--curve only applies to --legacy/)
    expectExit(await run(['keygen', '--force']), 2, /--force only applies with --out/)
    const file = join(dir, 'a-file')
    writeFileSync(file, 'x')
    expectExit(await run(['keygen', '--out', join(file, 'sub')]), 3, /cannot create the --out directory/)
  })
})

test('no secret appears in any output', () => assertNoSecretsInOutputs())
