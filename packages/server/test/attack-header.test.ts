/**
 * Standing adversarial suite (issue 11, item 8), the trusted proxy header over a real port and raw bytes: read as
 * UTF-8, refused when not UTF-8, repeated or with control characters, and never accepted from a non-proxy however the
 * request dresses itself up (X-Forwarded-For with trustProxy on).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { verifyUserSig } from 'usersig'
import { remember, SDKAPPID, SECRET_KEY } from './helpers.js'
import { rawRequest, serve } from './attack-helpers.js'

const head = (lines: (string | Buffer)[]) =>
  Buffer.concat([Buffer.from('POST /v1/usersig HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n'), ...lines.map((l) => Buffer.concat([typeof l === 'string' ? Buffer.from(l, 'latin1') : l, Buffer.from('\r\n')]))])

test('the identity header is UTF-8; not UTF-8, repeated or with control characters is 401', async () => {
  // userIdPolicy "any" (TRTC accepts UTF-8 UserIDs): the header check alone must stop what follows.
  const s = await serve((c) => {
    c.apps[0].userIdPolicy = 'any'
    c.auth.trustedHeader = { header: 'X-User-Id', rolesHeader: 'X-User-Roles', proxies: ['127.0.0.1'] }
  })
  const zhang = await rawRequest(s.url, head([Buffer.from('x-user-id: 张三', 'utf8')]), '{}')
  assert.equal(zhang.status, 200, zhang.text)
  assert.equal(zhang.body.userId, '张三')
  remember(zhang.body.userSig)
  assert.equal(verifyUserSig(zhang.body.userSig, { sdkAppId: SDKAPPID, userId: '张三', secretKey: SECRET_KEY }).ok, true)

  const cases: [string, (string | Buffer)[]][] = [
    ['invalid UTF-8', [Buffer.concat([Buffer.from('x-user-id: al'), Buffer.from([0xff, 0xfe]), Buffer.from('ice')])]],
    ['latin1 é alone (not UTF-8)', [Buffer.concat([Buffer.from('x-user-id: caf'), Buffer.from([0xe9])])]],
    ['repeated', ['x-user-id: alice', 'x-user-id: bob']],
    ['repeated, other case', ['X-User-Id: alice', 'x-user-id: alice']],
    ['tab inside', ['x-user-id: ali\tce']],
    ['C1 control (U+0085 as UTF-8)', [Buffer.concat([Buffer.from('x-user-id: ali'), Buffer.from([0xc2, 0x85]), Buffer.from('ce')])]],
    ['roles not UTF-8', ['x-user-id: alice', Buffer.concat([Buffer.from('x-user-roles: h'), Buffer.from([0xff])])]],
  ]
  for (const [what, lines] of cases) {
    const r = await rawRequest(s.url, head(lines), '{}')
    assert.equal(r.status, 401, `${what}: ${r.text.slice(0, 300)}`)
    assert.equal(r.body?.userSig, undefined, what)
  }
  // DEL and NUL never reach the service: Node's parser answers 400 itself.
  for (const b of [0x7f, 0x00]) {
    const r = await rawRequest(s.url, head([Buffer.concat([Buffer.from('x-user-id: ali'), Buffer.from([b]), Buffer.from('ce')])]), '{}')
    assert.ok(r.status === 400 || r.status === 401, `byte ${b}: ${r.status}`)
  }
  assert.ok(!s.audit().some((e) => e.outcome === 'issued' && e.userId !== '张三'), 'only 张三 was issued')
})

test('a spoofed proxy header from a non-proxy is refused, X-Forwarded-For does not help', async () => {
  const s = await serve((c) => {
    c.server = { trustProxy: true }
    c.auth.trustedHeader = { header: 'X-User-Id', proxies: ['10.0.0.5'] }
  })
  for (const xff of [[], ['x-forwarded-for: 10.0.0.5'], ['x-forwarded-for: 10.0.0.5, 10.0.0.5'], ['x-real-ip: 10.0.0.5', 'forwarded: for=10.0.0.5']]) {
    const r = await rawRequest(s.url, head(['x-user-id: admin', ...xff]), '{}')
    assert.equal(r.status, 401, `${xff.join(' ')}: ${r.text.slice(0, 200)}`)
  }
  assert.ok(s.logs.some((l) => l.level === 40 && /trustProxy/.test(l.msg)), 'trustProxy: true is warned about at start')
})
