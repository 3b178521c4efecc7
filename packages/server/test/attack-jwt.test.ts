/**
 * Standing adversarial suite (issue 11), JWT attacks over a real port: each forged, altered or over-long-lived token
 * is refused with 401 and never signs a UserSig; an anonymous request is refused before its body is judged.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, base64url } from 'jose'
import { resolveConfig } from '../src/index.js'
import { AUDIENCE, baseConfig, ISSUER, JWT_SECRET, localServer, remember } from './helpers.js'
import { call, serve } from './attack-helpers.js'

const now = () => Math.floor(Date.now() / 1000)
const enc = (o: unknown) => base64url.encode(JSON.stringify(o))

async function hs(claims: Record<string, unknown>, header: Record<string, unknown> = {}, secret = JWT_SECRET): Promise<string> {
  return remember(await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', ...header }).sign(new TextEncoder().encode(secret)))
}

const good = () => ({ sub: 'alice', iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600 })

function refused(r: { status: number; body: any }, what: string, code?: string): void {
  assert.equal(r.status, 401, `${what}: ${JSON.stringify(r.body)}`)
  assert.equal(typeof r.body.userSig, 'undefined', what)
  if (code) assert.equal(r.body.error.code, code, what)
}

test('HS256 service: alg none, wrong secret, claims that do not hold, lifetimes that trust too much', async () => {
  const s = await serve()
  const issue = (token: string, body: unknown = {}) => call(s.url, '/v1/usersig', { body, headers: { authorization: `Bearer ${token}` } })
  assert.equal((await issue(await hs(good()))).status, 200, 'the control token works')

  const payload = good()
  refused(await issue(`${enc({ alg: 'none', typ: 'JWT' })}.${enc(payload)}.`), 'alg none')
  refused(await issue(`${enc({ alg: 'HS512' })}.${enc(payload)}.${base64url.encode('x'.repeat(64))}`), 'alg not configured')
  refused(await issue(await hs(payload, {}, `${JWT_SECRET}-guess`)), 'wrong secret', 'TOKEN_INVALID')
  const [h, , sig] = (await hs(payload)).split('.')
  refused(await issue(`${h}.${enc({ ...payload, sub: 'admin' })}.${sig}`), 'payload swapped under a valid signature', 'TOKEN_INVALID')

  refused(await issue(await hs({ ...good(), exp: now() - 60 })), 'expired', 'TOKEN_EXPIRED')
  refused(await issue(await hs({ ...good(), nbf: now() + 600 })), 'not yet valid', 'TOKEN_INVALID')
  refused(await issue(await hs({ ...good(), iss: 'https://evil.test' })), 'wrong iss', 'TOKEN_INVALID')
  refused(await issue(await hs({ ...good(), aud: 'another-app' })), 'wrong aud', 'TOKEN_INVALID')
  refused(await issue(await hs({ ...good(), sub: ['alice'] })), 'non-string subject')

  // Lifetimes (item 12): no exp, exp decades away, iat in the future, no iat (maxTokenAge needs it), too old.
  const { exp: _exp, ...noExp } = good()
  refused(await issue(await hs(noExp)), 'no exp', 'TOKEN_INVALID')
  refused(await issue(await hs({ ...good(), exp: now() + 100 * 365 * 86400 })), 'exp a century away', 'TOKEN_INVALID')
  refused(await issue(await hs({ ...good(), exp: now() + 2 * 86400 })), 'exp beyond maxTokenAge', 'TOKEN_INVALID')
  refused(await issue(await hs({ ...good(), iat: now() + 3600, exp: now() + 7200 })), 'iat in the future', 'TOKEN_INVALID')
  const { iat: _iat, ...noIat } = good()
  refused(await issue(await hs(noIat)), 'no iat')
  refused(await issue(await hs({ ...good(), iat: now() - 2 * 86400 })), 'older than maxTokenAge')

  // Huge tokens: refused without a 5xx, whether under or over the header size limit.
  const big = `${enc({ alg: 'HS256' })}.${base64url.encode('a'.repeat(6000))}.${base64url.encode('s'.repeat(32))}`
  refused(await issue(big), 'a 8 kB token')
  const huge = await call(s.url, '/v1/usersig', { body: {}, headers: { authorization: `Bearer ${'a'.repeat(40_000)}.b.c` } })
  assert.ok(huge.status === 401 || huge.status === 431, `a 40 kB token: ${huge.status}`)
  assert.ok(!s.audit().some((e) => e.outcome === 'issued' && e.userId !== 'alice'), 'nothing issued but to the control token')
})

test('an anonymous request is 401 before its body is judged; identity in the body or query is never used', async () => {
  const s = await serve()
  for (const body of [{ userId: 'mallory' }, { roomId: -1 }, { expiresIn: 0 }, '{"broken', { sdkAppId: 'x' }]) {
    const r = await call(s.url, '/v1/usersig', { body })
    refused(r, `anonymous ${JSON.stringify(body)}`, 'UNAUTHENTICATED')
    const p = await call(s.url, '/v1/private-map-key', { body })
    refused(p, `anonymous PMK ${JSON.stringify(body)}`, 'UNAUTHENTICATED')
  }
  const token = await hs(good())
  const withBody = await call(s.url, '/v1/usersig', { body: { userId: 'mallory' }, headers: { authorization: `Bearer ${token}` } })
  assert.equal(withBody.status, 400)
  assert.equal(withBody.body.error.code, 'USERID_IN_BODY')
  const attempt = s.audit().find((e) => e.reason === 'USERID_IN_BODY')
  assert.equal(attempt?.userId, 'alice', 'the impersonation attempt is audited with who made it')
  const query = await call(s.url, '/v1/usersig?userId=mallory&sub=mallory', { body: {}, headers: { authorization: `Bearer ${token}` } })
  assert.equal(query.status, 200)
  assert.equal(query.body.userId, 'alice')
  remember(query.body.userSig)
})

test('JWKS service: HS/RS confusion, kid and jku/jwk/x5u injection', async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256')
  const jwk = { ...(await exportJWK(publicKey)), kid: 'rs-1', alg: 'RS256', use: 'sig' }
  const attacker = await generateKeyPair('RS256')
  const attackerJwk = { ...(await exportJWK(attacker.publicKey)), kid: 'rs-1', alg: 'RS256' }
  const idp = await localServer(() => ({ body: { keys: [jwk] } }))
  const evil = await localServer(() => ({ body: { keys: [attackerJwk] } }))
  const s = await serve((c) => { c.auth.jwt = { jwksUrl: `${idp.url}/jwks.json`, issuer: ISSUER, audience: AUDIENCE, jwksCooldown: '1m' } })
  const issue = (token: string) => call(s.url, '/v1/usersig', { body: {}, headers: { authorization: `Bearer ${token}` } })
  const rs = async (key: CryptoKey, header: Record<string, unknown>) => remember(await new SignJWT(good()).setProtectedHeader({ alg: 'RS256', ...header }).sign(key))

  assert.equal((await issue(await rs(privateKey, { kid: 'rs-1' }))).status, 200, 'the control token works')
  // HS256 signed with the public key (PEM or JWK bytes) as the HMAC secret.
  const pem = await exportSPKI(publicKey)
  for (const secret of [pem, JSON.stringify(jwk)]) {
    const t = remember(await new SignJWT(good()).setProtectedHeader({ alg: 'HS256', kid: 'rs-1' }).sign(new TextEncoder().encode(secret)))
    refused(await issue(t), 'HS256 with the public key as secret')
  }
  refused(await issue(`${enc({ alg: 'none', kid: 'rs-1' })}.${enc(good())}.`), 'alg none with a kid')
  for (const kid of ['../../../../etc/passwd', "' OR '1'='1", 'rs-1\u0000', 'x'.repeat(2000)]) {
    refused(await issue(await rs(attacker.privateKey, { kid })), `kid ${JSON.stringify(kid.slice(0, 20))}`)
  }
  const evilBefore = evil.hits
  refused(await issue(await rs(attacker.privateKey, { kid: 'rs-1', jku: `${evil.url}/jwks.json` })), 'jku pointing at the attacker')
  refused(await issue(await rs(attacker.privateKey, { kid: 'rs-1', jwk: attackerJwk })), 'embedded jwk')
  refused(await issue(await rs(attacker.privateKey, { kid: 'rs-1', x5u: `${evil.url}/cert.pem` })), 'x5u pointing at the attacker')
  assert.equal(evil.hits, evilBefore, 'the attacker\'s key set was never fetched')
})

test('the lifetime checks are on by default and configurable by file and environment', async () => {
  const c = (jwtPatch: Record<string, unknown>, env: Record<string, string> = {}) =>
    resolveConfig({ ...baseConfig(), auth: { ...(baseConfig().auth as object), jwt: { secret: JWT_SECRET, ...jwtPatch } } }, { env }).auth.jwt!
  assert.deepEqual([c({}).requireExp, c({}).maxTokenAge], [true, 86400])
  assert.deepEqual([c({ requireExp: false, maxTokenAge: 'off' }).requireExp, c({ maxTokenAge: 'off' }).maxTokenAge], [false, null])
  assert.equal(c({ maxTokenAge: '12h' }).maxTokenAge, 43200)
  assert.equal(c({}, { USERSIG_JWT_MAX_TOKEN_AGE: '1h' }).maxTokenAge, 3600)
  assert.equal(c({}, { USERSIG_JWT_MAX_TOKEN_AGE: 'off' }).maxTokenAge, null)
  assert.equal(c({}, { USERSIG_JWT_REQUIRE_EXP: 'false' }).requireExp, false)
  assert.throws(() => c({ maxTokenAge: -1 }), /maxTokenAge/)
  // Turned off, a token without exp or iat is accepted again (an operator's explicit choice).
  const s = await serve((cfg) => { cfg.auth.jwt.requireExp = false; cfg.auth.jwt.maxTokenAge = 'off' })
  const { exp: _e, iat: _i, ...bare } = good()
  const r = await call(s.url, '/v1/usersig', { body: {}, headers: { authorization: `Bearer ${await hs(bare)}` } })
  assert.equal(r.status, 200, JSON.stringify(r.body))
  remember(r.body.userSig)
})
