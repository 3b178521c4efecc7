/**
 * The one table of codes (src/codes.ts): complete for what verify and explain can report, and the README's table is
 * that table (regenerate it with UPDATE_README=1).
 */
import test from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CODES, TENCENT_CODES, codeRank, createSigner, verifyUserSig, type Code } from '../src/index.js'
import { legacyPublicKey, generateLegacyKeyPair } from '../src/legacy/index.js'

const readme = join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md')
const BEGIN = '<!-- codes:begin -->\n'
const END = '<!-- codes:end -->'

function render(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|')
  let out = '| code | severity | Tencent code | means | fix |\n|---|---|---|---|---|\n'
  for (const [code, c] of Object.entries(CODES)) out += `| \`${code}\` | ${c.severity} | ${c.tencentCode ?? '–'} | ${cell(c.message)} | ${cell(c.fix)} |\n`
  return out
}

test("the README's table of codes is generated from CODES", () => {
  const text = readFileSync(readme, 'utf8')
  const a = text.indexOf(BEGIN)
  const b = text.indexOf(END)
  assert.ok(a >= 0 && b > a, 'README needs the codes markers')
  const want = text.slice(0, a + BEGIN.length) + render() + text.slice(b)
  if (process.env.UPDATE_README === '1') writeFileSync(readme, want)
  assert.equal(text, want, 'run UPDATE_README=1 node scripts/run-tests.mjs codes.test to regenerate')
})

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
