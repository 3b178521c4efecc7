import { test } from 'node:test'
import assert from 'node:assert/strict'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { verifyUserSig } from 'usersig'
import { app, AUDIENCE, bearer, ISSUER, localServer, post, remember, SDKAPPID, SECRET_KEY, writeTmp } from './helpers.js'

const NOW = Math.floor(Date.now() / 1000)

async function keys(alg: 'RS256' | 'ES256', kid: string) {
  const { publicKey, privateKey } = await generateKeyPair(alg)
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }
  const sign = async (claims: Record<string, unknown>, opts: { aud?: string; exp?: number; sub?: string; kid?: string } = {}) =>
    remember(await new SignJWT(claims).setProtectedHeader({ alg, kid: opts.kid ?? kid }).setSubject(opts.sub ?? 'carol').setIssuer(ISSUER)
      .setAudience(opts.aud ?? AUDIENCE).setIssuedAt().setExpirationTime(opts.exp ?? NOW + 600).sign(privateKey))
  return { jwk, sign }
}

function jwtConfig(jwt: Record<string, unknown>) {
  return (c: Record<string, any>) => { c.auth.jwt = { issuer: ISSUER, audience: AUDIENCE, ...jwt } }
}

test('JWT with RS256 and ES256 from a JWKS file; userId and roles from configured claims', async () => {
  const rs = await keys('RS256', 'rs-1')
  const es = await keys('ES256', 'es-1')
  const file = writeTmp('jwks.json', JSON.stringify({ keys: [rs.jwk, es.jwk] }))
  const a = await app({ patch: jwtConfig({ jwksFile: file, userIdClaim: 'uid', rolesClaim: 'realm_access.roles' }) })
  for (const k of [rs, es]) {
    const r = await post(a, '/v1/private-map-key', { strRoomId: 'live-1' }, bearer(await k.sign({ uid: 'dave', realm_access: { roles: ['host'] } })))
    assert.equal(r.status, 200, JSON.stringify(r.body))
    assert.equal(r.body.userId, 'dave')
    assert.equal(r.body.privileges, 255, 'roles from a nested claim')
  }
  const noUid = await post(a, '/v1/usersig', {}, bearer(await rs.sign({})))
  assert.equal(noUid.status, 401)
  assert.match(noUid.body.error.message, /"uid"/)
  const unknownKid = await post(a, '/v1/usersig', {}, bearer(await rs.sign({ uid: 'x' }, { kid: 'nope' })))
  assert.equal(unknownKid.status, 401)
  assert.equal(unknownKid.body.error.code, 'TOKEN_INVALID')
  // An HS256 token signed with a public key's bytes (algorithm confusion) is refused: only RS256/ES256 allowed.
  const hs = remember(await new SignJWT({ uid: 'x' }).setProtectedHeader({ alg: 'HS256', kid: 'rs-1' }).setAudience(AUDIENCE).setIssuer(ISSUER).setExpirationTime(NOW + 60)
    .sign(new TextEncoder().encode(JSON.stringify(rs.jwk))))
  assert.equal((await post(a, '/v1/usersig', {}, bearer(hs))).status, 401)
})

test('JWT with a JWKS URL: fetched once and cached, refetched for a new kid (rotation), 503 when unreachable', async () => {
  const k1 = await keys('ES256', 'k1')
  const k2 = await keys('ES256', 'k2')
  let published = [k1.jwk]
  const jwks = await localServer(() => ({ body: { keys: published } }))
  const a = await app({ patch: jwtConfig({ jwksUrl: `${jwks.url}/.well-known/jwks.json`, jwksCooldown: '200ms' }) })
  for (let i = 0; i < 5; i++) {
    const r = await post(a, '/v1/usersig', {}, bearer(await k1.sign({}, { sub: `user${i}` })))
    assert.equal(r.status, 200)
  }
  assert.equal(jwks.hits, 1, 'JWKS cached')
  published = [k1.jwk, k2.jwk]
  await new Promise((r) => setTimeout(r, 250))
  const rotated = await post(a, '/v1/usersig', {}, bearer(await k2.sign({})))
  assert.equal(rotated.status, 200, JSON.stringify(rotated.body))
  assert.equal(jwks.hits, 2)
  const wrongAud = await post(a, '/v1/usersig', {}, bearer(await k2.sign({}, { aud: 'other-app' })))
  assert.equal(wrongAud.status, 401)
  assert.equal(wrongAud.body.error.code, 'TOKEN_INVALID')

  const b = await app({ patch: jwtConfig({ jwksUrl: 'http://127.0.0.1:1/jwks.json', jwksTimeout: '500ms' }) })
  const down = await post(b, '/v1/usersig', {}, bearer(await k1.sign({})))
  assert.equal(down.status, 503)
  assert.equal(down.body.error.code, 'AUTH_UNAVAILABLE')
})

