/** `usersig verify`, `decode` and `explain` as subprocesses: single tokens, stdin, --batch, --json shapes, exit codes. */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createSigner, decodedToJson, decodeUserSig } from 'usersig'
import {
  SDKAPPID, SECRET, SECRET2, T0, assertNoSecretsInOutputs, expectExit, json, keyFile, legacyPair, registerPrivate, removeDir, run, runWithKey, tempDir,
} from './_helpers.ts'

const signer = createSigner({ sdkAppId: SDKAPPID, secretKey: SECRET })
const other = createSigner({ sdkAppId: SDKAPPID, secretKey: SECRET2 })
const SIG = signer.userSig('alice', { now: T0, expiresIn: 86400 })
const PMK = signer.privateMapKey('alice', { now: T0, roomId: 1234, privileges: 'enter,recvAudio', expiresIn: 600 })
const STR_PMK = signer.privateMapKey('alice', { now: T0, strRoomId: 'room-a', privileges: 255, expiresIn: 600 })
const OTHER_SIG = other.userSig('alice', { now: T0, expiresIn: 86400 })
const GARBAGE = 'not-a-usersig'
const ID = ['--sdkappid', String(SDKAPPID), '--userid', 'alice']
const TEN_MB_LINE = 'A'.repeat(10 * 1024 * 1024)

const dir = tempDir()
after(() => removeDir(dir))

