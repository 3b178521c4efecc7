/** `usersig gen` and `usersig pmk`, run as subprocesses; outputs checked against the official tls-sig-api-v2 package. */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { decodeUserSig, verifyUserSig, keyFingerprint } from 'usersig'
import {
  SDKAPPID, SECRET, SECRET2, T0, assertNoSecretsInOutputs, expectExit, json, keyFile, legacyPair, registerPrivate, removeDir,
  run, runWithKey, tempDir,
} from './_helpers.ts'

const require = createRequire(import.meta.url)
const { Api } = require('tls-sig-api-v2') as {
  Api: new (sdkappid: number, key: string) => {
    genUserSig(userid: string, expire: number): string
    genPrivateMapKey(userid: string, expire: number, roomid: number, privilegeMap: number): string
    genPrivateMapKeyWithStringRoomID(userid: string, expire: number, roomstr: string, privilegeMap: number): string
  }
}

/** Calls the official package with its clock frozen at `seconds` (it reads Date.now()). */
function official<T>(seconds: number, f: () => T): T {
  const real = Date.now
  Date.now = () => seconds * 1000
  try {
    return f()
  } finally {
    Date.now = real
  }
}

const dir = tempDir()
after(() => removeDir(dir))

describe('gen', () => {
  test('prints only the UserSig when stdout is not a terminal', async () => {
    const r = await runWithKey(['gen', '--sdkappid', String(SDKAPPID), '--userid', 'alice', '--now', String(T0)])
    expectExit(r, 0)
    assert.match(r.stdout, /^[A-Za-z0-9*_-]+\n$/)
    assert.equal(r.stderr, '')
    const d = decodeUserSig(r.stdout.trim())
    assert.equal(d.identifier, 'alice')
    assert.equal(d.time, T0)
    assert.equal(d.expire, 7 * 86400)
  })

  test('--json has the documented shape', async () => {
    const r = await runWithKey(['gen', '--sdkappid', String(SDKAPPID), '--userid', 'alice', '--expires-in', '12h', '--now', String(T0), '--json'])
    expectExit(r, 0)
    const j = json(r)
    assert.deepEqual(Object.keys(j), ['sdkAppId', 'userId', 'userSig', 'issuedAt', 'expiresAt', 'expiresIn', 'keyId'])
    assert.equal(j['sdkAppId'], SDKAPPID)
    assert.equal(j['userId'], 'alice')
    assert.equal(j['issuedAt'], T0)
    assert.equal(j['expiresIn'], 43200)
    assert.equal(j['expiresAt'], T0 + 43200)
    assert.equal(j['keyId'], keyFingerprint(SECRET))
  })

  for (const [label, expiresIn, seconds] of [
    ['seconds', '86400', 86400],
    ['days', '180d', 180 * 86400],
    ['minutes', '30m', 1800],
  ] as const) {
    test(`decodes to the same fields and signature as the official tls-sig-api-v2 (${label})`, async () => {
      const r = await runWithKey(['gen', '--sdkappid', String(SDKAPPID), '--userid', 'xiaojun', '--expires-in', expiresIn, '--now', String(T0)])
      expectExit(r, 0)
      const ours = decodeUserSig(r.stdout.trim())
      const theirs = decodeUserSig(official(T0, () => new Api(SDKAPPID, SECRET).genUserSig('xiaojun', seconds)))
      assert.deepEqual(ours.fields, theirs.fields)
      assert.equal(ours.signature, theirs.signature)
      assert.equal(ours.expire, seconds)
      // and our core accepts it
      const v = verifyUserSig(r.stdout.trim(), { sdkAppId: SDKAPPID, userId: 'xiaojun', secretKey: SECRET, now: T0 + 1 })
      assert.equal(v.ok, true)
    })
  }

  test('a UserSig from the official package verifies with usersig verify', async () => {
    const sig = official(T0, () => new Api(SDKAPPID, SECRET).genUserSig('xiaojun', 86400))
    const r = await runWithKey(['verify', sig, '--sdkappid', String(SDKAPPID), '--userid', 'xiaojun', '--now', String(T0 + 60), '--json'])
    expectExit(r, 0)
    assert.equal(json(r)['ok'], true)
  })

  test('reads the key from --key-file (trimmed) and from --key-stdin', async () => {
    const file = keyFile(dir, `${SECRET}\n`)
    const a = await run(['gen', '--sdkappid', String(SDKAPPID), '--userid', 'alice', '--now', String(T0), '--key-file', file, '--json'])
    expectExit(a, 0)
    const b = await run(['gen', '--sdkappid', String(SDKAPPID), '--userid', 'alice', '--now', String(T0), '--key-stdin', '--json'], { input: `${SECRET}\n` })
    expectExit(b, 0)
    assert.equal(json(a)['userSig'], json(b)['userSig'])
    assert.equal(json(a)['keyId'], keyFingerprint(SECRET))
  })

  test('a key file with id=secret lines needs --key-id to sign, and signs with the chosen key', async () => {
    const file = keyFile(dir, `# keys\nprod=${SECRET}\nstaging=${SECRET2}\n`, 'multi.key')
    const base = ['gen', '--sdkappid', String(SDKAPPID), '--userid', 'alice', '--now', String(T0), '--key-file', file]
    expectExit(await run(base), 2, /holds 2 keys.*--key-id/)
    expectExit(await run([...base, '--key-id', 'nope']), 2, /no key with id "nope".*prod, staging/)
    const r = await run([...base, '--key-id', 'staging', '--json'])
    expectExit(r, 0)
    assert.equal(json(r)['keyId'], keyFingerprint(SECRET2))
  })

  test('refuses a secret given as a flag value (exit 2), without echoing it', async () => {
    for (const args of [
      ['gen', '--secret-key', SECRET, '--sdkappid', '1400000000', '--userid', 'a'],
      ['gen', `--secret-key=${SECRET}`, '--sdkappid', '1400000000', '--userid', 'a'],
      ['gen', '--sdkappid', '1400000000', '--userid', 'a', '--key', SECRET],
      ['verify', 'x', '--sdkappid', '1400000000', '--userid', 'a', `--key=${SECRET}`],
    ]) {
      const r = await run(args)
      expectExit(r, 2, /is not accepted: a secret given as a flag value lands in shell history.*USERSIG_SECRET_KEY.*--key-file/)
    }
  })

  test('usage errors exit 2 with one line: missing flags, bad numbers, bad times', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['gen', '--userid', 'a'], /required option '--sdk-app-id <n>' not specified.*usersig gen --help/],
      [['gen', '--sdkappid', '1400000000'], /required option '--user-id <id>'/],
      [['gen', '--sdkappid', 'abc', '--userid', 'a'], /--sdk-app-id "abc"/],
      [['gen', '--sdkappid', '-5', '--userid', 'a'], /--sdk-app-id "-5"/],
      [['gen', '--sdkappid', '1400000000', '--userid', 'a', '--expires-in', 'soon'], /expire/i],
      [['gen', '--sdkappid', '1400000000', '--userid', 'a', '--now', 'yesterday'], /--now must be unix seconds or an ISO 8601 date/],
      [['gen', '--sdkappid', '1400000000', '--userid', 'a', '--now', '1700000000000'], /looks like milliseconds/],
      [['gen', '--sdkappid', '1400000000', '--userid', '测试'], /user/i],
      [['gen', '--sdkappid', '1400000000', '--userid', 'a', '--userid-policy', 'loose'], /--userid-policy/],
      [['gen', '--sdkappid', '1400000000', '--userid', 'a', '--bogus'], /unknown option '--bogus'/],
    ]
    for (const [args, pattern] of cases) expectExit(await runWithKey(args), 2, pattern)
  })

  test('no key configured: exit 2 naming the three sources', async () => {
    const r = await run(['gen', '--sdkappid', '1400000000', '--userid', 'a'])
    expectExit(r, 2, /needs the secret key.*USERSIG_SECRET_KEY.*--key-file.*--key-stdin/)
  })

  test('key file problems exit 3: missing, a directory, empty, PEM, bad lines; the key is never echoed', async () => {
    const base = ['gen', '--sdkappid', '1400000000', '--userid', 'a', '--key-file']
    expectExit(await run([...base, join(dir, 'missing.key')]), 3, /cannot read the file given to --key-file: no such file/)
    expectExit(await run([...base, dir]), 3, /cannot read the file given to --key-file: it is a directory/)
    expectExit(await run([...base, keyFile(dir, '\n  \n', 'empty.key')]), 3, /is empty/)
    expectExit(await run([...base, keyFile(dir, '-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n', 'pem.key')]), 3, /PEM key.*--private-key-file/)
    expectExit(await run([...base, keyFile(dir, `${SECRET}\n${SECRET2}\n`, 'two.key')]), 3, /line 1: expected "id=secret"/)
    expectExit(await run([...base, keyFile(dir, `a=${SECRET}\na=${SECRET2}\n`, 'dup.key')]), 3, /appears twice/)
    expectExit(await run([...base, keyFile(dir, 'x', 'both.key'), '--key-stdin']), 2, /--key-file and --key-stdin/)
  })

  test('a base64-shaped key alone (with "=" padding, "+" and "/") is one key, not a malformed id=secret line', async () => {
    const b64 = Buffer.from(SECRET, 'hex').toString('base64')
    assert.ok(b64.endsWith('=') || b64.includes('+') || b64.includes('/'))
    for (const key of [b64, 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfG=']) {
      const args = ['gen', '--sdkappid', '1400000000', '--userid', 'a', '--now', '1700000000', '--key-file', keyFile(dir, `${key}\n`, 'b64.key')]
      expectExit(await run(args), 3, /not shaped like a console SDKSecretKey.*--allow-unusual-key/)
      const r = await run([...args, '--allow-unusual-key'])
      expectExit(r, 0)
      const token = r.stdout.trim()
      assert.equal(verifyUserSig(token, { sdkAppId: 1400000000, userId: 'a', secretKey: key, now: 1700000000 }).ok, true)
      assert.ok(!r.stdout.includes(key) && !r.stderr.includes(key))
    }
  })

  test('an unreadable key file exits 3', async () => {
    if (process.getuid?.() !== 0) {
      const file = keyFile(dir, SECRET, 'locked.key')
      const { chmodSync } = await import('node:fs')
      chmodSync(file, 0o000)
      expectExit(await run(['gen', '--sdkappid', '1400000000', '--userid', 'a', '--key-file', file]), 3, /permission denied/)
    }
    // Root reads any file; /proc/self/mem exists but fails to read (EIO) for everyone.
    if (process.platform === 'linux') {
      expectExit(await run(['gen', '--sdkappid', '1400000000', '--userid', 'a', '--key-file', '/proc/self/mem']), 3, /cannot read the file given to --key-file: EIO/)
    }
  })

  test('legacy: --private-key-file signs a v1 sig that verifies with --public-key-file', async () => {
    for (const curve of ['prime256v1', 'secp256k1'] as const) {
      const { privatePem, publicPem } = legacyPair(curve)
      registerPrivate(privatePem)
      const priv = keyFile(dir, privatePem, `private-${curve}.pem`)
      const pub = keyFile(dir, publicPem, `public-${curve}.pem`)
      const r = await run(['gen', '--sdkappid', String(SDKAPPID), '--userid', 'alice', '--now', String(T0), '--private-key-file', priv, '--json'])
      expectExit(r, 0)
      const j = json(r)
      assert.equal(j['issuedAt'], T0)
      assert.equal(j['keyId'], null)
      assert.equal(decodeUserSig(j['userSig'] as string).version, 'v1')
      const v = await run(['verify', j['userSig'] as string, '--sdkappid', String(SDKAPPID), '--userid', 'alice', '--now', String(T0 + 5), '--public-key-file', pub, '--json'])
      expectExit(v, 0)
      assert.equal(json<{ payload: { version: string } }>(v).payload.version, 'v1')
      assert.equal(json(v)['keyId'], keyFingerprint(publicPem))
    }
    expectExit(await run(['gen', '--sdkappid', '1400000000', '--userid', 'a', '--private-key-file', join(dir, 'nope.pem')]), 3, /cannot read the file given to --private-key-file/)
    expectExit(await run(['gen', '--sdkappid', '1400000000', '--userid', 'a', '--private-key-file', keyFile(dir, SECRET, 'notpem.pem')]), 3, /not PEM/)
    const broken = keyFile(dir, '-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n', 'broken-private.pem')
    expectExit(await run(['gen', '--sdkappid', '1400000000', '--userid', 'a', '--private-key-file', broken]), 3, /private key/)
    const pubOnly = keyFile(dir, legacyPair().publicPem, 'public-only.pem')
    expectExit(await run(['gen', '--sdkappid', '1400000000', '--userid', 'a', '--private-key-file', pubOnly]), 3, /this is a public key/)
  })
})