test('trusted header: accepted only from the configured proxies', async () => {
  const a = await app({ patch: (c) => { c.auth.trustedHeader = { header: 'X-User-Id', rolesHeader: 'X-User-Roles', proxies: ['10.0.0.0/8', '127.0.0.1'] } } })
  const send = (remoteAddress: string, headers: Record<string, string>) =>
    a.inject({ method: 'POST', url: '/v1/private-map-key', remoteAddress, headers: { 'content-type': 'application/json', ...headers }, payload: '{"roomId":1234}' })
  const ok = await send('10.1.2.3', { 'x-user-id': 'erin', 'x-user-roles': 'host,viewer' })
  assert.equal(ok.statusCode, 200, ok.body)
  assert.equal(ok.json().userId, 'erin')
  assert.equal(ok.json().privileges, 255)
  remember(ok.json().userSig)
  assert.equal(verifyUserSig(ok.json().userSig, { sdkAppId: SDKAPPID, userId: 'erin', secretKey: SECRET_KEY }).ok, true)
  const mapped = await send('::ffff:127.0.0.1', { 'x-user-id': 'frank' })
  assert.equal(mapped.statusCode, 200)
  remember(mapped.json().userSig)
  const spoofed = await send('192.168.1.5', { 'x-user-id': 'erin', 'x-forwarded-for': '10.1.2.3' })
  assert.equal(spoofed.statusCode, 401)
  assert.match(spoofed.json().error.message, /only accepted from the configured proxies/)
  const empty = await send('10.1.2.3', { 'x-user-id': '' })
  assert.equal(empty.statusCode, 401)
})

test('forward auth: forwards Cookie/Authorization, caches briefly, 401 passes through, failures are 503', async () => {
  const seen: Record<string, unknown>[] = []
  const sessions: Record<string, { userId: string; roles: string[] }> = { 'session=s1': { userId: 'gina', roles: ['host'] }, 'session=s2': { userId: 'hank', roles: [] } }
  const auth = await localServer((req) => {
    seen.push({ cookie: req.headers.cookie, authorization: req.headers.authorization, userIdHeader: req.headers['x-user-id'] })
    const s = sessions[String(req.headers.cookie)]
    if (req.headers.cookie === 'session=slow') return { delayMs: 1500, body: {} }
    if (req.headers.cookie === 'session=broken') return { status: 500, body: {} }
    return s ? { body: { user: { id: s.userId }, roles: s.roles } } : { status: 401, body: {} }
  })
  let clock = Date.now()
  const a = await app({
    now: () => clock,
    patch: (c) => { c.auth.forwardAuth = { url: `${auth.url}/whoami`, userIdField: 'user.id', cacheTtl: '5s', timeout: '1s' } },
  })
  const r1 = await post(a, '/v1/private-map-key', { strRoomId: 'live-9' }, { cookie: 'session=s1' })
  assert.equal(r1.status, 200, JSON.stringify(r1.body))
  assert.equal(r1.body.userId, 'gina')
  assert.equal(r1.body.privileges, 255)
  assert.equal(seen[0]!['cookie'], 'session=s1')
  await post(a, '/v1/usersig', {}, { cookie: 'session=s1' })
  assert.equal(auth.hits, 1, 'cached')
  clock += 6000
  await post(a, '/v1/usersig', {}, { cookie: 'session=s1' })
  assert.equal(auth.hits, 2, 'cache expired')
  const hank = await post(a, '/v1/usersig', {}, { cookie: 'session=s2' })
  assert.equal(hank.body.userId, 'hank')
  const unknown = await post(a, '/v1/usersig', {}, { cookie: 'session=nope' })
  assert.equal(unknown.status, 401)
  assert.equal(unknown.body.error.code, 'UNAUTHENTICATED')
  const broken = await post(a, '/v1/usersig', {}, { cookie: 'session=broken' })
  assert.equal(broken.status, 503)
  assert.equal(broken.body.error.code, 'AUTH_UNAVAILABLE')
  const slow = await post(a, '/v1/usersig', {}, { cookie: 'session=slow' })
  assert.equal(slow.status, 503)
  const noCreds = await post(a, '/v1/usersig', {})
  assert.equal(noCreds.status, 401)
  // Concurrent identical lookups share one call.
  const before = auth.hits
  sessions['session=s3'] = { userId: 'ivy', roles: [] }
  const all = await Promise.all(Array.from({ length: 10 }, () => post(a, '/v1/usersig', {}, { cookie: 'session=s3' })))
  assert.ok(all.every((r) => r.status === 200))
  assert.equal(auth.hits - before, 1)
})