describe('verify', () => {
  test('a valid UserSig exits 0; the text names the key and the times', async () => {
    const r = await runWithKey(['verify', SIG, ...ID, '--now', String(T0 + 3600)])
    expectExit(r, 0)
    assert.match(r.stdout, /valid UserSig for "alice" @ 1400000000/)
    assert.match(r.stdout, /2023-11-14 22:13:20 UTC/)
    assert.match(r.stdout, /22h 59m left|23h left/)
    assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colour when stdout is not a terminal')
  })

  test('--json shape when valid', async () => {
    const r = await runWithKey(['verify', SIG, ...ID, '--now', String(T0 + 3600), '--json'])
    expectExit(r, 0)
    const j = json(r)
    // The verdict, then the decoded token in the one JSON shape (decode --json, HTTP /v1/verify), under `payload`.
    assert.deepEqual(Object.keys(j), ['ok', 'keyId', 'remaining', 'warnings', 'payload'])
    assert.equal(j['ok'], true)
    assert.equal(j['keyId'], signer.keyId)
    assert.equal(j['remaining'], 86400 - 3600)
    assert.deepEqual(j['warnings'], [])
    const payload = j['payload'] as Record<string, unknown>
    assert.deepEqual(payload, JSON.parse(JSON.stringify(decodedToJson(decodeUserSig(SIG)))))
    assert.equal(payload['version'], 'v2')
    assert.equal(payload['issuedAt'], T0)
    assert.equal(payload['expiresAt'], T0 + 86400)
    assert.equal(payload['privateMapKey'], null)
  })

  test('invalid tokens exit 1 with the reason and the Tencent code', async () => {
    const cases: Array<[string[], string, number]> = [
      [['verify', SIG, '--sdkappid', String(SDKAPPID), '--userid', 'bob', '--now', String(T0)], 'IDENTIFIER_MISMATCH', 70013],
      [['verify', SIG, '--sdkappid', '1400000001', '--userid', 'alice', '--now', String(T0)], 'SDKAPPID_MISMATCH', 70014],
      [['verify', SIG, ...ID, '--now', String(T0 + 86400 + 3600)], 'EXPIRED', 70001],
      [['verify', OTHER_SIG, ...ID, '--now', String(T0)], 'SIGNATURE_INVALID', 70009],
      [['verify', GARBAGE, ...ID, '--now', String(T0)], 'MALFORMED', 70003],
    ]
    for (const [args, reason, tencentCode] of cases) {
      const r = await runWithKey([...args, '--json'])
      expectExit(r, 1)
      const j = json(r)
      assert.deepEqual(Object.keys(j), ['ok', 'reason', 'stage', 'tencentCode', 'message', 'failures', 'warnings', 'payload'])
      // The decoded token when it decodes (every failure but MALFORMED), in the one JSON shape.
      if (reason === 'MALFORMED') assert.equal(j['payload'], null)
      else assert.deepEqual(j['payload'], JSON.parse(JSON.stringify(decodedToJson(decodeUserSig(args[1]!)))))
      assert.equal(j['ok'], false)
      assert.equal(j['reason'], reason)
      assert.equal(j['tencentCode'], tencentCode)
      const text = await runWithKey(args)
      expectExit(text, 1)
      assert.match(text.stdout, new RegExp(`invalid: ${reason}.*Tencent ${tencentCode}`))
    }
  })

  test('--clock-tolerance: 30 s by default, settable, checked', async () => {
    expectExit(await runWithKey(['verify', SIG, ...ID, '--now', String(T0 + 86400 + 20)]), 0)
    expectExit(await runWithKey(['verify', SIG, ...ID, '--now', String(T0 + 86400 + 20), '--clock-tolerance', '0']), 1)
    expectExit(await runWithKey(['verify', SIG, ...ID, '--clock-tolerance', 'lots']), 2, /--clock-tolerance must be a whole number/)
    expectExit(await runWithKey(['verify', SIG, ...ID, '--clock-tolerance', '-1']), 2, /--clock-tolerance must be from 0/)
  })

  test('a key file with several id=secret lines: the result names the key that matched', async () => {
    const file = keyFile(dir, `old=${SECRET2}\nnew=${SECRET}\n`, 'rotation.key')
    const r = await run(['verify', SIG, ...ID, '--now', String(T0), '--key-file', file, '--json'])
    expectExit(r, 0)
    assert.equal(json(r)['keyId'], 'new')
    const one = await run(['verify', SIG, ...ID, '--now', String(T0), '--key-file', keyFile(dir, `prod=${SECRET}\n`, 'named.key'), '--json'])
    assert.equal(json(one)['keyId'], 'prod')
  })

  test('PrivateMapKey: the room and privileges are reported', async () => {
    const r = await runWithKey(['verify', PMK, ...ID, '--now', String(T0), '--json'])
    expectExit(r, 0)
    const pmk = json<{ payload: { privateMapKey: Record<string, unknown> } }>(r).payload.privateMapKey
    assert.equal(pmk['roomId'], 1234)
    assert.deepEqual(pmk['privilegeNames'], ['enter', 'recvAudio'])
  })

  test('reads the token from stdin when TOKEN is "-" or omitted (trimmed)', async () => {
    expectExit(await runWithKey(['verify', '-', ...ID, '--now', String(T0)], { input: `  ${SIG}\n\n` }), 0)
    expectExit(await runWithKey(['verify', ...ID, '--now', String(T0)], { input: SIG }), 0)
  })

  test('empty stdin, a key on stdin with the token, no key: exit 2', async () => {
    expectExit(await runWithKey(['verify', ...ID], { input: '' }), 2, /stdin is empty/)
    expectExit(await runWithKey(['verify', '-', ...ID], { input: ' \n\t\n' }), 2, /stdin is empty/)
    expectExit(await runWithKey(['verify', '', ...ID]), 2, /TOKEN argument is empty/)
    expectExit(await run(['verify', SIG, ...ID]), 2, /verify needs the key.*usersig decode/)
    expectExit(await run(['verify', SIG, '--userid', 'alice']), 2, /required option '--sdk-app-id <n>'/)
    expectExit(await run(['verify', SIG, ...ID, '--key-file', `${dir}/missing`]), 3, /cannot read the file given to --key-file/)
    expectExit(await run(['verify', SIG, ...ID, '--public-key-file', `${dir}/missing.pem`]), 3, /cannot read the file given to --public-key-file/)
  })

  test('--batch: one JSON result per line, in order, exit 1 if any is invalid', async () => {
    const input = [SIG, '', OTHER_SIG, GARBAGE, `${PMK}\r`].join('\n') + '\n'
    const r = await runWithKey(['verify', '--batch', ...ID, '--now', String(T0)], { input })
    expectExit(r, 1)
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    assert.deepEqual(lines.map((l) => [l['line'], l['ok'], l['reason'] ?? null]), [
      [1, true, null],
      [3, false, 'SIGNATURE_INVALID'],
      [4, false, 'MALFORMED'],
      [5, true, null],
    ])
    const ok = await runWithKey(['verify', '--batch', ...ID, '--now', String(T0)], { input: `${SIG}\n${SIG}` })
    expectExit(ok, 0)
    assert.equal(ok.stdout.trim().split('\n').length, 2)
  })

  test('--batch: a 10 MB line gets a LINE_TOO_LONG result and the lines after it still run', async () => {
    const r = await runWithKey(['verify', '--batch', ...ID, '--now', String(T0)], { input: `${SIG}\n${TEN_MB_LINE}\n${SIG}\n${TEN_MB_LINE}` })
    expectExit(r, 1)
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    assert.equal(lines.length, 4)
    assert.deepEqual(lines.map((l) => l['ok']), [true, false, true, false])
    assert.deepEqual(lines[1], {
      line: 2,
      ok: false,
      error: { code: 'LINE_TOO_LONG', message: 'line is longer than 65536 bytes and was skipped', hint: 'a UserSig is well under 1 KiB: check the input' },
    })
    assert.ok(r.stdout.length < 4096, 'the long line is not echoed')
  })

  test('a token on stdin larger than 1 MiB is refused (exit 2) without reading it all into a result', async () => {
    expectExit(await runWithKey(['verify', ...ID], { input: 'A'.repeat(2 * 1024 * 1024) }), 2, /token on stdin is larger than 1048576 bytes/)
  })

  test('a public key file that is not a usable key exits 3', async () => {
    const { privatePem } = legacyPair()
    registerPrivate(privatePem)
    const v1 = await run(['gen', ...ID, '--now', String(T0), '--private-key-file', keyFile(dir, privatePem, 'legacy.pem')])
    expectExit(v1, 0)
    const file = keyFile(dir, '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n', 'broken.pem')
    expectExit(await run(['verify', v1.stdout.trim(), ...ID, '--now', String(T0), '--public-key-file', file]), 3, /public key/i)
    expectExit(await run(['verify', SIG, ...ID, '--public-key-file', file]), 3, /the file given to --public-key-file: /)
    expectExit(await run(['verify', SIG, ...ID, '--public-key-file', file, '--key-file', file]), 2, /--public-key-file and a v2 secret key both given/)
  })

  test('--key-stdin: the key on stdin with the token as an argument; not both on stdin', async () => {
    expectExit(await run(['verify', SIG, ...ID, '--now', String(T0), '--key-stdin'], { input: `${SECRET}\n` }), 0)
    expectExit(await run(['verify', ...ID, '--key-stdin'], { input: `${SECRET}\n${SIG}\n` }), 2, /--key-stdin reads the key from stdin.*TOKEN as an argument/)
    expectExit(await run(['explain', '-', ...ID, '--key-stdin'], { input: SECRET }), 2, /--key-stdin reads the key from stdin/)
  })

  test('--batch usage errors', async () => {
    expectExit(await runWithKey(['verify', SIG, '--batch', ...ID], { input: SIG }), 2, /do not pass TOKEN too/)
    expectExit(await run(['verify', '--batch', '--key-stdin', ...ID], { input: SECRET }), 2, /--batch and --key-stdin/)
  })
})

