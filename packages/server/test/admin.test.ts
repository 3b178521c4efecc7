import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createSigner, verifyUserSig } from 'usersig'
import { ADMIN_KEY, app, bearer, config, get, ISSUE_KEY, jwt, legacyApp, post, remember, SDKAPPID, SDKAPPID_2, SECRET_KEY, SECRET_KEY_2, VERIFY_KEY } from './helpers.js'

const NOW = 1_800_000_000

test('POST /v1/admin/usersig: any userId with an "issue" or "admin" key; checked against the UserID policy', async () => {
  const a = await app({ now: () => NOW * 1000 })
  for (const headers of [{ 'x-api-key': ISSUE_KEY }, bearer(ADMIN_KEY)]) {
    const r = await post(a, '/v1/admin/usersig', { userId: 'administrator', expiresIn: '180d' }, headers)
    assert.equal(r.status, 200, JSON.stringify(r.body))
    assert.equal(r.body.userId, 'administrator')
    assert.equal(r.body.expiresAt - r.body.issuedAt, 7 * 86400, 'clamped to maxExpiresIn')
    assert.equal(verifyUserSig(r.body.userSig, { sdkAppId: SDKAPPID, userId: 'administrator', secretKey: SECRET_KEY, now: NOW }).ok, true)
  }
  const second = await post(a, '/v1/admin/usersig', { userId: 'svc_1', sdkAppId: SDKAPPID_2 }, { 'x-api-key': ISSUE_KEY })
  assert.equal(verifyUserSig(second.body.userSig, { sdkAppId: SDKAPPID_2, userId: 'svc_1', secretKey: SECRET_KEY_2, now: NOW }).ok, true)
  const badId = await post(a, '/v1/admin/usersig', { userId: 'has space', sdkAppId: SDKAPPID_2 }, { 'x-api-key': ISSUE_KEY })
  assert.equal(badId.status, 400)
  assert.equal(badId.body.error.code, 'INVALID_USERID')
  const missing = await post(a, '/v1/admin/usersig', {}, { 'x-api-key': ISSUE_KEY })
  assert.equal(missing.status, 400)
})

test('admin credentials: missing 401, unknown 401, wrong scope 403, a user JWT is not an admin credential', async () => {
  const a = await app({ now: () => NOW * 1000 })
  const none = await post(a, '/v1/admin/usersig', { userId: 'x' })
  assert.equal(none.status, 401)
  assert.equal(none.body.error.code, 'UNAUTHENTICATED')
  const wrong = await post(a, '/v1/admin/usersig', { userId: 'x' }, { 'x-api-key': 'not-a-key-at-all-0000000000' })
  assert.equal(wrong.status, 401)
  // A valid key without the scope is answered exactly like an unknown key (issue 11: no oracle for which keys exist).
  const scope = await post(a, '/v1/admin/usersig', { userId: 'x' }, { 'x-api-key': VERIFY_KEY })
  assert.equal(scope.status, 401)
  assert.deepEqual(scope.body, wrong.body)
  assert.equal(scope.headers['www-authenticate'], wrong.headers['www-authenticate'])
  const userJwt = await post(a, '/v1/admin/usersig', { userId: 'x' }, bearer(await jwt({ roles: ['admin'] }, { exp: NOW + 60 })))
  assert.equal(userJwt.status, 401)
  assert.equal((await get(a, '/v1/admin/apps', { 'x-api-key': ISSUE_KEY })).status, 401)
  assert.equal((await get(a, '/v1/admin/audit', { 'x-api-key': VERIFY_KEY })).status, 401)
  assert.equal((await post(a, '/v1/verify', { token: 'x', userId: 'x' }, { 'x-api-key': ISSUE_KEY })).status, 401)
  assert.equal((await post(a, '/v1/explain', { token: 'x' })).status, 401)
})

