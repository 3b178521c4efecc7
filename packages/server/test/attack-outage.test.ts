/**
 * Standing adversarial suite (issue 11, item 1): an identity provider that fails — HTTP 500/503/404, a body that is not
 * JSON, a dropped connection, no answer in time — is an outage, not bad credentials: 503 AUTH_UNAVAILABLE with
 * Retry-After, audited as `unavailable` (not a denial), one log line when it starts and one when it ends.
 * Real local JWKS and forward-auth servers, made to fail in each way.
 */
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type ServerResponse } from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { AUDIENCE, ISSUER, remember } from './helpers.js'
import { call, serve, type Served } from './attack-helpers.js'

type Mode = 'ok' | 500 | 503 | 404 | 'html' | 'drop' | 'slow'

/** An HTTP server whose answer is switched by `mode`. */
async function provider(ok: (res: ServerResponse) => void) {
  const state = { mode: 'ok' as Mode, hits: 0 }
  const server = createServer((req, res) => {
    state.hits++
    const m = state.mode
    if (m === 'drop') return void req.socket.destroy()
    if (m === 'slow') return void setTimeout(() => ok(res), 1500).unref()
    if (m === 'html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>')
    if (typeof m === 'number') return void res.writeHead(m, { 'content-type': 'application/json' }).end('{"error":"down"}')
    ok(res)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  after(() => new Promise<void>((done) => { server.closeAllConnections(); server.close(() => done()) }))
  return { state, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

const MODES: Mode[] = [500, 503, 404, 'html', 'drop', 'slow']
const outageLines = (s: Served, source: RegExp) => s.logs.filter((l) => source.test(String(l.msg)) && /unavailable/.test(String(l.msg)))
const backLines = (s: Served, source: RegExp) => s.logs.filter((l) => source.test(String(l.msg)) && /available again/.test(String(l.msg)))

function isOutage(r: { status: number; headers: Headers; body: any }, what: string): void {
  assert.equal(r.status, 503, `${what}: ${JSON.stringify(r.body)}`)
  assert.equal(r.body.error.code, 'AUTH_UNAVAILABLE', what)
  assert.match(r.headers.get('retry-after') ?? '', /^\d+$/, `${what}: Retry-After`)
}

test('JWKS URL failing in every way: 503 with Retry-After, audited as an outage, logged once per outage', async () => {
  const { publicKey, privateKey } = await generateKeyPair('ES256')
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }
  const idp = await provider((res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })))
  const token = remember(await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setSubject('alice').setIssuer(ISSUER).setAudience(AUDIENCE)
    .setIssuedAt().setExpirationTime('10m').sign(privateKey))
  for (const mode of MODES) {
    idp.state.mode = mode
    let shift = 0
    const s = await serve((c) => { c.auth.jwt = { jwksUrl: `${idp.url}/jwks.json`, issuer: ISSUER, audience: AUDIENCE, jwksTimeout: '300ms' } }, { now: () => Date.now() + shift })
    const issue = () => call(s.url, '/v1/usersig', { body: {}, headers: { authorization: `Bearer ${token}` } })
    for (let i = 0; i < 8; i++) isOutage(await issue(), `JWKS ${mode}, request ${i}`)
    const audit = s.audit()
    assert.equal(audit.length, 8)
    assert.ok(audit.every((e) => e.outcome === 'unavailable' && e.reason === 'AUTH_UNAVAILABLE'), `JWKS ${mode}: audited as an outage, not a denial`)
    assert.equal(outageLines(s, /JWKS/).length, 1, `JWKS ${mode}: one log line for the outage, not one per request`)
    assert.ok(!s.logs.some((l) => l.level >= 40 && /AUTH_UNAVAILABLE|JWKS could not/.test(JSON.stringify(l)) && !l.audit && !/JWKS endpoint unavailable/.test(l.msg)), `JWKS ${mode}: no per-request warning`)
    // It comes back: the next try after Retry-After succeeds, and the end of the outage is logged once.
    idp.state.mode = 'ok'
    shift += 2500
    const back = await issue()
    assert.equal(back.status, 200, `JWKS ${mode} then ok: ${JSON.stringify(back.body)}`)
    remember(back.body.userSig)
    assert.equal((await issue()).status, 200)
    assert.equal(backLines(s, /JWKS/).length, 1, `JWKS ${mode}: one line when it is back`)
  }
})

test('forward-auth endpoint failing in every way: 503 with Retry-After, audited as an outage, logged once per outage', async () => {
  const auth = await provider((res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"userId":"alice"}'))
  for (const mode of MODES) {
    auth.state.mode = mode
    const s = await serve((c) => { c.auth.forwardAuth = { url: `${auth.url}/whoami`, timeout: '300ms', cacheTtl: 0 } })
    const issue = (n: number) => call(s.url, '/v1/usersig', { body: {}, headers: { cookie: `session=s${n}` } })
    for (let i = 0; i < 6; i++) isOutage(await issue(i), `forward auth ${mode}, request ${i}`)
    assert.ok(s.audit().every((e) => e.outcome === 'unavailable'), `forward auth ${mode}: audited as an outage`)
    assert.equal(outageLines(s, /forward-auth/).length, 1, `forward auth ${mode}: one log line for the outage`)
    auth.state.mode = 'ok'
    const back = await issue(99)
    assert.equal(back.status, 200, `forward auth ${mode} then ok: ${JSON.stringify(back.body)}`)
    remember(back.body.userSig)
    assert.equal(backLines(s, /forward-auth/).length, 1)
  }
})
