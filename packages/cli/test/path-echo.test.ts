/**
 * Issue 11, item 14: a secret pasted where a path is expected (`--key-file "$KEY"`) must never come back in a message.
 * Every file option and the scan paths are tried with a real-looking secret key and a real-looking PEM body as the
 * "path"; the message names the option instead.
 */
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { assertNoSecretsInOutputs, expectExit, keyFile, legacyPair, registerPrivate, removeDir, run, runWithKey, SDKAPPID, SECRET, SECRET2, tempDir } from './_helpers.js'

const dir = tempDir()
after(() => removeDir(dir))
after(() => assertNoSecretsInOutputs())

const pem = legacyPair()
registerPrivate(pem.privatePem)
/** A private key's body line, as someone might paste it where a path goes. */
const pemLine = pem.privatePem.split('\n').find((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l))!

function refuses(r: { stderr: string; stdout: string }, secret: string, option: string): void {
  assert.ok(!r.stderr.includes(secret) && !r.stdout.includes(secret), `the value given to ${option} came back in the output:\n${r.stderr}`)
  assert.ok(r.stderr.includes(option), `the message names ${option}:\n${r.stderr}`)
}

test('--key-file given the key itself: the error names the option, not the value', async () => {
  for (const value of [SECRET, `${SECRET2}\n`, pemLine]) {
    for (const cmd of [
      ['gen', '--sdkappid', String(SDKAPPID), '--userid', 'alice'],
      ['pmk', '--sdkappid', String(SDKAPPID), '--userid', 'alice', '--room-id', '1', '--privileges', 'enter'],
      ['verify', 'eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwqnFxUXp+UVKAA', '--sdkappid', String(SDKAPPID), '--userid', 'alice'],
      ['explain', 'eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwqnFxUXp+UVKAA'],
    ]) {
      const r = await run([...cmd, '--key-file', value])
      expectExit(r, 3)
      refuses(r, value.trim(), '--key-file')
    }
  }
})

test('--private-key-file and --public-key-file given key material: the option is named, the value never shown', async () => {
  const g = await run(['gen', '--sdkappid', String(SDKAPPID), '--userid', 'alice', '--private-key-file', pemLine])
  expectExit(g, 3)
  refuses(g, pemLine, '--private-key-file')
  const v = await run(['verify', 'eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwqnFxUXp+UVKAA', '--sdkappid', String(SDKAPPID), '--userid', 'alice', '--public-key-file', SECRET])
  expectExit(v, 3)
  refuses(v, SECRET, '--public-key-file')
  // A file that exists but holds the wrong kind of key: still no path in the message (the path may be the secret's name).
  const notPem = keyFile(dir, `${SECRET}\n`, `${SECRET2}.key`)
  const w = await run(['gen', '--sdkappid', String(SDKAPPID), '--userid', 'alice', '--private-key-file', notPem])
  expectExit(w, 3)
  refuses(w, SECRET2, '--private-key-file')
  const bad = keyFile(dir, '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n', `${SECRET2}.pem`)
  const x = await run(['verify', 'eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwqnFxUXp+UVKAA', '--sdkappid', String(SDKAPPID), '--userid', 'alice', '--public-key-file', bad])
  expectExit(x, 3)
  refuses(x, SECRET2, '--public-key-file')
})

test('a key file whose content is wrong: the message names --key-file, not its path', async () => {
  const f = keyFile(dir, 'a=1\nnot a key line\n', `${SECRET2}-keys.txt`)
  const r = await run(['gen', '--sdkappid', String(SDKAPPID), '--userid', 'alice', '--key-file', f])
  expectExit(r, 3)
  refuses(r, SECRET2, '--key-file')
})

test('keygen --out and scan paths given a secret: named, never echoed', async () => {
  const blocker = keyFile(dir, 'x', 'plain-file')
  const k = await run(['keygen', '--out', join(blocker, SECRET)])
  expectExit(k, 3)
  refuses(k, SECRET, '--out')
  const s = await run(['scan', join(dir, SECRET2)])
  expectExit(s, 3)
  assert.ok(!s.stderr.includes(SECRET2), s.stderr)
})

test('serve --config given a secret: the path is not echoed', async () => {
  const r = await runWithKey(['serve', '--config', `${SECRET2}.json`])
  assert.notEqual(r.code, 0)
  assert.ok(!r.stderr.includes(SECRET2), r.stderr)
})