describe('decode', () => {
  test('table: times in UTC and local time, remaining lifetime, no key needed', async () => {
    const r = await run(['decode', SIG, '--now', String(T0 + 3600)], { env: { TZ: 'Asia/Shanghai' } })
    expectExit(r, 0)
    assert.match(r.stdout, /format\s+v2 \(HMAC-SHA256\)/)
    assert.match(r.stdout, /SDKAppID\s+1400000000/)
    assert.match(r.stdout, /UserID\s+"alice"/)
    assert.match(r.stdout, /issued\s+2023-11-14 22:13:20 UTC\s+\(local 2023-11-15 06:13:20 \+08:00\)/)
    assert.match(r.stdout, /expires\s+2023-11-15 22:13:20 UTC\s+\(local 2023-11-16 06:13:20 \+08:00\)/)
    assert.match(r.stdout, /expires in\s+1d \(TLS\.expire 86400 s\)/)
    assert.match(r.stdout, /remaining\s+23h left/)
  })

  test('an expired token says how long ago', async () => {
    const r = await run(['decode', SIG, '--now', String(T0 + 86400 + 3 * 3600)])
    expectExit(r, 0)
    assert.match(r.stdout, /remaining\s+expired 3h ago/)
  })

  test('PrivateMapKey fields with privilege names, numeric and string rooms', async () => {
    const a = await run(['decode', PMK, '--now', String(T0)])
    expectExit(a, 0)
    assert.match(a.stdout, /PrivateMapKey/)
    assert.match(a.stdout, /room\s+1234/)
    assert.match(a.stdout, /privileges\s+10 = enter, recvAudio/)
    assert.match(a.stdout, /UserID\s+"alice"/)
    const b = await run(['decode', STR_PMK, '--now', String(T0)])
    assert.match(b.stdout, /room\s+"room-a" \(string room\)/)
    assert.match(b.stdout, /privileges\s+255 = create, enter, sendAudio, recvAudio, sendVideo, recvVideo, sendSubVideo, recvSubVideo/)
  })

  test('--json shape', async () => {
    const r = await run(['decode', PMK, '--now', String(T0 + 60), '--json'])
    expectExit(r, 0)
    const j = json(r)
    assert.deepEqual(Object.keys(j), ['ok', 'version', 'sdkAppId', 'userId', 'issuedAt', 'expiresIn', 'expiresAt', 'signature', 'userBuf', 'privateMapKey', 'legacy', 'warnings', 'fields', 'remaining', 'expired'])
    assert.equal(j['remaining'], 540)
    assert.equal(j['expired'], false)
    assert.match(j['userBuf'] as string, /^[A-Za-z0-9+/]+=*$/, 'bytes as standard base64')
    assert.deepEqual(Object.keys(j).filter((k) => k !== 'ok' && k !== 'remaining' && k !== 'expired'), Object.keys(decodedToJson(decodeUserSig(PMK))), 'the core\'s one JSON shape')
    const pmk = j['privateMapKey'] as Record<string, unknown>
    assert.deepEqual(Object.keys(pmk), ['version', 'userId', 'sdkAppId', 'roomId', 'strRoomId', 'expiresAt', 'privileges', 'privilegeNames', 'accountType'])
    assert.equal(pmk['privileges'], 10)
    assert.equal((j['fields'] as Record<string, unknown>)['TLS.identifier'], 'alice')
  })

  test('a malformed token exits 1: one line on stderr, or a JSON error', async () => {
    const r = await run(['decode', GARBAGE])
    assert.equal(r.code, 1)
    assert.equal(r.stderr.trim().split('\n').length, 1)
    assert.match(r.stderr, /70003/)
    const j = await run(['decode', GARBAGE, '--json'])
    assert.equal(j.code, 1)
    const body = json(j)
    assert.equal(body['ok'], false)
    assert.deepEqual(Object.keys(body['error'] as object), ['code', 'message', 'hint', 'stage', 'tencentCode'])
    assert.equal((body['error'] as Record<string, unknown>)['code'], 'MALFORMED')
  })

  test('stdin: a token, and empty stdin (exit 2)', async () => {
    expectExit(await run(['decode'], { input: `${SIG}\n` }), 0)
    expectExit(await run(['decode', '-'], { input: '' }), 2, /stdin is empty/)
  })

  test('--batch with a 10 MB line', async () => {
    const r = await run(['decode', '--batch', '--now', String(T0)], { input: `${SIG}\n${TEN_MB_LINE}\n${GARBAGE}\n${PMK}\n` })
    expectExit(r, 1)
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    assert.deepEqual(lines.map((l) => [l['line'], l['ok']]), [[1, true], [2, false], [3, false], [4, true]])
    assert.equal((lines[1]?.['error'] as Record<string, unknown>)['code'], 'LINE_TOO_LONG')
    assert.equal((lines[2]?.['error'] as Record<string, unknown>)['code'], 'MALFORMED')
    expectExit(await run(['decode', '--batch'], { input: `${SIG}\n` }), 0)
  })

  test('bad --now exits 2', async () => {
    expectExit(await run(['decode', SIG, '--now', 'noon']), 2, /--now/)
  })
})

