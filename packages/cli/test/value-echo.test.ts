/**
 * Issue 12 §5: a message quotes at most a short, sanitised prefix of a flag value, and nothing of a value that looks
 * like a key. Every flag a message quotes is given a 100k-character value, a console key (64 hex) and a whole PEM; the
 * token argument and commander's own errors (unknown option, unknown command, invalid choice) get the same. Each answer
 * is a usage error of one short line, and neither the key nor the PEM's body comes back on stdout or stderr.
 */
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { assertNoSecretsInOutputs, expectExit, legacyPair, registerPrivate, run, runWithKey, SDKAPPID, SECRET2 } from './_helpers.ts'

after(() => assertNoSecretsInOutputs())

const pem = legacyPair()
registerPrivate(pem.privatePem)
const pemBody = pem.privatePem.split('\n').filter((l) => /^[A-Za-z0-9+/=]{16,}$/.test(l))
/** Long, and not key-shaped (spaces break every run): it is quoted, so the quote must be short. */
const LONG = 'ab '.repeat(33334)
/** Long and key-shaped (one run of base64 characters): not shown at all. */
const LONG_RUN = 'x'.repeat(100000)
const TOKEN = 'eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwqnFxUXp+UVKAA'

const APP = ['--sdk-app-id', String(SDKAPPID)]
const USER = ['--user-id', 'alice']

/** Each case: a flag, and the command line that gives it `value`. */
const FLAGS: Array<[string, (value: string) => string[]]> = [
  ['gen --now', (v) => ['gen', ...APP, ...USER, '--now', v]],
  ['decode --now', (v) => ['decode', TOKEN, '--now', v]],
  ['verify --clock-tolerance', (v) => ['verify', TOKEN, ...APP, ...USER, '--clock-tolerance', v]],
  ['explain --clock-tolerance', (v) => ['explain', TOKEN, '--clock-tolerance', v]],
  ['pmk --room-id', (v) => ['pmk', ...APP, ...USER, '--privileges', '1', '--room-id', v]],
  ['explain --room-id', (v) => ['explain', TOKEN, '--room-id', v]],
  ['keygen --curve', (v) => ['keygen', '--legacy', '--curve', v]],
  ['gen --sdk-app-id', (v) => ['gen', '--sdk-app-id', v, ...USER]],
  ['verify --sdkappid', (v) => ['verify', TOKEN, '--sdkappid', v, ...USER]],
  ['explain --sdk-app-id', (v) => ['explain', TOKEN, '--sdk-app-id', v]],
  ['gen --user-id', (v) => ['gen', ...APP, '--user-id', ` ${v}`]],
  ['pmk --userid', (v) => ['pmk', ...APP, '--userid', `${v} `, '--privileges', '1', '--room-id', '1']],
  ['gen --user-id-policy', (v) => ['gen', ...APP, ...USER, '--user-id-policy', v]],
  ['gen --userid-policy=', (v) => ['gen', ...APP, ...USER, `--userid-policy=${v}`]],
  ['gen --key-id', (v) => ['gen', ...APP, ...USER, '--key-id', v]],
  ['gen --expires-in', (v) => ['gen', ...APP, ...USER, '--expires-in', v]],
  ['pmk --privileges', (v) => ['pmk', ...APP, ...USER, '--room-id', '1', '--privileges', v]],
  ['explain TOKEN (an option to commander)', (v) => ['explain', v.startsWith('-') ? v : `--${v}`]],
  ['decode TOKEN (an option to commander)', (v) => ['decode', v.startsWith('-') ? v : `--${v}`]],
  ['verify TOKEN (an option to commander)', (v) => ['verify', v.startsWith('-') ? v : `--${v}`, ...APP, ...USER]],
  ['an unknown command', (v) => [v.replace(/^-+/, '')]],
]

const VALUES: Array<[string, string]> = [
  ['a 100k-character value', LONG],
  ['a 100k-character run', LONG_RUN],
  ['a console key', SECRET2],
  ['a PEM', pem.privatePem],
]

function assertNotEchoed(r: { stdout: string; stderr: string }, value: string, what: string): void {
  const out = r.stdout + r.stderr
  assert.ok(r.stderr.length < 400, `${what}: the message is short (${r.stderr.length} characters):\n${r.stderr.slice(0, 400)}`)
  assert.ok(!out.includes(SECRET2), `${what}: the key came back`)
  for (const line of pemBody) assert.ok(!out.includes(line), `${what}: a PEM line came back`)
  assert.ok(!out.includes('BEGIN EC PRIVATE KEY') && !out.includes('PRIVATE KEY-----'), `${what}: the PEM armour came back`)
  assert.ok(!out.includes(value.slice(0, 64)), `${what}: more than a short prefix came back`)
}

