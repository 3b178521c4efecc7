/**
 * The one table of codes (src/codes.ts): complete for what verify and explain can report, and the README's table is
 * that table (regenerate it with UPDATE_README=1).
 */
import test from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CODES, TENCENT_CODES, codeRank, type Code } from '../src/index.js'

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
