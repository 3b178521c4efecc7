/**
 * Issue 12 §4 for the CLI: the flags are the glossary's words in kebab case (`--sdk-app-id`, `--user-id`,
 * `--user-id-policy`), the help shows them, and the older spellings (`--sdkappid`, `--userid`, `--userid-policy`) keep
 * working as hidden aliases with the same meaning. Warnings are labelled with their severity from the code table.
 */
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { createSigner, CODES, decodeUserSig } from 'usersig'
import { assertNoSecretsInOutputs, expectExit, json, run, runWithKey, SDKAPPID, SECRET, T0 } from './_helpers.ts'

after(() => assertNoSecretsInOutputs())

const signer = createSigner({ sdkAppId: SDKAPPID, secretKey: SECRET })
const SIG = signer.userSig('alice', { now: T0, expiresIn: 86400 })
const NEW = ['--sdk-app-id', String(SDKAPPID), '--user-id', 'alice']
const OLD = ['--sdkappid', String(SDKAPPID), '--userid', 'alice']

test('the help of every command shows the new spellings and names the old ones only as aliases', async () => {
  for (const cmd of ['gen', 'pmk', 'verify', 'explain']) {
    const help = (await run([cmd, '--help'])).stdout
    assert.match(help, /^ {2}--sdk-app-id <n>\s+the SDKAppID \(from the console; also spelled\s+--sdkappid\)/m, `${cmd}: --sdk-app-id`)
    assert.match(help, /^ {2}--user-id <id>\s+the UserID [^(]*\(also\s+--userid\)/m, `${cmd}: --user-id`)
    assert.doesNotMatch(help, /^ {2}--sdkappid|^ {2}--userid/m, `${cmd}: the old spellings are not listed as options`)
    assert.match(help, /\$ usersig .*--sdk-app-id 1400000000 --user-id alice/, `${cmd}: the example uses the new spellings`)
    assert.doesNotMatch(help, /\$ usersig .*(--sdkappid|--userid)\b/, `${cmd}: no example uses the old spellings`)
  }
  for (const cmd of ['gen', 'pmk']) assert.match((await run([cmd, '--help'])).stdout, /^ {2}--user-id-policy <policy>\s+UserID rules/m)
})

test('gen and pmk: the new and the old spellings sign the same token', async () => {
  const gen = async (args: string[]) => json<{ userSig: string }>(await runWithKey(['gen', ...args, '--now', String(T0), '--json'])).userSig
  const a = await gen([...NEW, '--user-id-policy', 'strict'])
  assert.equal(a, await gen([...OLD, '--userid-policy', 'strict']))
  assert.equal(a, await gen(['--sdkappid=1400000000', '--userid=alice', '--userid-policy=strict']))
  assert.equal(decodeUserSig(a).userId, 'alice')
  const pmk = async (args: string[]) => json<{ privateMapKey: string }>(await runWithKey(['pmk', ...args, '--room-id', '7', '--privileges', '255', '--now', String(T0), '--json'])).privateMapKey
  assert.equal(await pmk(NEW), await pmk(OLD))
  assert.equal(await pmk(NEW), signer.privateMapKey('alice', { roomId: 7, privileges: 255, now: T0 }))
})

test('a policy given under the old spelling is checked like the new one', async () => {
  expectExit(await runWithKey(['gen', ...NEW, '--userid-policy', 'lax']), 2, /--userid-policy <policy>' argument 'lax' is invalid/)
  // strict refuses a dot, under either spelling
  expectExit(await runWithKey(['gen', '--sdk-app-id', String(SDKAPPID), '--user-id', 'a.b', '--userid-policy', 'strict']), 2, /strict policy/)
  expectExit(await runWithKey(['gen', '--sdk-app-id', String(SDKAPPID), '--user-id', 'a.b', '--user-id-policy', 'strict']), 2, /strict policy/)
})

test('verify and explain: either spelling satisfies a required flag, and messages name the new one', async () => {
  expectExit(await runWithKey(['verify', SIG, ...NEW, '--now', String(T0)]), 0)
  expectExit(await runWithKey(['verify', SIG, ...OLD, '--now', String(T0)]), 0)
  expectExit(await runWithKey(['verify', SIG, '--sdk-app-id', String(SDKAPPID), '--userid', 'bob', '--now', String(T0)]), 1)
  const e = json<{ findings: Array<{ code: string }> }>(await runWithKey(['explain', SIG, '--sdkappid', String(SDKAPPID), '--user-id', 'bob', '--now', String(T0), '--json']))
  assert.ok(e.findings.some((f) => f.code === 'IDENTIFIER_MISMATCH'))
  expectExit(await run(['verify', SIG, '--userid', 'alice']), 2, /required option '--sdk-app-id <n>' not specified/)
  expectExit(await run(['verify', SIG, '--sdkappid', String(SDKAPPID)]), 2, /required option '--user-id <id>' not specified/)
  expectExit(await run(['verify', SIG, '--sdkappid', ' 1', '--userid', 'alice']), 2, /^usersig verify: --sdk-app-id " 1": sdkAppId has leading or trailing whitespace/)
})

test('verify labels each warning with its severity from CODES, in text and in --json', async () => {
  // Each warning is labelled with its code's severity in the table (not a word of the CLI's own).
  // A token with at least one of Tencent's own characters (* - _), so that the standard alphabet shows.
  let tencent = SIG
  for (let i = 1; !/[*_-]/.test(tencent); i++) tencent = signer.userSig('alice', { now: T0 + i, expiresIn: 86400 })
  const standard = tencent.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=')
  const at = String(decodeUserSig(tencent).issuedAt)
  const severity = CODES.STANDARD_ALPHABET.severity
  const text = await runWithKey(['verify', standard, ...NEW, '--now', at])
  expectExit(text, 0)
  assert.match(text.stdout, new RegExp(`^${severity} STANDARD_ALPHABET: `, 'm'))
  const j = json<{ warnings: Array<{ code: string; severity: string; message: string }> }>(await runWithKey(['verify', standard, ...NEW, '--now', at, '--json']))
  assert.deepEqual(j.warnings.map((w) => [w.code, w.severity]), [['STANDARD_ALPHABET', severity]])
  const future = await runWithKey(['verify', SIG, ...NEW, '--now', String(T0 - 10)])
  expectExit(future, 0)
  assert.match(future.stdout, new RegExp(`^${CODES.FUTURE_ISSUE_TIME.severity} FUTURE_ISSUE_TIME: `, 'm'))
})
