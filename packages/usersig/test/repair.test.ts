/** Issue 15 §2: what users paste is repaired, explained, and the repairs are named. Linear on hostile input. */
import test, { describe } from 'node:test'
import assert from 'node:assert/strict'
import { createSigner, explainUserSig, repairUserSigInput } from '../src/index.js'
import { pastesOf } from './_repair-cases.ts'

const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
const now = 1700000000
const signer = createSigner({ sdkAppId: 1400000000, secretKey: KEY })
const SIG = signer.userSig('alice', { now, expiresIn: 86400 })
const PMK = signer.privateMapKey('alice', { now, roomId: 7, privileges: 255, expiresIn: 600 })

const PASTES = pastesOf(SIG, PMK, 1400000000, now + 86400)

describe('paste repair', () => {
  for (const [name, pasted, says, token] of PASTES) {
    test(name, () => {
      const r = repairUserSigInput(pasted)
      assert.equal(r.token, token)
      assert.ok(r.removed.some((w) => says.test(w)), r.removed.join('; '))
      const ex = explainUserSig(pasted, { repair: true, secretKey: KEY, userId: 'alice', now: now + 60 })
      assert.equal(ex.verdict, 'valid', ex.summary)
      assert.ok(ex.findings.some((f) => f.code === 'REPAIRED' && says.test(f.message)))
      for (const f of ex.findings) assert.ok(!f.message.includes(token))
    })
  }
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
