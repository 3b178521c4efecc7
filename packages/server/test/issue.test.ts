import { test } from 'node:test'
import assert from 'node:assert/strict'
import { decodeUserSig, verifyUserSig } from 'usersig'
import { ADMIN_KEY, app, bearer, jwt, post, SDKAPPID, SDKAPPID_2, SECRET_KEY, SECRET_KEY_2 } from './helpers.js'

const NOW = 1_800_000_000

test('POST /v1/usersig issues for the JWT subject, verifiable with the core', async () => {
  const a = await app({ now: () => NOW * 1000 })
  const r = await post(a, '/v1/usersig', {}, bearer(await jwt({}, { exp: NOW + 600 })))
  assert.equal(r.status, 200)
  assert.deepEqual(Object.keys(r.body).sort(), ['expiresAt', 'issuedAt', 'refreshAt', 'sdkAppId', 'serverTime', 'userId', 'userSig'])
  assert.equal(r.body.userId, 'alice')
  assert.equal(r.body.sdkAppId, SDKAPPID)
  assert.equal(r.body.issuedAt, NOW)
  assert.equal(r.body.serverTime, NOW)
  assert.equal(r.body.expiresAt, NOW + 86400, 'default TTL of the app')
  assert.equal(r.body.refreshAt, NOW + Math.floor(86400 * 0.8))
  assert.equal(r.headers['cache-control'], 'no-store')
  const v = verifyUserSig(r.body.userSig, { sdkAppId: SDKAPPID, userId: 'alice', secretKey: SECRET_KEY, now: NOW + 1 })
  assert.equal(v.ok, true)
})

test('expiresIn is clamped to the app policy (min, max, duration strings)', async () => {
  const a = await app({ now: () => NOW * 1000 })
  const h = bearer(await jwt({}, { exp: NOW + 600 }))
  const cases: [unknown, number][] = [[60, 600], ['30d', 7 * 86400], ['2h', 7200], [3600, 3600], [10 * 86400, 7 * 86400]]
  for (const [expiresIn, ttl] of cases) {
    const r = await post(a, '/v1/usersig', { expiresIn }, h)
    assert.equal(r.status, 200, JSON.stringify(r.body))
    assert.equal(r.body.expiresAt - r.body.issuedAt, ttl, `expiresIn ${expiresIn}`)
    assert.equal(decodeUserSig(r.body.userSig).expire, ttl)
  }
  for (const expiresIn of ['soon', '-5', 0, 1.5, '1e3', 999999999999]) {
    const r = await post(a, '/v1/usersig', { expiresIn }, h)
    assert.equal(r.status, 400, `expiresIn ${expiresIn}`)
    assert.match(r.body.error.code, /^(INVALID_REQUEST|INVALID_EXPIRES_IN)$/)
  }
})

test('allowUnusualLifetime: a lifetime in milliseconds is refused with a hint, accepted when the body says so, still clamped to maxExpiresIn', async () => {
  const a = await app({ now: () => NOW * 1000 })
  const h = bearer(await jwt({ roles: ['host'] }, { exp: NOW + 600 }))
  for (const body of [{ expiresIn: 86400000 }, { expiresIn: 86400000, allowUnusualLifetime: false }]) {
    const r = await post(a, '/v1/usersig', body, h)
    assert.equal(r.status, 400, JSON.stringify(body))
    assert.equal(r.body.error.code, 'INVALID_EXPIRES_IN')
    assert.match(r.body.error.message, /allowUnusualLifetime/)
  }
  const ok = await post(a, '/v1/usersig', { expiresIn: 86400000, allowUnusualLifetime: true }, h)
  assert.equal(ok.status, 200, JSON.stringify(ok.body))
  assert.equal(ok.body.expiresAt - ok.body.issuedAt, 7 * 86400, 'clamped to the app\'s maxExpiresIn')
  assert.equal(decodeUserSig(ok.body.userSig).expire, 7 * 86400)
  assert.equal(a.usersig.audit.recent(1)[0]!.expiresIn, 7 * 86400)
  const notBool = await post(a, '/v1/usersig', { expiresIn: 86400000, allowUnusualLifetime: 'yes' }, h)
  assert.equal(notBool.status, 400)
  assert.equal(notBool.body.error.code, 'INVALID_REQUEST')

  const pmk = await post(a, '/v1/private-map-key', { strRoomId: 'live-42', expiresIn: 3600000 }, h)
  assert.equal(pmk.status, 400)
  assert.equal(pmk.body.error.code, 'INVALID_EXPIRES_IN')
  const pmkOk = await post(a, '/v1/private-map-key', { strRoomId: 'live-42', expiresIn: 3600000, allowUnusualLifetime: true }, h)
  assert.equal(pmkOk.status, 200, JSON.stringify(pmkOk.body))
  assert.equal(pmkOk.body.expiresAt - pmkOk.body.issuedAt, 3600, 'clamped to the PrivateMapKey maxExpiresIn')
})

