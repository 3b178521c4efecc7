/**
 * One suite for every template, the runtime as a parameter: the same requests and the same answers whether the
 * handler runs in workerd, Deno, Bun, edge-runtime, Node or behind the Lambda/SCF adapters. The last test scans
 * everything the runtime logged for the secret key, the JWT secret, every JWT sent and every UserSig received.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { verifyUserSig } from 'usersig'
import { mintJwt, ORIGIN, SDKAPPID } from './secrets.js'

export interface Exchange {
  status: number
  headers: Headers
  text: string
}

export type Send = (method: string, path: string, headers?: Record<string, string>, body?: string) => Promise<Exchange>

/** Requests over HTTP to a running runtime. */
export function httpSend(base: () => string): Send {
  return async (method, path, headers = {}, body) => {
    const res = await fetch(base() + path, { method, headers, ...(body === undefined ? {} : { body }) })
    return { status: res.status, headers: res.headers, text: await res.text() }
  }
}

export interface Target {
  send: Send
  /** The platform's environment the handler was given (holds the secrets). */
  env: Record<string, string>
  /** Everything the runtime logged. */
  logs(): string
}

function json(x: Exchange): Record<string, any> {
  return JSON.parse(x.text)
}

function assertError(x: Exchange, status: number, code: string): void {
  assert.equal(x.status, status, x.text)
  const b = json(x)
  assert.deepEqual(Object.keys(b), ['error'])
  assert.equal(b['error'].code, code)
  assert.equal(typeof b['error'].message, 'string')
}

/** The secret strings and the forms they would take if something encoded them before logging. */
function forms(s: string): string[] {
  return [s, Buffer.from(s).toString('base64'), Buffer.from(s).toString('base64url'), encodeURIComponent(s)]
}

