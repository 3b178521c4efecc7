/**
 * No secret, no UserSig, no JWT and no Authorization header in any log line at any level. Every test file checks its
 * own captured output at the end (helpers.checkLogsAtEnd); this one drives every route and error path at trace level
 * and also checks the redaction paths themselves.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createSigner } from 'usersig'
import { ADMIN_KEY, app, assertNoSecretsIn, bearer, get, ISSUE_KEY, jwt, LOGS, post, remember, SDKAPPID, SECRET_KEY, VERIFY_KEY } from './helpers.js'
import { createLogger } from '../src/index.js'
import { Writable } from 'node:stream'

test('every route and error path, at trace level: audit lines present, secrets absent', async () => {
  const a = await app({ patch: (c) => { c.log = { level: 'trace' }; c.rateLimit = { perUser: '6/1m', perIp: '200/1m' } } })
  const good = await jwt({ roles: ['host'] })
  const expired = await jwt({}, { exp: Math.floor(Date.now() / 1000) - 100 })
  const forged = await jwt({}, { secret: 'x'.repeat(40) })
  const cookie = { cookie: `session=${remember('cookie-value-0123456789abcdef')}` }
  await post(a, '/v1/usersig', {}, bearer(good))
  await post(a, '/v1/usersig', { expiresIn: '2h' }, { ...bearer(good), ...cookie })
  await post(a, '/v1/private-map-key', { strRoomId: 'live-1' }, bearer(good))
  await post(a, '/v1/private-map-key', { roomId: 77 }, bearer(good))
  await post(a, '/v1/usersig', {}, bearer(expired))
  await post(a, '/v1/usersig', {}, bearer(forged))
  await post(a, '/v1/usersig', { userId: 'mallory' }, bearer(good))
  await post(a, '/v1/usersig', '{"broken', bearer(good))
  await post(a, '/v1/usersig', JSON.stringify({ x: SECRET_KEY }), bearer(good))
  for (let i = 0; i < 6; i++) await post(a, '/v1/usersig', {}, bearer(good))
  const issued = await post(a, '/v1/admin/usersig', { userId: 'admin' }, { 'x-api-key': ISSUE_KEY })
  await post(a, '/v1/admin/usersig', { userId: 'admin' }, { 'x-api-key': `${ADMIN_KEY}x` })
  const sig = remember(createSigner({ sdkAppId: SDKAPPID, secretKey: SECRET_KEY }).userSig('alice'))
  await post(a, '/v1/verify', { token: sig, userId: 'alice' }, { 'x-api-key': VERIFY_KEY })
  await post(a, '/v1/verify', { token: issued.body.userSig, userId: 'admin' }, bearer(VERIFY_KEY))
  await post(a, '/v1/explain', { token: sig }, { 'x-api-key': ADMIN_KEY })
  await get(a, '/v1/admin/apps', { 'x-api-key': ADMIN_KEY })
  await get(a, '/v1/admin/audit', { 'x-api-key': ADMIN_KEY })
  await get(a, '/metrics')
  await get(a, '/readyz')
  await get(a, '/nope', bearer(good))

  const audit = LOGS.filter((l) => l.includes('"msg":"audit"'))
  assert.ok(audit.length >= 15, `audit lines: ${audit.length}`)
  for (const l of audit) {
    const e = JSON.parse(l).audit
    for (const k of ['time', 'requestId', 'kind', 'outcome']) assert.ok(e[k] !== undefined, `${k} in ${l}`)
  }
  const issuedLine = audit.map((l) => JSON.parse(l).audit).find((e) => e.kind === 'privateMapKey' && e.outcome === 'issued')
  assert.equal(issuedLine.strRoomId, 'live-1')
  assert.equal(issuedLine.privileges, 255)
  assert.equal(issuedLine.keyId, createSigner({ sdkAppId: SDKAPPID, secretKey: SECRET_KEY }).keyId)
  assert.equal(typeof issuedLine.expiresAt, 'number')
  assert.ok(LOGS.some((l) => l.includes('"level":20') && l.includes('"msg":"request"')), 'debug request lines were captured too')
  assertNoSecretsIn(LOGS, 'log output')
  for (const l of LOGS) assert.ok(!/authorization|bearer /i.test(l.replace(/"www-authenticate"/g, '')) || /\[redacted\]/.test(l), `authorization in: ${l.slice(0, 200)}`)
})

test('redaction paths hide credentials even if a future change logs a request or an object with them', () => {
  const lines: string[] = []
  const logger = createLogger({ level: 'trace', destination: new Writable({ write(c, _e, cb) { lines.push(String(c)); cb() } }) })
  logger.info({ req: { headers: { authorization: 'Bearer abc.def.ghi', cookie: 'sid=1', 'x-api-key': 'k-123' } } }, 'req')
  logger.info({ headers: { authorization: 'Bearer abc.def.ghi' } }, 'headers')
  logger.info({ app: { secretKey: SECRET_KEY }, result: { userSig: 'eJwSECRET' }, body: { token: 'eJwTOKEN' } }, 'objects')
  logger.info({ secretKey: SECRET_KEY, userSig: 'eJwSECRET', authorization: 'Bearer x', key: 'k' }, 'top level')
  const all = lines.join('')
  for (const s of ['abc.def.ghi', 'sid=1', 'k-123', SECRET_KEY, 'eJwSECRET', 'eJwTOKEN', 'Bearer x']) assert.ok(!all.includes(s), s)
  assert.ok((all.match(/\[redacted\]/g) ?? []).length >= 10)
})
