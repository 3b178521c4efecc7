/** Issue 15 §2: what users paste is repaired, explained, and the repairs are named. Linear on hostile input. */
import test, { describe } from 'node:test'
import assert from 'node:assert/strict'
import { createSigner, explainUserSig, repairUserSigInput } from '../src/index.js'

const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
const now = 1700000000
const signer = createSigner({ sdkAppId: 1400000000, secretKey: KEY })
const SIG = signer.userSig('alice', { now, expiresIn: 86400 })
const PMK = signer.privateMapKey('alice', { now, roomId: 7, privileges: 255, expiresIn: 600 })

/** The pasted forms of issue 15 §2, with the phrase each repair must name. */
export const PASTES: readonly [string, string, RegExp][] = [
  ['Bearer prefix', `Bearer ${SIG}`, /Bearer/],
  ['Authorization header line', `Authorization: Bearer ${SIG}`, /Authorization/],
  ['usersig= cookie', `usersig=${SIG};`, /usersig=/],
  ['double quotes', `"${SIG}"`, /quotes/],
  ['percent-encoding', encodeURIComponent(SIG).replace(/\*/g, '%2A').replace(/_/g, '%5F').replace(/-/g, '%2D'), /percent/],
  ['issuing service JSON response', JSON.stringify({ sdkAppId: 1400000000, userId: 'alice', userSig: SIG, expiresAt: now + 86400 }, null, 2), /"userSig" field/],
  ['official sample JSON (data wrapper)', JSON.stringify({ code: 0, data: { SDKAppID: 1400000000, UserSig: SIG } }), /"UserSig" field/],
  ['URL with the token in the query', `https://example.com/im?sdkappid=1400000000&identifier=admin&usersig=${encodeURIComponent(SIG)}&random=1`, /query string/],
  ['e-mail line breaks', SIG.replace(/(.{40})/g, '$1\r\n> ').replace(/> /g, ''), /line breaks/],
  ['terminal wrapping with spaces', SIG.slice(0, 50) + '\n  ' + SIG.slice(50), /line breaks/],
]

describe('paste repair', () => {
  for (const [name, pasted, says] of PASTES) {
    test(name, () => {
      const r = repairUserSigInput(pasted)
      assert.equal(r.token, SIG)
      assert.ok(r.removed.some((w) => says.test(w)), r.removed.join('; '))
      const ex = explainUserSig(pasted, { repair: true, secretKey: KEY, userId: 'alice', now: now + 60 })
      assert.equal(ex.verdict, 'valid', ex.summary)
      assert.ok(ex.findings.some((f) => f.code === 'REPAIRED' && says.test(f.message)))
      for (const f of ex.findings) assert.ok(!f.message.includes(SIG))
    })
  }
  test('a privateMapKey field', () => {
    assert.equal(repairUserSigInput(JSON.stringify({ privateMapKey: PMK })).token, PMK)
  })
  test('a bare token is left alone; without repair, explain still reports the pasted form', () => {
    assert.deepEqual(repairUserSigInput(SIG), { token: SIG, removed: [] })
    assert.equal(explainUserSig(`"${SIG}"`, { now }).findings[0]!.code, 'QUOTED')
  })
  test('hostile inputs stay linear and bounded', () => {
    for (const evil of ['Bearer '.repeat(20000), '"'.repeat(60000), ' \n'.repeat(30000), '{'.repeat(60000), '%2A'.repeat(20000), '?usersig=&'.repeat(6000), 'x'.repeat(1 << 20)]) {
      const r = repairUserSigInput(evil)
      assert.ok(r.removed.length <= 6)
      explainUserSig(evil, { repair: true })
    }
  })
})
