/**
 * The one table of codes (src/codes.ts): complete for what verify and explain can report; the README's table and the
 * spec's table of verification failures (docs/spec/errors.md) are generated from it (regenerate with UPDATE_README=1).
 */
import test from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CODES, TENCENT_CODES, codeRank, createSigner, verifyUserSig, type Code } from '../src/index.js'
import { legacyPublicKey, generateLegacyKeyPair } from '../src/legacy/index.js'

const here = dirname(fileURLToPath(import.meta.url))
const readme = join(here, '..', 'README.md')
const errorsSpec = join(here, '..', '..', '..', 'docs', 'spec', 'errors.md')

const cell = (s: string) => s.replace(/\|/g, '\\|')

function render(): string {
  let out = '| code | severity | Tencent code | means | fix |\n|---|---|---|---|---|\n'
  for (const [code, c] of Object.entries(CODES)) out += `| \`${code}\` | ${c.severity} | ${c.tencentCode ?? '–'} | ${cell(c.message)} | ${cell(c.fix)} |\n`
  return out
}

/** The spec's table of verification failures: each reason with the table's meaning and Tencent code. */
function renderReasons(): string {
  let out = '| reason | meaning | Tencent code predicted |\n|---|---|---|\n'
  for (const [reason, code] of Object.entries(TENCENT_CODES)) out += `| \`${reason}\` | ${cell(CODES[reason as Code].message)} | ${code}${reason === 'MALFORMED' ? ' (`fields`: 70005)' : ''} |\n`
  return out
}

/** Checks (or with UPDATE_README=1 rewrites) the text between a file's markers against what `make` renders. */
function generated(file: string, name: string, make: () => string): void {
  const begin = `<!-- ${name}:begin -->\n`
  const end = `<!-- ${name}:end -->`
  const text = readFileSync(file, 'utf8')
  const a = text.indexOf(begin)
  const b = text.indexOf(end)
  assert.ok(a >= 0 && b > a, `${file} needs the ${name} markers`)
  const want = text.slice(0, a + begin.length) + make() + text.slice(b)
  if (process.env.UPDATE_README === '1') writeFileSync(file, want)
  assert.equal(text, want, 'run UPDATE_README=1 node scripts/run-tests.mjs codes.test to regenerate')
}

test("the README's table of codes is generated from CODES", () => generated(readme, 'codes', render))
test("the spec's table of verification failures (docs/spec/errors.md) is generated from CODES", () => generated(errorsSpec, 'reasons', renderReasons))

test('every verification failure is in the table with its Tencent code; the order is the table order', () => {
  for (const [reason, code] of Object.entries(TENCENT_CODES)) assert.equal(CODES[reason as Code].tencentCode, code)
  const reasons = ['IDENTIFIER_MISMATCH', 'SDKAPPID_MISMATCH', 'EXPIRED', 'SIGNATURE_INVALID', 'USERBUF_MISMATCH'] as const
  for (let i = 1; i < reasons.length; i++) assert.ok(codeRank(reasons[i - 1]!) < codeRank(reasons[i]!))
  for (const [code, c] of Object.entries(CODES)) {
    assert.ok(c.message.length > 0 && c.fix.length > 0, code)
    assert.equal(c.severity === 'error', typeof c.tencentCode === 'number' && c.severity === 'error', code)
  }
})

test("verify's failures and warnings speak the table's vocabulary: its message, then after a colon the detail; its severity", () => {
  const key = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
  const now = 1700000000
  const signer = createSigner({ sdkAppId: 1400000000, secretKey: key })
  let tok = ''
  for (let e = 60; !(tok.endsWith('_') && /[*-]/.test(tok)); e++) tok = signer.userSig('alice', { now, expiresIn: e })
  // Every failure of the pass at once, and every decode warning: whitespace, standard alphabet, missing padding, future.
  const odd = tok.replace(/\*/g, '+').replace(/-/g, '/').replace(/_+$/, '').replace(/^(.{10})/, '$1\n')
  const results = [
    verifyUserSig(tok, { sdkAppId: 1400000001, userId: 'Alice', secretKey: 'f'.repeat(64), now: now + 3600, userBuf: new Uint8Array(1) }),
    verifyUserSig(tok, { sdkAppId: 1400000000, userId: 'alice', secretKeys: [{ secretKey: 'f'.repeat(64) }, { secretKey: 'e'.repeat(64) }], now }),
    verifyUserSig(tok, { sdkAppId: 1400000000, userId: 'alice', publicKey: legacyPublicKey(generateLegacyKeyPair().publicKeyPem), now }),
    verifyUserSig(odd, { sdkAppId: 1400000000, userId: 'alice', secretKey: key, now: now - 60 }),
  ]
  const seen = new Set<string>()
  const says = (code: Code, message: string) => message === CODES[code].message || message.startsWith(CODES[code].message + ': ')
  for (const r of results) {
    for (const w of r.warnings) {
      seen.add(w.code)
      assert.equal(CODES[w.code].severity, 'warning', w.code)
      assert.ok(says(w.code, w.message), `${w.code}: ${w.message}`)
    }
    for (const f of r.ok ? [] : r.failures) {
      seen.add(f.reason)
      assert.equal(CODES[f.reason].severity, 'error')
      assert.ok(says(f.reason, f.message) || (f.reason === 'SIGNATURE_INVALID' && says('WRONG_ALGORITHM', f.message)), `${f.reason}: ${f.message}`)
    }
  }
  assert.deepEqual([...seen].sort(), ['EXPIRED', 'FUTURE_ISSUE_TIME', 'IDENTIFIER_MISMATCH', 'MISSING_PADDING', 'SDKAPPID_MISMATCH', 'SIGNATURE_INVALID', 'STANDARD_ALPHABET', 'USERBUF_MISMATCH', 'WHITESPACE'])
})