export function conformance(target: Target): void {
  const seen: string[] = []
  const secret = () => target.env['USERSIG_JWT_SECRET']!
  async function token(sub: string, o?: Parameters<typeof mintJwt>[2]): Promise<string> {
    const t = await mintJwt(secret(), sub, o)
    seen.push(t)
    return t
  }
  const post = async (path: string, jwt: string | null, body?: unknown) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (jwt) headers['authorization'] = `Bearer ${jwt}`
    return target.send('POST', path, headers, body === undefined ? undefined : JSON.stringify(body))
  }

  it('GET /healthz answers ok', async () => {
    const x = await target.send('GET', '/healthz')
    assert.equal(x.status, 200)
    assert.deepEqual(json(x), { status: 'ok' })
  })

  it('no credentials: 401 UNAUTHENTICATED, even with a userId in the body', async () => {
    const x = await post('/v1/usersig', null)
    assertError(x, 401, 'UNAUTHENTICATED')
    assert.match(x.headers.get('www-authenticate') ?? '', /^Bearer/)
    assertError(await post('/v1/usersig', null, { userId: 'mallory' }), 401, 'UNAUTHENTICATED')
  })

  it('a valid JWT: 200 with a UserSig for exactly its sub', async () => {
    const x = await post('/v1/usersig', await token('alice'), { expiresIn: '1h' })
    assert.equal(x.status, 200, x.text)
    const b = json(x)
    seen.push(b['userSig'])
    assert.equal(b['userId'], 'alice')
    assert.equal(b['sdkAppId'], SDKAPPID)
    assert.equal(b['expiresAt'] - b['issuedAt'], 3600)
    assert.equal(x.headers.get('cache-control'), 'no-store')
    const key = { sdkAppId: SDKAPPID, secretKey: target.env['USERSIG_SECRET_KEY']! }
    assert.equal(verifyUserSig(b['userSig'], { ...key, userId: 'alice' }).ok, true)
    assert.equal(verifyUserSig(b['userSig'], { ...key, userId: 'bob' }).ok, false)
  })

  it('a body naming another userId: 400 USERID_IN_BODY', async () => {
    assertError(await post('/v1/usersig', await token('alice'), { userId: 'bob' }), 400, 'USERID_IN_BODY')
  })

  it('a JWT without exp: 401', async () => {
    assertError(await post('/v1/usersig', await token('alice', { expiresIn: null })), 401, 'TOKEN_INVALID')
  })

  it('an expired JWT: 401 TOKEN_EXPIRED', async () => {
    assertError(await post('/v1/usersig', await token('alice', { expiresIn: -120, issuedAt: -720 })), 401, 'TOKEN_EXPIRED')
  })

  it('a JWT issued in the future or living too long: 401', async () => {
    assertError(await post('/v1/usersig', await token('alice', { issuedAt: 3600, expiresIn: 7200 })), 401, 'TOKEN_INVALID')
    assertError(await post('/v1/usersig', await token('alice', { expiresIn: 100 * 365 * 86400 })), 401, 'TOKEN_INVALID')
  })

  it('a JWT signed with another secret: 401 TOKEN_INVALID', async () => {
    const forged = await mintJwt('x'.repeat(48), 'alice')
    assertError(await post('/v1/usersig', forged), 401, 'TOKEN_INVALID')
  })

  it('a PrivateMapKey inside the policy: 200; outside: 403', async () => {
    const jwt = await token('alice')
    const ok = await post('/v1/private-map-key', jwt, { strRoomId: 'team-alice' })
    assert.equal(ok.status, 200, ok.text)
    const b = json(ok)
    seen.push(b['userSig'])
    assert.equal(b['privileges'], 255)
    assert.equal(b['strRoomId'], 'team-alice')
    assert.equal(verifyUserSig(b['userSig'], { sdkAppId: SDKAPPID, userId: 'alice', secretKey: target.env['USERSIG_SECRET_KEY']! }).ok, true)
    const narrowed = await post('/v1/private-map-key', jwt, { strRoomId: 'lobby-1', privileges: 'anchor' })
    assert.equal(narrowed.status, 200, narrowed.text)
    seen.push(json(narrowed)['userSig'])
    assert.ok(json(narrowed)['privileges'] < 255)
    assertError(await post('/v1/private-map-key', jwt, { strRoomId: 'team-bob' }), 403, 'ROOM_NOT_ALLOWED')
    assertError(await post('/v1/private-map-key', jwt, { strRoomId: 'lobby-1', privileges: ['sendVideo'] }), 403, 'PRIVILEGES_DENIED')
  })

  it('bad bodies get the envelope: invalid JSON, unknown field, too large', async () => {
    const jwt = await token('alice')
    const send = target.send
    assertError(await send('POST', '/v1/usersig', { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' }, '{"sdkAppId":'), 400, 'INVALID_JSON')
    assertError(await post('/v1/usersig', jwt, { admin: true }), 400, 'INVALID_REQUEST')
    assertError(await post('/v1/usersig', jwt, { pad: 'x'.repeat(20000) }), 413, 'PAYLOAD_TOO_LARGE')
    assertError(await send('GET', '/v1/usersig'), 404, 'NOT_FOUND')
  })

  it('CORS preflight: the allowed origin gets the headers, another origin none', async () => {
    const pre = (origin: string) =>
      target.send('OPTIONS', '/v1/usersig', { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' })
    const ok = await pre(ORIGIN)
    assert.equal(ok.status, 204)
    assert.equal(ok.headers.get('access-control-allow-origin'), ORIGIN)
    assert.match(ok.headers.get('access-control-allow-headers') ?? '', /authorization/)
    assert.match(ok.headers.get('access-control-allow-methods') ?? '', /POST/)
    const refused = await pre('https://evil.example')
    assert.equal(refused.headers.get('access-control-allow-origin'), null)
    assert.equal(refused.headers.get('access-control-allow-methods'), null)
    assertError(refused, 404, 'NOT_FOUND')
  })

  it('nothing secret in anything the runtime logged (key, JWT secret, JWTs, UserSigs)', async () => {
    // Give the runtime a moment to flush what it wrote during the last requests.
    await new Promise((r) => setTimeout(r, 200))
    const logs = target.logs()
    assert.match(logs, /"audit"/, 'the runtime logged no audit line: the scan would prove nothing')
    const secrets = [target.env['USERSIG_SECRET_KEY']!, secret(), ...seen]
    assert.ok(seen.length >= 10)
    for (const s of secrets) for (const f of forms(s)) assert.equal(logs.includes(f), false, 'a secret (or its encoding) appears in the runtime log')
  })
}