test('POST /v1/verify with the configured keys: valid, expired, wrong user, wrong key, malformed', async () => {
  const a = await app({ now: () => NOW * 1000 })
  const signer = createSigner({ sdkAppId: SDKAPPID, secretKey: SECRET_KEY })
  const sig = remember(signer.userSig('alice', { expiresIn: 3600, now: NOW - 10 }))
  const h = { 'x-api-key': VERIFY_KEY }
  const ok = await post(a, '/v1/verify', { token: sig, userId: 'alice' }, h)
  assert.equal(ok.status, 200)
  assert.equal(ok.body.ok, true)
  assert.equal(ok.body.sdkAppId, SDKAPPID)
  assert.equal(ok.body.keyId, signer.keyId)
  assert.equal(ok.body.payload.userId, 'alice')
  const expired = await post(a, '/v1/verify', { token: sig, userId: 'alice', now: NOW + 7200 }, h)
  assert.equal(expired.body.ok, false)
  assert.equal(expired.body.reason, 'EXPIRED')
  assert.equal(expired.body.tencentCode, 70001)
  const mismatch = await post(a, '/v1/verify', { token: sig, userId: 'bob' }, h)
  assert.equal(mismatch.body.reason, 'IDENTIFIER_MISMATCH')
  // Signed by app 2's key, checked for app 1.
  const other = remember(createSigner({ sdkAppId: SDKAPPID, secretKey: SECRET_KEY_2 }).userSig('alice', { now: NOW }))
  assert.equal((await post(a, '/v1/verify', { token: other, userId: 'alice' }, h)).body.reason, 'SIGNATURE_INVALID')
  // The app is taken from the token when not given.
  const second = remember(createSigner({ sdkAppId: SDKAPPID_2, secretKey: SECRET_KEY_2 }).userSig('alice', { now: NOW }))
  const auto = await post(a, '/v1/verify', { token: second, userId: 'alice' }, h)
  assert.equal(auto.body.ok, true)
  assert.equal(auto.body.sdkAppId, SDKAPPID_2)
  const malformed = await post(a, '/v1/verify', { token: 'not a usersig', userId: 'alice' }, h)
  assert.equal(malformed.status, 200)
  assert.equal(malformed.body.ok, false)
  assert.equal(malformed.body.reason, 'MALFORMED')
  assert.equal((await post(a, '/v1/verify', { token: sig, userId: 'alice', sdkAppId: 7 }, h)).status, 404)
  assert.equal((await post(a, '/v1/verify', { token: sig }, h)).status, 400)
})

test('POST /v1/verify uses each app\'s held verifier: a request clock tolerance still applies, a reload swaps the key', async () => {
  const a = await app({ now: () => NOW * 1000 })
  const h = { 'x-api-key': VERIFY_KEY }
  const sig = remember(createSigner({ sdkAppId: SDKAPPID, secretKey: SECRET_KEY }).userSig('alice', { expiresIn: 3600, now: NOW - 3600 - 30 }))
  // Expired 30 s ago: refused by the held verifier (no tolerance), accepted when the request allows 60 s of skew.
  assert.equal((await post(a, '/v1/verify', { token: sig, userId: 'alice' }, h)).body.reason, 'EXPIRED')
  assert.equal((await post(a, '/v1/verify', { token: sig, userId: 'alice', clockTolerance: 0 }, h)).body.reason, 'EXPIRED')
  assert.equal((await post(a, '/v1/verify', { token: sig, userId: 'alice', clockTolerance: 60 }, h)).body.ok, true)
  // Key rotation by reload: the new verifier takes the new key and no longer the old one.
  const newKey = remember('e'.repeat(64))
  a.usersig.reload(config((c) => { c.apps[0].secretKey = newKey }))
  const rotated = createSigner({ sdkAppId: SDKAPPID, secretKey: newKey })
  const fresh = remember(rotated.userSig('alice', { expiresIn: 3600, now: NOW }))
  const ok = await post(a, '/v1/verify', { token: fresh, userId: 'alice' }, h)
  assert.equal(ok.body.ok, true)
  assert.equal(ok.body.keyId, rotated.keyId)
  const old = remember(createSigner({ sdkAppId: SDKAPPID, secretKey: SECRET_KEY }).userSig('alice', { expiresIn: 3600, now: NOW }))
  assert.equal((await post(a, '/v1/verify', { token: old, userId: 'alice' }, h)).body.reason, 'SIGNATURE_INVALID')
})

