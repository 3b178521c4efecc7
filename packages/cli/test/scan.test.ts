/** `usersig scan` on a fixture tree made in a temp dir: what it finds, what it skips, and that it never prints a key. */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { keyFingerprint } from 'usersig'
import { assertNoSecretsInOutputs, expectExit, json, registerPrivate, removeDir, run, tempDir } from './_helpers.ts'

const hex = (): string => randomBytes(32).toString('hex')
const K = { demo: hex(), swift: hex(), objc: hex(), json: hex(), bundle: hex(), renamed: hex(), env: hex(), modules: hex(), binary: hex(), large: hex(), ignored: hex(), digest: hex(), far: hex() }
const EC = generateKeyPairSync('ec', { namedCurve: 'secp256k1' })
const EC_SEC1 = EC.privateKey.export({ type: 'sec1', format: 'pem' }).toString()
const EC_SPKI = EC.publicKey.export({ type: 'spki', format: 'pem' }).toString()
const P256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
const P256_PKCS8 = P256.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
const RSA_PKCS8 = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
registerPrivate(EC_SEC1)
registerPrivate(P256_PKCS8)

const root = tempDir('usersig-scan-')
after(() => removeDir(root))

function put(rel: string, content: string | Buffer): void {
  const p = join(root, rel)
  mkdirSync(join(p, '..'), { recursive: true })
  writeFileSync(p, content)
}