test('forward auth with the userId in a response header', async () => {
  const auth = await localServer((req) => (req.headers.authorization === 'Bearer opaque-1' ? { headers: { 'x-auth-user': 'jack' }, body: '' } : { status: 403 }))
  const a = await app({ patch: (c) => { delete c.auth.jwt; c.auth.forwardAuth = { url: auth.url, userIdHeader: 'X-Auth-User', forwardHeaders: ['authorization'] } } })
  const r = await post(a, '/v1/usersig', {}, { authorization: 'Bearer opaque-1' })
  assert.equal(r.status, 200)
  assert.equal(r.body.userId, 'jack')
  assert.equal((await post(a, '/v1/usersig', {}, { authorization: 'Bearer opaque-2' })).status, 401)
})

test('the demo authenticator exists only in demo mode', async () => {
  const a = await app()
  const r = await post(a, '/v1/usersig', {}, bearer('demo:alice'))
  assert.equal(r.status, 401)
  await assert.rejects(() => app({ patch: (c) => { c.auth.demo = true } }), /only available in the embedded demo/)
  const d = await app({ patch: (c) => { c.demo = true; c.auth.demo = true } })
  const ok = await post(d, '/v1/private-map-key', { roomId: 1234 }, { ...bearer('demo:kim%20lee'), 'x-demo-roles': 'host' })
  assert.equal(ok.status, 200)
  assert.equal(ok.body.userId, 'kim lee')
  assert.equal(ok.body.privileges, 255)
  assert.equal((await post(d, '/v1/usersig', {}, bearer('demo:'))).status, 401)
  assert.equal((await post(d, '/v1/usersig', {}, bearer('demo:%E0%A4%A'))).status, 401)
})

test('verified-token cache: never past exp; cacheTtl 0 checks every time; several HS algorithms', async () => {
  let clock = NOW * 1000
  const a = await app({ now: () => clock, patch: (c) => { c.auth.jwt.algorithms = ['HS256', 'HS384'] } })
  const { jwt: mk } = await import('./helpers.js')
  const short = await mk({}, { exp: NOW + 30 })
  assert.equal((await post(a, '/v1/usersig', {}, bearer(short))).status, 200)
  clock += 20_000
  assert.equal((await post(a, '/v1/usersig', {}, bearer(short))).status, 200, 'cached, still valid')
  clock += 20_000 + 6_000 // past exp + clockTolerance (5 s)
  const expired = await post(a, '/v1/usersig', {}, bearer(short))
  assert.equal(expired.status, 401)
  assert.equal(expired.body.error.code, 'TOKEN_EXPIRED')
  assert.equal((await post(a, '/v1/usersig', {}, bearer(await mk({}, { exp: NOW + 600, alg: 'HS384' })))).status, 200)
  assert.equal((await post(a, '/v1/usersig', {}, bearer(await mk({}, { exp: NOW + 600, alg: 'HS512' })))).status, 401)

  // With cacheTtl 0 every request is checked (concurrent requests with one token share the check).
  const b = await app({ patch: (c) => { c.auth.jwt.cacheTtl = 0 } })
  const t = await mk({})
  const all = await Promise.all(Array.from({ length: 5 }, () => post(b, '/v1/usersig', {}, bearer(t))))
  assert.ok(all.every((r) => r.status === 200))
})