describe('pmk', () => {
  const base = ['pmk', '--sdkappid', String(SDKAPPID), '--userid', 'alice', '--now', String(T0)]

  test('--json has the documented shape; numeric room', async () => {
    const r = await runWithKey([...base, '--room-id', '1234', '--privileges', 'enter,recvAudio', '--json'])
    expectExit(r, 0)
    const j = json(r)
    assert.deepEqual(Object.keys(j), ['sdkAppId', 'userId', 'privateMapKey', 'issuedAt', 'expiresAt', 'expiresIn', 'roomId', 'strRoomId', 'privileges', 'privilegeNames', 'keyId'])
    assert.equal(j['roomId'], 1234)
    assert.equal(j['strRoomId'], null)
    assert.equal(j['privileges'], 10)
    assert.deepEqual(j['privilegeNames'], ['enter', 'recvAudio'])
    assert.equal(j['expiresIn'], 300)
    assert.equal(j['expiresAt'], T0 + 300)
  })

  test('matches the official package: numeric and string rooms, mask, preset', async () => {
    for (const [roomArgs, privArg, bits, expire] of [
      [['--room-id', '1234'], '255', 255, 300],
      [['--room-id', '4294967294'], 'audience', 42, 3600],
      [['--str-room-id', 'room-a'], 'enter,recvAudio,recvVideo', 42, 86400],
    ] as const) {
      const r = await runWithKey([...base, ...roomArgs, '--privileges', privArg, '--expires-in', String(expire)])
      expectExit(r, 0)
      const api = new Api(SDKAPPID, SECRET)
      const theirs = official(T0, () =>
        roomArgs[0] === '--room-id' ? api.genPrivateMapKey('alice', expire, Number(roomArgs[1]), bits) : api.genPrivateMapKeyWithStringRoomID('alice', expire, roomArgs[1], bits),
      )
      const a = decodeUserSig(r.stdout.trim())
      const b = decodeUserSig(theirs)
      assert.deepEqual(a.fields, b.fields)
      assert.deepEqual(a.privateMapKey, b.privateMapKey)
      assert.equal(a.privateMapKey?.privileges, bits)
    }
  })

  test('usage errors: no room, both rooms, bad privileges, bad room id', async () => {
    expectExit(await runWithKey([...base, '--privileges', '255']), 2, /needs a room.*--room-id.*--str-room-id/)
    expectExit(await runWithKey([...base, '--room-id', '1', '--str-room-id', 'a', '--privileges', '255']), 2, /cannot be used with/)
    expectExit(await runWithKey([...base, '--room-id', '1', '--privileges', 'fly']), 2, /privilege/i)
    expectExit(await runWithKey([...base, '--room-id', '1', '--privileges', '256']), 2, /privilege/i)
    expectExit(await runWithKey([...base, '--room-id', 'abc', '--privileges', '255']), 2, /--room-id must be a whole number/)
    expectExit(await runWithKey([...base, '--room-id', '0', '--privileges', '255']), 2, /room/i)
    expectExit(await runWithKey([...base, '--room-id', '1']), 2, /required option '--privileges <p>'/)
    expectExit(await run([...base, '--room-id', '1', '--privileges', '255']), 2, /needs the secret key/)
  })
})

test('no secret appears in any output', () => assertNoSecretsInOutputs())