describe('explain', () => {

  test('valid with a key: exit 0, verdict valid', async () => {
    const r = await runWithKey(['explain', SIG, ...ID, '--now', String(T0), '--json'])
    expectExit(r, 0)
    const j = json(r)
    assert.deepEqual(Object.keys(j), ['ok', 'verdict', 'tencentCode', 'summary', 'keyId', 'findings', 'decoded'])
    assert.equal(j['verdict'], 'valid')
    assert.equal(j['ok'], true)
    assert.equal((j['decoded'] as Record<string, unknown>)['userId'], 'alice')
  })

  test('predicts the Tencent code: wrong user 70013, other app 70014, wrong key 70009, expired 70001, truncated 70003', async () => {
    const cases: Array<[string[], number]> = [
      [['explain', SIG, '--sdkappid', String(SDKAPPID), '--userid', 'bob', '--now', String(T0)], 70013],
      [['explain', SIG, '--sdkappid', '1400000001', '--userid', 'alice', '--now', String(T0)], 70014],
      [['explain', OTHER_SIG, ...ID, '--now', String(T0)], 70009],
      [['explain', SIG, ...ID, '--now', String(T0 + 2 * 86400)], 70001],
      [['explain', SIG.slice(0, 40), ...ID, '--now', String(T0)], 70003],
    ]
    for (const [args, code] of cases) {
      const r = await runWithKey([...args, '--json'])
      expectExit(r, 1)
      const j = json(r)
      assert.equal(j['verdict'], 'invalid')
      assert.equal(j['tencentCode'], code)
      const findings = j['findings'] as Array<Record<string, unknown>>
      assert.ok(findings.length > 0)
      for (const f of findings) assert.deepEqual(Object.keys(f), ['code', 'severity', 'message', 'fix', 'tencentCode'])
      const text = await runWithKey(args)
      expectExit(text, 1)
      assert.match(text.stdout, /✗/)
      assert.match(text.stdout, /fix:/)
    }
  })

  test('without a key: verdict unknown, exit 0, decoded table shown', async () => {
    const r = await run(['explain', SIG, '--now', String(T0)])
    expectExit(r, 0)
    assert.match(r.stdout, /^\?/)
    assert.match(r.stdout, /UserID\s+"alice"/)
  })

  test('the intended room is checked against a PrivateMapKey', async () => {
    const r = await runWithKey(['explain', PMK, ...ID, '--room-id', '999', '--now', String(T0), '--json'])
    expectExit(r, 1)
    assert.equal(json(r)['verdict'], 'invalid')
    expectExit(await runWithKey(['explain', PMK, ...ID, '--room-id', '1234', '--now', String(T0)]), 0)
    expectExit(await runWithKey(['explain', PMK, '--room-id', '1', '--str-room-id', 'a']), 2, /cannot be used with/)
  })

  test('--batch, empty stdin, bad flag', async () => {
    const r = await runWithKey(['explain', '--batch', ...ID, '--now', String(T0)], { input: `${SIG}\n${TEN_MB_LINE}\n${OTHER_SIG}\n` })
    expectExit(r, 1)
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    assert.deepEqual(lines.map((l) => [l['line'], l['ok'], l['verdict'] ?? null]), [[1, true, 'valid'], [2, false, null], [3, false, 'invalid']])
    expectExit(await run(['explain'], { input: '' }), 2, /stdin is empty/)
    expectExit(await run(['explain', SIG, '--sdkappid', 'x1']), 2, /--sdk-app-id "x1"/)
  })
})

test('no secret appears in any output', () => assertNoSecretsInOutputs())