test('sdkAppId selects the app; an unknown one is 404; the userId policy of the app applies', async () => {
  const a = await app({ now: () => NOW * 1000 })
  const r = await post(a, '/v1/usersig', { sdkAppId: SDKAPPID_2 }, bearer(await jwt({}, { exp: NOW + 600 })))
  assert.equal(r.status, 200)
  assert.equal(verifyUserSig(r.body.userSig, { sdkAppId: SDKAPPID_2, userId: 'alice', secretKey: SECRET_KEY_2, now: NOW }).ok, true)
  const unknown = await post(a, '/v1/usersig', { sdkAppId: 42 }, bearer(await jwt({}, { exp: NOW + 600 })))
  assert.equal(unknown.status, 404)
  assert.equal(unknown.body.error.code, 'UNKNOWN_SDKAPPID')
  // App 2 uses the "strict" policy: [A-Za-z0-9_-]{1,32}. A subject with a space is fine for "im", not for "strict".
  const spaced = bearer(await jwt({}, { exp: NOW + 600, sub: 'alice smith' }))
  assert.equal((await post(a, '/v1/usersig', {}, spaced)).status, 200)
  const denied = await post(a, '/v1/usersig', { sdkAppId: SDKAPPID_2 }, spaced)
  assert.equal(denied.status, 403)
  assert.equal(denied.body.error.code, 'USERID_NOT_ALLOWED')
  const long = bearer(await jwt({}, { exp: NOW + 600, sub: 'x'.repeat(33) }))
  assert.equal((await post(a, '/v1/usersig', {}, long)).body.error.code, 'USERID_NOT_ALLOWED')
})

test('a body that names a userId is refused, even the caller\'s own', async () => {
  const a = await app({ now: () => NOW * 1000 })
  const h = bearer(await jwt({}, { exp: NOW + 600 }))
  for (const userId of ['mallory', 'alice']) {
    const r = await post(a, '/v1/usersig', { userId }, h)
    assert.equal(r.status, 400)
    assert.equal(r.body.error.code, 'USERID_IN_BODY')
  }
  const pmk = await post(a, '/v1/private-map-key', { roomId: 1234, userId: 'mallory' }, h)
  assert.equal(pmk.body.error.code, 'USERID_IN_BODY')
})