test('POST /v1/verify for a legacy ECDSA app: its verifier holds the public key', async () => {
  const { app: a } = await legacyApp('P-256')
  try {
    const issued = await post(a, '/v1/usersig', {}, bearer(await jwt()))
    assert.equal(issued.status, 200)
    const h = { 'x-api-key': VERIFY_KEY }
    const ok = await post(a, '/v1/verify', { token: issued.body.userSig, userId: 'alice' }, h)
    assert.equal(ok.body.ok, true, JSON.stringify(ok.body))
    assert.equal((await post(a, '/v1/verify', { token: issued.body.userSig, userId: 'bob' }, h)).body.reason, 'IDENTIFIER_MISMATCH')
    const tolerant = await post(a, '/v1/verify', { token: issued.body.userSig, userId: 'alice', clockTolerance: 5 }, h)
    assert.equal(tolerant.body.ok, true)
  } finally {
    await a.close()
  }
})

test('POST /v1/explain names the app whose key signed it, never the key', async () => {
  const a = await app({ now: () => NOW * 1000 })
  const sig = remember(createSigner({ sdkAppId: SDKAPPID_2, secretKey: SECRET_KEY_2 }).userSig('alice', { now: NOW }))
  const r = await post(a, '/v1/explain', { token: sig, userId: 'alice' }, { 'x-api-key': ADMIN_KEY })
  assert.equal(r.status, 200)
  assert.equal(r.body.verdict, 'valid')
  assert.ok(Array.isArray(r.body.findings))
  const text = JSON.stringify(r.body)
  assert.ok(!text.includes(SECRET_KEY_2) && !text.includes(SECRET_KEY))
  const wrongKey = remember(createSigner({ sdkAppId: SDKAPPID, secretKey: 'f'.repeat(64) }).userSig('alice', { now: NOW }))
  const bad = await post(a, '/v1/explain', { token: wrongKey, userId: 'alice' }, { 'x-api-key': ADMIN_KEY })
  assert.equal(bad.body.verdict, 'invalid')
  assert.equal(bad.body.tencentCode, 70009)
  const both = await post(a, '/v1/explain', { token: sig, roomId: 1, strRoomId: 'a' }, { 'x-api-key': ADMIN_KEY })
  assert.equal(both.status, 400)
})

test('POST /v1/explain and /v1/verify answer one keyId for one token; the app is named in its own fields', async () => {
  const a = await app({ now: () => NOW * 1000 })
  const signer = createSigner({ sdkAppId: SDKAPPID, secretKey: SECRET_KEY })
  const sig = remember(signer.userSig('alice', { now: NOW }))
  const h = { 'x-api-key': ADMIN_KEY }
  const verified = await post(a, '/v1/verify', { token: sig, userId: 'alice' }, h)
  const explained = await post(a, '/v1/explain', { token: sig, userId: 'alice' }, h)
  assert.equal(explained.body.verdict, 'valid')
  assert.equal(verified.body.keyId, signer.keyId)
  assert.equal(explained.body.keyId, signer.keyId, 'the key id, not a display string')
  assert.match(explained.body.summary, new RegExp(`key "${signer.keyId}";`))
  for (const b of [verified.body, explained.body]) {
    assert.equal(b.sdkAppId, SDKAPPID)
    assert.equal(b.app, 'main')
  }
  // The SDKAppID as digits: the same app, by the core's one rule.
  const digits = await post(a, '/v1/explain', { token: sig, sdkAppId: String(SDKAPPID) }, h)
  assert.equal(digits.status, 200)
  assert.equal(digits.body.sdkAppId, SDKAPPID)
  const bad = await post(a, '/v1/verify', { token: sig, userId: 'alice', sdkAppId: '1.5' }, h)
  assert.equal(bad.status, 400)
  assert.equal(bad.body.error.code, 'INVALID_SDKAPPID')
})