// The GenerateTestUserSig.js pattern, as the demos ship it.
put(
  'src/debug/GenerateTestUserSig.js',
  `/*eslint-disable*/
import LibGenerateTestUserSig from './lib-generate-test-usersig-es.min.js';

/**
 * Tencent Cloud SDKAppID
 */
const SDKAPPID = 1400123456;

const EXPIRETIME = 604800;

/**
 * The secret key: only for debugging
 */
const SECRETKEY = '${K.demo}';

export function genTestUserSig(userID) {
  const generator = new LibGenerateTestUserSig(SDKAPPID, SECRETKEY, EXPIRETIME);
  return { sdkAppId: SDKAPPID, userSig: generator.genTestUserSig(userID) };
}
`,
)
// The same demo file in other languages: type annotations, Objective-C string literals, 20 comment lines apart.
const comments = Array.from({ length: 20 }, (_, i) => ` * step ${i}: read the docs before you ship this`).join('\n')
put('ios/Debug/GenerateTestUserSig.swift', `let SDKAPPID: Int = 1400111222\n/**\n${comments}\n */\nlet SECRETKEY: String = "${K.swift}"\n`)
put('ios/Debug/GenerateTestUserSig.h', `static const int SDKAPPID = 1400333444;\n/**\n${comments}\n */\nstatic NSString * const SECRETKEY = @"${K.objc}";\n`)
put('config/app.json', `{\n  "trtc": {\n    "SDKAppID": "1400555666",\n    "SDKSecretKey": "${K.json}"\n  }\n}\n`)
// A minified bundle: the constants inlined in an object, then renamed variables on the same very long line.
put(
  'dist/assets/index-3f2a.min.js',
  `${'var a=1;'.repeat(2000)}const o={SDKAPPID:1400123456,SECRETKEY:"${K.bundle}",EXPIRETIME:604800};${'x();'.repeat(3000)}var n=1600054321,r="${K.renamed}";function s(u){return new LibGenerateTestUserSig(n,r,604800).genTestUserSig(u)}${'y();'.repeat(3000)}\n`,
)
put('deploy/.env', `PORT=8080\nTRTC_SECRET_KEY=${K.env}\n`)
put('keys/private_key.pem', `-----BEGIN EC PARAMETERS-----\nBgUrgQQACg==\n-----END EC PARAMETERS-----\n${EC_SEC1}`)
put('keys/public_key.pem', EC_SPKI)
put('src/server/pem.ts', `export const legacyKey = "${P256_PKCS8.trim().replace(/\n/g, '\\n')}"\n`)
put('src/server/rsa.pem', RSA_PKCS8)
// Java string concatenation, one PEM line per literal.
const JAVA_PAIR = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
const JAVA_PEM = JAVA_PAIR.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
registerPrivate(JAVA_PEM)
put('android/KeyHolder.java', `class KeyHolder {\n  static final String KEY =\n${JAVA_PEM.trim().split('\n').map((l) => `      "${l}\\n"`).join(' +\n')};\n}\n`)
// Code that builds or matches PEM text holds no key.
put('src/template.js', 'const pem = `-----BEGIN EC PRIVATE KEY-----\\n${body}\\n-----END EC PRIVATE KEY-----`\nconst re = /-----BEGIN EC PRIVATE KEY-----[\\s\\S]+-----END EC PRIVATE KEY-----/\n')
put('docs/keys.md', 'The console gives a `-----BEGIN EC PRIVATE KEY-----` file; `-----BEGIN PRIVATE KEY-----` (PKCS#8) works too.\n')
// Things that must not be reported.
put('src/hash.js', `// a content hash, not a key\nconst digest = "${K.digest}";\nconst checksum = 'sha256:${K.digest}';\n`)
put('src/placeholder.js', `const SDKAPPID = 0;\nconst SECRETKEY = '';\nconst SECRETKEY2 = '${'0'.repeat(64)}';\n`)
put('src/allowed.js', `const SDKAPPID = 1400000000;\nconst SECRETKEY = '${K.ignored}'; // usersig-scan-ignore: public test vector\n`)
put('src/far.js', `const SDKAPPID = 1400000000;\n${'\n'.repeat(40)}const hash = '${K.far}';\n`)
// Skipped: node_modules, .git, binary, large.
put('node_modules/some-sdk/GenerateTestUserSig.js', `const SDKAPPID = 1400123456;\nconst SECRETKEY = '${K.modules}';\n`)
put('.git/objects/ab/cdef', `const SECRETKEY = '${K.modules}';\n`)
put('assets/logo.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]), Buffer.from(`SDKAPPID=1400000000 SECRETKEY="${K.binary}"`)]))
put('dist/huge.js', `const SDKAPPID = 1400000000; const SECRETKEY = '${K.large}';\n${'// padding\n'.repeat(500_000)}`)
symlinkSync(join(root, 'src'), join(root, 'src-link'))

interface ScanFinding {
  file: string
  line: number
  column: number
  kind: string
  keyId: string
  sdkAppId: number | null
  message: string
}
interface ScanJson {
  findings: ScanFinding[]
  files: { scanned: number; skippedBinary: number; skippedLarge: number; unreadable: number }
}

describe('scan', () => {
  test('finds the planted keys (file:line, kind, fingerprint) and skips what it should; exit 1', async () => {
    const r = await run(['scan', '--json', '.'], { cwd: root })
    expectExit(r, 1)
    const j = json<ScanJson>(r)
    assert.deepEqual(Object.keys(j), ['findings', 'files'])
    const got = j.findings.map((f) => [f.file, f.line, f.kind, f.keyId, f.sdkAppId])
    assert.deepEqual(got, [
      ['android/KeyHolder.java', 3, 'legacy-private-key', keyFingerprint(JAVA_PAIR.publicKey.export({ type: 'spki', format: 'pem' }).toString()), null],
      ['config/app.json', 4, 'secret-key-with-sdkappid', keyFingerprint(K.json), 1400555666],
      ['deploy/.env', 2, 'secret-key', keyFingerprint(K.env), null],
      ['dist/assets/index-3f2a.min.js', 1, 'secret-key-with-sdkappid', keyFingerprint(K.bundle), 1400123456],
      ['dist/assets/index-3f2a.min.js', 1, 'secret-key-with-sdkappid', keyFingerprint(K.renamed), 1600054321],
      ['ios/Debug/GenerateTestUserSig.h', 24, 'secret-key-with-sdkappid', keyFingerprint(K.objc), 1400333444],
      ['ios/Debug/GenerateTestUserSig.swift', 24, 'secret-key-with-sdkappid', keyFingerprint(K.swift), 1400111222],
      ['keys/private_key.pem', 4, 'legacy-private-key', keyFingerprint(EC_SPKI), null],
      ['src/debug/GenerateTestUserSig.js', 14, 'secret-key-with-sdkappid', keyFingerprint(K.demo), 1400123456],
      ['src/server/pem.ts', 1, 'legacy-private-key', keyFingerprint(P256.publicKey.export({ type: 'spki', format: 'pem' }).toString()), null],
    ])
    for (const f of j.findings) {
      assert.deepEqual(Object.keys(f), ['file', 'line', 'column', 'kind', 'keyId', 'sdkAppId', 'message'])
      assert.match(f.keyId, /^[0-9a-f]{8}$/)
    }
    assert.equal(j.files.skippedBinary, 1)
    assert.equal(j.files.skippedLarge, 1)
    assert.equal(j.files.unreadable, 0)
    assert.equal(j.files.scanned, 17)
  })

  test('the text report lists file:line, kind and fingerprint, never the key', async () => {
    const r = await run(['scan', 'src', 'deploy'], { cwd: root })
    expectExit(r, 1)
    assert.match(r.stdout, /src\/debug\/GenerateTestUserSig\.js:14\s+secret key \+ SDKAppID\s+key [0-9a-f]{8}\s+SDKAppID 1400123456/)
    assert.match(r.stdout, /deploy\/\.env:2\s+secret key\s+key/)
    assert.match(r.stdout, /✗ 3 findings/)
    for (const k of Object.values(K)) assert.ok(!r.stdout.includes(k) && !r.stderr.includes(k))
  })

  test('a clean tree exits 0', async () => {
    const r = await run(['scan', 'src/hash.js', 'src/placeholder.js', 'src/allowed.js', 'src/far.js', 'keys/public_key.pem', 'src/server/rsa.pem'], { cwd: root })
    expectExit(r, 0)
    assert.match(r.stdout, /no secrets found: 6 files scanned/)
    const clean = await run(['scan', '--json', 'assets'], { cwd: root })
    expectExit(clean, 0)
    assert.deepEqual(json<ScanJson>(clean), { findings: [], files: { scanned: 0, skippedBinary: 1, skippedLarge: 0, unreadable: 0 } })
  })

  test('a missing path exits 3', async () => {
    expectExit(await run(['scan', 'no/such/dir'], { cwd: root }), 3, /cannot scan path argument 1: no such file/)
  })

  test('scans the current directory by default', async () => {
    const r = await run(['scan', '--json'], { cwd: join(root, 'keys') })
    expectExit(r, 1)
    assert.deepEqual(json<ScanJson>(r).findings.map((f) => f.file), ['private_key.pem'])
  })
})

test('no secret appears in any output', async () => {
  // the scan fixtures' keys as well as the shared ones
  const r = await run(['scan', '--json', '.'], { cwd: root })
  for (const k of Object.values(K)) assert.ok(!r.stdout.includes(k) && !r.stderr.includes(k))
  assertNoSecretsInOutputs()
})