test('bad inputs: malformed JSON, empty body, wrong content type, unknown fields, wrong types, oversized body', async () => {
  const a = await app({ now: () => NOW * 1000 })
  const h = bearer(await jwt({}, { exp: NOW + 600 }))
  const bad = await post(a, '/v1/usersig', '{"expiresIn": ', h)
  assert.equal(bad.status, 400)
  assert.equal(bad.body.error.code, 'INVALID_JSON')
  const empty = await a.inject({ method: 'POST', url: '/v1/usersig', headers: { ...h, 'content-type': 'application/json' }, payload: '' })
  assert.equal(empty.statusCode, 400)
  assert.equal(empty.json().error.code, 'INVALID_JSON')
  const text = await a.inject({ method: 'POST', url: '/v1/usersig', headers: { ...h, 'content-type': 'text/plain' }, payload: '{}' })
  assert.equal(text.statusCode, 415)
  assert.equal(text.json().error.code, 'UNSUPPORTED_MEDIA_TYPE')
  const form = await a.inject({ method: 'POST', url: '/v1/usersig', headers: { ...h, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=b' })
  assert.equal(form.statusCode, 415)
  const unknown = await post(a, '/v1/usersig', { ttl: 60 }, h)
  assert.equal(unknown.status, 400)
  assert.equal(unknown.body.error.code, 'INVALID_REQUEST')
  assert.match(unknown.body.error.message, /unknown field "ttl"/)
  const wrongType = await post(a, '/v1/usersig', { allowUnusualLifetime: 'true' }, h)
  assert.equal(wrongType.status, 400, 'no type coercion')
  // Issue 12 §4: an SDKAppID's decimal digits are the SDKAppID, by the core's one rule (normalizeSdkAppId), as in the
  // library, the CLI and the edge handler (this assertion was "400, no type coercion" before).
  const digits = await post(a, '/v1/usersig', { sdkAppId: String(SDKAPPID) }, h)
  assert.equal(digits.status, 200)
  assert.equal(digits.body.sdkAppId, SDKAPPID)
  const array = await post(a, '/v1/usersig', [], h)
  assert.equal(array.status, 400)
  const proto = await post(a, '/v1/usersig', '{"__proto__": {"x": 1}}', h)
  assert.equal(proto.status, 400)
  const big = await post(a, '/v1/usersig', JSON.stringify({ expiresIn: 'x'.repeat(10000) }), h)
  assert.equal(big.status, 413)
  assert.equal(big.body.error.code, 'PAYLOAD_TOO_LARGE')
})

test('authentication failures: none, expired, forged, wrong audience/issuer, no subject, wrong alg', async () => {
  const a = await app({ now: () => NOW * 1000 })
  const none = await post(a, '/v1/usersig', {})
  assert.equal(none.status, 401)
  assert.equal(none.body.error.code, 'UNAUTHENTICATED')
  assert.match(String(none.headers['www-authenticate']), /^Bearer/)
  const cases: [Promise<string>, string, RegExp?][] = [
    [jwt({}, { exp: NOW - 60 }), 'TOKEN_EXPIRED'],
    [jwt({}, { exp: NOW + 600, secret: 'another-secret-that-is-long-enough-1234' }), 'TOKEN_INVALID', /signature/],
    [jwt({}, { exp: NOW + 600, aud: 'someone-else' }), 'TOKEN_INVALID', /"aud"/],
    [jwt({}, { exp: NOW + 600, iss: 'https://evil.test' }), 'TOKEN_INVALID', /"iss"/],
    [jwt({}, { exp: NOW + 600, sub: null }), 'TOKEN_INVALID', /"sub"/],
    [jwt({}, { exp: NOW + 600, alg: 'HS512' }), 'TOKEN_INVALID', /alg/],
  ]
  for (const [token, code, msg] of cases) {
    const r = await post(a, '/v1/usersig', {}, bearer(await token))
    assert.equal(r.status, 401, code)
    assert.equal(r.body.error.code, code)
    if (msg) assert.match(r.body.error.message, msg)
  }
  // A token with its payload swapped (sub: mallory) keeps alice's signature: forged.
  const good = await jwt({}, { exp: NOW + 600 })
  const [h, , s] = good.split('.')
  const payload = Buffer.from(JSON.stringify({ sub: 'mallory', aud: 'usersig-test', iss: 'https://idp.test', exp: NOW + 600 })).toString('base64url')
  const forged = await post(a, '/v1/usersig', {}, bearer(`${h}.${payload}.${s}`))
  assert.equal(forged.status, 401)
  assert.equal(forged.body.error.code, 'TOKEN_INVALID')
  // alg "none"
  const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`
  assert.equal((await post(a, '/v1/usersig', {}, bearer(unsigned))).status, 401)
  // An API key is not a user credential.
  assert.equal((await post(a, '/v1/usersig', {}, bearer(ADMIN_KEY))).status, 401)
})

test('POST /v1/private-map-key: policy rules by role and room pattern, requested ∩ allowed', async () => {
  const a = await app({ now: () => NOW * 1000 })
  const host = bearer(await jwt({ roles: ['host'] }, { exp: NOW + 600 }))
  const viewer = bearer(await jwt({}, { exp: NOW + 600, sub: 'bob' }))

  const anchor = await post(a, '/v1/private-map-key', { strRoomId: 'live-42' }, host)
  assert.equal(anchor.status, 200, JSON.stringify(anchor.body))
  assert.equal(anchor.body.privileges, 255)
  assert.equal(anchor.body.strRoomId, 'live-42')
  assert.equal(anchor.body.expiresAt - anchor.body.issuedAt, 300)
  const v = verifyUserSig(anchor.body.userSig, { sdkAppId: SDKAPPID, userId: 'alice', secretKey: SECRET_KEY, now: NOW })
  assert.equal(v.ok, true)
  assert.ok(v.ok && v.payload.privateMapKey)
  if (v.ok) {
    assert.equal(v.payload.privateMapKey!.strRoomId, 'live-42')
    assert.equal(v.payload.privateMapKey!.privileges, 255)
    assert.equal(v.payload.privateMapKey!.account, 'alice')
  }

  const audience = await post(a, '/v1/private-map-key', { roomId: 1234 }, viewer)
  assert.equal(audience.status, 200)
  assert.equal(audience.body.privileges, 42)
  assert.equal(audience.body.roomId, 1234)
  assert.deepEqual(audience.body.privilegeNames, ['enter', 'recvAudio', 'recvVideo'])

  // requested ∩ allowed: a viewer asking for everything gets the audience bits only.
  const narrowed = await post(a, '/v1/private-map-key', { strRoomId: 'live-1', privileges: 'anchor' }, viewer)
  assert.equal(narrowed.body.privileges, 42)
  const exact = await post(a, '/v1/private-map-key', { strRoomId: 'live-1', privileges: ['enter', 'recvAudio'] }, viewer)
  assert.equal(exact.body.privileges, 2 | 8)
  const none = await post(a, '/v1/private-map-key', { strRoomId: 'live-1', privileges: ['sendVideo'] }, viewer)
  assert.equal(none.status, 403)
  assert.equal(none.body.error.code, 'PRIVILEGES_DENIED')

  // {userId} in a pattern: only your own room.
  assert.equal((await post(a, '/v1/private-map-key', { strRoomId: 'user-bob' }, viewer)).body.privileges, 2 | 4 | 8)
  const other = await post(a, '/v1/private-map-key', { strRoomId: 'user-alice' }, viewer)
  assert.equal(other.status, 403)
  assert.equal(other.body.error.code, 'ROOM_NOT_ALLOWED')
  assert.match(other.body.error.message, /user-alice/)

  // A room outside every rule.
  const outside = await post(a, '/v1/private-map-key', { roomId: 999 }, host)
  assert.equal(outside.status, 403)
  assert.equal(outside.body.error.code, 'ROOM_NOT_ALLOWED')

  // Regex rule limited to a user.
  const vip = bearer(await jwt({}, { exp: NOW + 600, sub: 'vip' }))
  assert.equal((await post(a, '/v1/private-map-key', { strRoomId: 'vip-7' }, vip)).body.privileges, 255)
  assert.equal((await post(a, '/v1/private-map-key', { strRoomId: 'vip-7' }, viewer)).status, 403)
  assert.equal((await post(a, '/v1/private-map-key', { strRoomId: 'vip-7x' }, vip)).status, 403)
})

test('private-map-key input errors', async () => {
  const a = await app({ now: () => NOW * 1000 })
  const h = bearer(await jwt({ roles: ['host'] }, { exp: NOW + 600 }))
  const both = await post(a, '/v1/private-map-key', { roomId: 1234, strRoomId: 'live-1' }, h)
  assert.equal(both.status, 400)
  assert.equal(both.body.error.code, 'INVALID_REQUEST')
  assert.equal((await post(a, '/v1/private-map-key', {}, h)).status, 400)
  assert.equal((await post(a, '/v1/private-map-key', { roomId: 0 }, h)).status, 400)
  assert.equal((await post(a, '/v1/private-map-key', { roomId: 4294967295 }, h)).status, 400)
  assert.equal((await post(a, '/v1/private-map-key', { strRoomId: 'live/1' }, h)).status, 400)
  assert.equal((await post(a, '/v1/private-map-key', { strRoomId: 'x'.repeat(65) }, h)).status, 400)
  const priv = await post(a, '/v1/private-map-key', { strRoomId: 'live-1', privileges: 'superuser' }, h)
  assert.equal(priv.status, 400)
  assert.equal(priv.body.error.code, 'INVALID_PRIVILEGES')
  assert.equal((await post(a, '/v1/private-map-key', { strRoomId: 'live-1', privileges: 256 }, h)).status, 400)
})

test('no PrivateMapKey policy configured: every request is denied with a reason', async () => {
  const a = await app({ now: () => NOW * 1000, patch: (c) => { delete c.policy } })
  const r = await post(a, '/v1/private-map-key', { roomId: 1234 }, bearer(await jwt({ roles: ['host'] }, { exp: NOW + 600 })))
  assert.equal(r.status, 403)
  assert.equal(r.body.error.code, 'ROOM_NOT_ALLOWED')
  assert.match(r.body.error.message, /no PrivateMapKey policy/)
})