test('POST /v1/explain: a pasted "Bearer <token>" of another app is checked against that app, as its token names it', async () => {
  const a = await app({ now: () => NOW * 1000 })
  const second = remember(createSigner({ sdkAppId: SDKAPPID_2, secretKey: SECRET_KEY_2 }).userSig('alice', { now: NOW }))
  const r = await post(a, '/v1/explain', { token: `Bearer ${second}`, userId: 'alice' }, { 'x-api-key': ADMIN_KEY })
  assert.equal(r.status, 200)
  assert.equal(r.body.sdkAppId, SDKAPPID_2, 'not the default app')
  assert.equal(r.body.app, 'second')
  assert.equal(r.body.verdict, 'valid')
})

test('GET /v1/admin/apps names the lifetime bounds userSigExpiresIn and privateMapKeyExpiresIn, in seconds', async () => {
  const a = await app({ now: () => NOW * 1000 })
  const apps = await get(a, '/v1/admin/apps', { 'x-api-key': ADMIN_KEY })
  assert.deepEqual(apps.body.apps[0].userSigExpiresIn, { defaultExpiresIn: 86400, minExpiresIn: 600, maxExpiresIn: 604800 })
  assert.deepEqual(apps.body.apps[0].privateMapKeyExpiresIn, { defaultExpiresIn: 300, minExpiresIn: 60, maxExpiresIn: 3600 })
  assert.equal('userSig' in apps.body.apps[0], false, 'userSig names a token, never a policy')
  assert.equal('privateMapKey' in apps.body.apps[0], false)
})

test('GET /v1/admin/apps lists fingerprints, never keys; GET /v1/admin/audit returns recent decisions', async () => {
  const a = await app({ now: () => NOW * 1000 })
  const apps = await get(a, '/v1/admin/apps', { 'x-api-key': ADMIN_KEY })
  assert.equal(apps.status, 200)
  assert.equal(apps.body.defaultSdkAppId, SDKAPPID)
  assert.deepEqual(apps.body.apps.map((x: { sdkAppId: number }) => x.sdkAppId), [SDKAPPID, SDKAPPID_2])
  assert.equal(apps.body.apps[0].algorithm, 'hmac')
  assert.equal(apps.body.apps[0].keyId, createSigner({ sdkAppId: SDKAPPID, secretKey: SECRET_KEY }).keyId)
  assert.ok(!apps.text.includes(SECRET_KEY) && !apps.text.includes(SECRET_KEY_2))

  await post(a, '/v1/usersig', {}, bearer(await jwt({}, { exp: NOW + 60 })))
  await post(a, '/v1/usersig', { userId: 'x' }, bearer(await jwt({}, { exp: NOW + 60 })))
  await post(a, '/v1/usersig', {})
  await post(a, '/v1/private-map-key', { roomId: 999 }, bearer(await jwt({}, { exp: NOW + 60, sub: 'bob' })))
  const audit = await get(a, '/v1/admin/audit?limit=10', { 'x-api-key': ADMIN_KEY })
  assert.equal(audit.status, 200)
  const events = audit.body.events
  assert.equal(events.length, 4)
  assert.equal(events[0].kind, 'privateMapKey')
  assert.equal(events[0].outcome, 'denied')
  assert.equal(events[0].reason, 'ROOM_NOT_ALLOWED')
  assert.equal(events[0].roomId, 999)
  assert.equal(events[1].reason, 'UNAUTHENTICATED')
  // The body is judged only once the caller is known (issue 11): the impersonation attempt is audited with who made it.
  assert.equal(events[2].reason, 'USERID_IN_BODY')
  assert.equal(events[2].outcome, 'denied')
  assert.equal(events[2].userId, 'alice')
  assert.equal(events[2].auth, 'jwt')
  assert.equal(events[3].outcome, 'issued')
  assert.equal(events[3].userId, 'alice')
  assert.equal(events[3].keyId, apps.body.apps[0].keyId)
  assert.ok(!audit.text.includes('eJ'), 'no UserSig in audit events')
  assert.equal((await get(a, '/v1/admin/audit?limit=1', { 'x-api-key': ADMIN_KEY })).body.events.length, 1)
  assert.equal((await get(a, '/v1/admin/audit?limit=abc', { 'x-api-key': ADMIN_KEY })).status, 400)
  assert.equal((await get(a, '/v1/admin/audit?limit=0', { 'x-api-key': ADMIN_KEY })).status, 400)
})