for (const [flag, argv] of FLAGS) {
  test(`${flag}: a long value, a key and a PEM are not echoed`, async () => {
    for (const [kind, value] of VALUES) {
      const r = await runWithKey(argv(value))
      expectExit(r, 2)
      assertNotEchoed(r, value, `${flag} given ${kind}`)
    }
  })
}

test('a key-shaped value is named as such; a short one is quoted with control characters escaped', async () => {
  const key = await runWithKey(['gen', ...APP, ...USER, '--now', SECRET2])
  expectExit(key, 2, /--now must be unix seconds or an ISO 8601 date, got \(a value that looks like a key was given; not shown\)/)
  const sdk = await runWithKey(['gen', '--sdk-app-id', SECRET2, ...USER])
  expectExit(sdk, 2, /--sdk-app-id: a value that looks like a key was given; not shown — keys are read from USERSIG_SECRET_KEY/)
  const ctl = await runWithKey(['gen', ...APP, ...USER, '--now', 'soon\x1b[31m\u202e!'])
  expectExit(ctl, 2)
  assert.ok(ctl.stderr.includes('got "soon\\u001b[31m\\u202e!"'), ctl.stderr)
  assert.doesNotMatch(ctl.stderr, /\x1b|\u202e/)
  const long = await runWithKey(['gen', ...APP, ...USER, '--now', LONG])
  expectExit(long, 2)
  assert.ok(long.stderr.includes(`got ${JSON.stringify(LONG.slice(0, 32))}…`), long.stderr)
  const pemToken = await run(['explain', pem.privatePem])
  expectExit(pemToken, 2, /^usersig explain: unknown option \(a value that looks like a key was given; not shown\)/)
})

test('commander errors that name no value are passed on unchanged', async () => {
  expectExit(await run(['gen', '--user-id', 'a']), 2, /required option '--sdk-app-id <n>' not specified/)
  expectExit(await run(['gen', ...APP, ...USER, '--bogus']), 2, /unknown option '--bogus'/)
  expectExit(await run(['gen', ...APP, ...USER, '--user-id-policy', 'lax']), 2, /argument 'lax' is invalid\. Allowed choices are im, strict, any/)
  expectExit(await run(['frobnicate']), 2, /unknown command 'frobnicate'/)
})

test('the TOKEN argument given a key, a PEM line or 100k characters: an invalid token, and none of it comes back', async () => {
  for (const [kind, value] of [['a console key', SECRET2], ['a PEM line', pemBody[1]!], ['100k characters', 'A'.repeat(100000)]] as const) {
    for (const args of [['decode', value], ['decode', value, '--json'], ['explain', value], ['explain', value, '--json'], ['verify', value, ...APP, ...USER, '--json']]) {
      const r = await runWithKey(args)
      expectExit(r, 1)
      const out = r.stdout + r.stderr
      assert.ok(out.length < 4000, `${args[0]} given ${kind}: ${out.length} characters of output`)
      assert.ok(!out.includes(value.slice(0, 40)), `${args[0]} given ${kind}: the value came back`)
    }
  }
})

test('a key file written the wrong way round (key=id): the ids a message lists or names never show the key', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const { join } = await import('node:path')
  const dir = mkdtempSync(join(tmpdir(), 'usersig-echo-'))
  try {
    const reversed = join(dir, 'reversed.key')
    writeFileSync(reversed, `${SECRET2}=prod\nstaging=${'a'.repeat(64)}\n`)
    const unknownId = await run(['gen', ...APP, ...USER, '--key-file', reversed, '--key-id', 'prod'])
    expectExit(unknownId, 2, /no key with id "prod" in the --key-file file — ids there: \(an id that looks like a key\), staging/)
    const twice = join(dir, 'twice.key')
    writeFileSync(twice, `${SECRET2}=x\n${SECRET2}=y\n`)
    const dup = await run(['gen', ...APP, ...USER, '--key-file', twice])
    expectExit(dup, 3, /key id \(a value that looks like a key was given; not shown\) appears twice/)
    for (const r of [unknownId, dup]) assert.ok(!(r.stdout + r.stderr).includes(SECRET2))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