test('requests refused before their handler runs are audited and counted on the audited routes, reads are not', async () => {
  const a = await app({ now: () => NOW * 1000 })
  const token = bearer(await jwt({}, { exp: NOW + 60 }))
  const cases: [string, string, Record<string, string>, number, string][] = [
    ['/v1/usersig', JSON.stringify({ x: SECRET_KEY }), token, 400, 'INVALID_REQUEST'],
    ['/v1/usersig', '{"broken', token, 400, 'INVALID_JSON'],
    ['/v1/private-map-key', JSON.stringify({ roomId: 'x'.repeat(40) }), token, 400, 'INVALID_ROOM_ID'],
    ['/v1/private-map-key', JSON.stringify({ roomId: 1, pad: 'x'.repeat(70_000) }), token, 413, 'PAYLOAD_TOO_LARGE'],
    ['/v1/admin/usersig', JSON.stringify({}), { 'x-api-key': ADMIN_KEY }, 400, 'INVALID_REQUEST'],
    ['/v1/verify', JSON.stringify({ token: 1, userId: 'alice' }), { 'x-api-key': VERIFY_KEY }, 400, 'INVALID_REQUEST'],
    ['/v1/explain', 'token=x', { 'x-api-key': ADMIN_KEY, 'content-type': 'application/x-www-form-urlencoded' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
  ]
  for (const [url, body, headers, status, code] of cases) {
    const r = await a.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/json', ...headers } })
    assert.equal(r.statusCode, status, `${url} ${body.slice(0, 40)}`)
    assert.equal(r.json().error.code, code)
  }
  assert.equal((await get(a, '/v1/admin/audit?limit=abc', { 'x-api-key': ADMIN_KEY })).status, 400)
  const audit = await get(a, '/v1/admin/audit?limit=50', { 'x-api-key': ADMIN_KEY })
  const events = audit.body.events.slice().reverse()
  assert.deepEqual(events.map((e: { kind: string; reason: string }) => [e.kind, e.reason]), [
    ['usersig', 'INVALID_REQUEST'], ['usersig', 'INVALID_JSON'], ['privateMapKey', 'INVALID_ROOM_ID'], ['privateMapKey', 'PAYLOAD_TOO_LARGE'],
    ['adminUserSig', 'INVALID_REQUEST'], ['verify', 'INVALID_REQUEST'], ['explain', 'UNSUPPORTED_MEDIA_TYPE'],
  ])
  for (const e of events) {
    assert.equal(e.outcome, 'denied')
    assert.equal(typeof e.requestId, 'string')
    assert.equal(e.clientIp, '127.0.0.1')
  }
  assert.ok(!audit.text.includes(SECRET_KEY), 'no request body in audit events')
  const metrics = (await get(a, '/metrics')).text
  assert.match(metrics, /usersig_denied_total\{[^}]*reason="INVALID_JSON"[^}]*\} 1/)
  assert.match(metrics, /usersig_denied_total\{[^}]*reason="PAYLOAD_TOO_LARGE"[^}]*\} 1/)
})
