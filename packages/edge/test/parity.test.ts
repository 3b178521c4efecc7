// The edge handler and the Node service (@usersig/server, in-process through fastify's inject) given the same config
// object and the same requests answer with the same status, the same error code and the same body fields, so a
// deployment can move between the two without touching its apps.
//
// The cases issue 11 settled in the service are compared too: a JWT without `exp`, an anonymous request naming a
// userId, out-of-range room ids and privileges; and issue 15's caller userId with surrounding whitespace.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createApp, resolveConfig } from '@usersig/server'
import { verifyUserSig } from 'usersig'
import { createHandler } from '../src/index.js'
import { deploymentEnv, mintJwt, ORIGIN } from './helpers/secrets.js'

const env = deploymentEnv()
const config = {
  apps: [{ sdkAppId: env['USERSIG_SDKAPPID'], secretKeyEnv: 'USERSIG_SECRET_KEY', userSig: { defaultExpiresIn: '1d', maxExpiresIn: '2d' } }],
  auth: { jwt: { secretEnv: 'USERSIG_JWT_SECRET' } },
  policy: { privateMapKey: { rules: [{ rooms: ['team-{userId}'], privileges: 'all' }, { rooms: ['lobby-*', 77], privileges: 'audience' }] } },
  rateLimit: { perUser: '1000/1m', perIp: '1000/1m' },
  server: { cors: { origins: [ORIGIN] } },
}

interface Case {
  name: string
  method: string
  path: string
  auth?: 'alice' | 'expired' | 'forged' | 'notjwt' | 'noexp' | 'future' | 'farexp' | 'leading' | 'trailing' | 'blank'
  headers?: Record<string, string>
  body?: string
}

const json = (o: unknown) => JSON.stringify(o)
const CASES: Case[] = [
  { name: 'healthz', method: 'GET', path: '/healthz' },
  { name: 'no credentials', method: 'POST', path: '/v1/usersig', body: json({}) },
  { name: 'valid JWT', method: 'POST', path: '/v1/usersig', auth: 'alice', body: json({}) },
  { name: 'valid JWT, TTL clamped', method: 'POST', path: '/v1/usersig', auth: 'alice', body: json({ expiresIn: '30d' }) },
  { name: 'userId in body', method: 'POST', path: '/v1/usersig', auth: 'alice', body: json({ userId: 'bob' }) },
  { name: 'unknown field', method: 'POST', path: '/v1/usersig', auth: 'alice', body: json({ admin: true }) },
  { name: 'unknown app', method: 'POST', path: '/v1/usersig', auth: 'alice', body: json({ sdkAppId: 1400999999 }) },
  { name: 'bad expiresIn', method: 'POST', path: '/v1/usersig', auth: 'alice', body: json({ expiresIn: 'soon' }) },
  { name: 'lifetime in milliseconds', method: 'POST', path: '/v1/usersig', auth: 'alice', body: json({ expiresIn: 86400000 }) },
  { name: 'lifetime in milliseconds, meant: clamped', method: 'POST', path: '/v1/usersig', auth: 'alice', body: json({ expiresIn: 86400000, allowUnusualLifetime: true }) },
  { name: 'allowUnusualLifetime not a boolean', method: 'POST', path: '/v1/usersig', auth: 'alice', body: json({ expiresIn: 86400000, allowUnusualLifetime: 1 }) },
  { name: 'PMK lifetime in milliseconds', method: 'POST', path: '/v1/private-map-key', auth: 'alice', body: json({ strRoomId: 'team-alice', expiresIn: 3600000 }) },
  { name: 'PMK lifetime in milliseconds, meant', method: 'POST', path: '/v1/private-map-key', auth: 'alice', body: json({ strRoomId: 'team-alice', expiresIn: 3600000, allowUnusualLifetime: true }) },
  { name: 'invalid JSON', method: 'POST', path: '/v1/usersig', auth: 'alice', body: '{"sdkAppId":' },
  { name: 'not JSON', method: 'POST', path: '/v1/usersig', auth: 'alice', headers: { 'content-type': 'text/plain' }, body: 'hello' },
  { name: 'too large', method: 'POST', path: '/v1/usersig', auth: 'alice', body: json({ pad: 'x'.repeat(9000) }) },
  { name: 'expired JWT', method: 'POST', path: '/v1/usersig', auth: 'expired', body: json({}) },
  { name: 'forged JWT', method: 'POST', path: '/v1/usersig', auth: 'forged', body: json({}) },
  { name: 'bearer not a JWT', method: 'POST', path: '/v1/usersig', auth: 'notjwt', body: json({}) },
  { name: 'PMK inside', method: 'POST', path: '/v1/private-map-key', auth: 'alice', body: json({ strRoomId: 'team-alice' }) },
  { name: 'PMK numeric room', method: 'POST', path: '/v1/private-map-key', auth: 'alice', body: json({ roomId: 77 }) },
  { name: 'PMK narrowed', method: 'POST', path: '/v1/private-map-key', auth: 'alice', body: json({ strRoomId: 'lobby-9', privileges: 'anchor' }) },
  { name: 'PMK outside', method: 'POST', path: '/v1/private-map-key', auth: 'alice', body: json({ strRoomId: 'team-bob' }) },
  { name: 'PMK privileges denied', method: 'POST', path: '/v1/private-map-key', auth: 'alice', body: json({ strRoomId: 'lobby-9', privileges: ['sendVideo'] }) },
  { name: 'PMK two rooms', method: 'POST', path: '/v1/private-map-key', auth: 'alice', body: json({ roomId: 77, strRoomId: 'x' }) },
  { name: 'PMK no room', method: 'POST', path: '/v1/private-map-key', auth: 'alice', body: json({}) },
  { name: 'JWT without exp', method: 'POST', path: '/v1/usersig', auth: 'noexp', body: json({}) },
  { name: 'JWT issued in the future', method: 'POST', path: '/v1/usersig', auth: 'future', body: json({}) },
  { name: 'JWT exp beyond the maximum token age', method: 'POST', path: '/v1/usersig', auth: 'farexp', body: json({}) },
  { name: 'anonymous with userId in body', method: 'POST', path: '/v1/usersig', body: json({ userId: 'bob' }) },
  { name: 'anonymous PMK', method: 'POST', path: '/v1/private-map-key', body: json({ strRoomId: 'team-alice' }) },
  { name: 'PMK roomId 0', method: 'POST', path: '/v1/private-map-key', auth: 'alice', body: json({ roomId: 0 }) },
  { name: 'PMK roomId over 2^32', method: 'POST', path: '/v1/private-map-key', auth: 'alice', body: json({ roomId: 2 ** 32 }) },
  { name: 'PMK roomId negative', method: 'POST', path: '/v1/private-map-key', auth: 'alice', body: json({ roomId: -1 }) },
  { name: 'PMK empty strRoomId', method: 'POST', path: '/v1/private-map-key', auth: 'alice', body: json({ strRoomId: '' }) },
  { name: 'PMK privileges over 255', method: 'POST', path: '/v1/private-map-key', auth: 'alice', body: json({ strRoomId: 'team-alice', privileges: 256 }) },
  { name: 'PMK privileges unknown name', method: 'POST', path: '/v1/private-map-key', auth: 'alice', body: json({ strRoomId: 'team-alice', privileges: ['fly'] }) },
  { name: 'PMK privileges zero', method: 'POST', path: '/v1/private-map-key', auth: 'alice', body: json({ strRoomId: 'team-alice', privileges: 0 }) },
  { name: 'JWT sub with leading whitespace', method: 'POST', path: '/v1/usersig', auth: 'leading', body: json({}) },
  { name: 'JWT sub of only whitespace', method: 'POST', path: '/v1/usersig', auth: 'blank', body: json({}) },
  { name: 'PMK for a JWT sub with trailing whitespace', method: 'POST', path: '/v1/private-map-key', auth: 'trailing', body: json({ strRoomId: 'lobby-9' }) },
  { name: 'unknown route', method: 'GET', path: '/v1/nothing' },
  { name: 'GET on an issuing route', method: 'GET', path: '/v1/usersig' },
]

describe('parity: the edge handler and the Node service answer alike', () => {
  let app: Awaited<ReturnType<typeof createApp>>
  const edge = createHandler(config, { env, audit: false, log: false })
  const tokens: Record<string, string> = {}
  before(async () => {
    app = await createApp({ config: resolveConfig(structuredClone(config), { env }), logger: false, auditLogger: null, staticDir: null })
    tokens['alice'] = await mintJwt(env['USERSIG_JWT_SECRET']!, 'alice')
    tokens['expired'] = await mintJwt(env['USERSIG_JWT_SECRET']!, 'alice', { expiresIn: -120, issuedAt: -600 })
    tokens['forged'] = await mintJwt('f'.repeat(48), 'alice')
    tokens['notjwt'] = 'not-a-jwt'
    tokens['noexp'] = await mintJwt(env['USERSIG_JWT_SECRET']!, 'alice', { expiresIn: null })
    tokens['farexp'] = await mintJwt(env['USERSIG_JWT_SECRET']!, 'alice', { expiresIn: 3 * 86400 })
    tokens['future'] = await mintJwt(env['USERSIG_JWT_SECRET']!, 'alice', { issuedAt: 3600, expiresIn: 3900 })
    tokens['leading'] = await mintJwt(env['USERSIG_JWT_SECRET']!, ' alice')
    tokens['trailing'] = await mintJwt(env['USERSIG_JWT_SECRET']!, 'alice ')
    tokens['blank'] = await mintJwt(env['USERSIG_JWT_SECRET']!, '   ')
  })
  after(() => app?.close())

  for (const c of CASES) {
    it(c.name, async () => {
      const headers: Record<string, string> = { ...(c.body !== undefined ? { 'content-type': 'application/json' } : {}), ...c.headers }
      if (c.auth) headers['authorization'] = `Bearer ${tokens[c.auth]}`
      const s = await app.inject({ method: c.method as 'GET', url: c.path, headers, ...(c.body !== undefined ? { payload: c.body } : {}) })
      const e = await edge(new Request(`https://edge.example${c.path}`, { method: c.method, headers, ...(c.body !== undefined ? { body: c.body } : {}) }))
      const eText = await e.text()
      assert.equal(e.status, s.statusCode, `service ${s.body} / edge ${eText}`)
      const sb = JSON.parse(s.body)
      const eb = JSON.parse(eText)
      if (sb.error) assert.equal(eb.error?.code, sb.error.code)
      else {
        assert.deepEqual(Object.keys(eb).sort(), Object.keys(sb).sort())
        for (const k of ['userId', 'sdkAppId', 'privileges', 'privilegeNames', 'strRoomId', 'roomId', 'status']) assert.deepEqual(eb[k], sb[k], k)
        if ('expiresAt' in sb) assert.equal(eb.expiresAt - eb.issuedAt, sb.expiresAt - sb.issuedAt)
        // A PrivateMapKey comes back as privateMapKey; userSig repeats it for one release (deprecated).
        if (c.path === '/v1/private-map-key') {
          for (const b of [sb, eb]) {
            assert.equal(typeof b.privateMapKey, 'string')
            assert.equal(b.userSig, b.privateMapKey)
          }
        } else assert.equal('privateMapKey' in sb || 'privateMapKey' in eb, false)
      }
      for (const h of ['cache-control', 'x-content-type-options', 'www-authenticate', 'retry-after']) assert.equal(e.headers.get(h), s.headers[h] ?? null, h)
    })
  }

  it('allowUnusualLifetime: refused without it, accepted with it and clamped to maxExpiresIn, by both', async () => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${tokens['alice']}` }
    for (const [body, status, ttl] of [[{ expiresIn: 86400000 }, 400, 0], [{ expiresIn: 86400000, allowUnusualLifetime: true }, 200, 2 * 86400]] as const) {
      const s = await app.inject({ method: 'POST', url: '/v1/usersig', headers, payload: json(body) })
      const e = await edge(new Request('https://edge.example/v1/usersig', { method: 'POST', headers, body: json(body) }))
      const eb = await e.json()
      for (const [st, b] of [[s.statusCode, JSON.parse(s.body)], [e.status, eb]] as const) {
        assert.equal(st, status)
        if (status === 400) assert.equal(b.error.code, 'INVALID_EXPIRES_IN')
        else assert.equal(b.expiresAt - b.issuedAt, ttl)
      }
    }
  })

  it('a caller userId with surrounding whitespace: the same refusal from both; with apps[].allowUnusualUserId both issue for exactly it', async () => {
    const allowing = structuredClone(config)
    Object.assign(allowing.apps[0]!, { allowUnusualUserId: true })
    const allowApp = await createApp({ config: resolveConfig(structuredClone(allowing), { env }), logger: false, auditLogger: null, staticDir: null })
    after(() => allowApp.close())
    const allowEdge = createHandler(allowing, { env, audit: false, log: false })
    for (const [token, userId] of [['leading', ' alice'], ['trailing', 'alice '], ['blank', '   ']] as const) {
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${tokens[token]}` }
      const ask = async (a: typeof app, h: typeof edge) => {
        const s = await a.inject({ method: 'POST', url: '/v1/usersig', headers, payload: '{}' })
        const e = await h(new Request('https://edge.example/v1/usersig', { method: 'POST', headers, body: '{}' }))
        return [[s.statusCode, JSON.parse(s.body)], [e.status, await e.json()]] as const
      }
      const [sRefused, eRefused] = await ask(app, edge)
      assert.deepEqual(eRefused, sRefused, 'the same status, code and message')
      assert.equal(sRefused[0], 403)
      assert.equal(sRefused[1].error.code, 'USERID_NOT_ALLOWED')
      assert.match(sRefused[1].error.message, /whitespace.*70013.*allowUnusualUserId/)
      for (const [status, b] of await ask(allowApp, allowEdge)) {
        assert.equal(status, 200, JSON.stringify(b))
        assert.equal(b.userId, userId)
        assert.equal(verifyUserSig(b.userSig, { sdkAppId: Number(env['USERSIG_SDKAPPID']), userId, secretKey: env['USERSIG_SECRET_KEY']! }).ok, true)
      }
    }
  })

  it('CORS preflight from an allowed and from a refused origin', async () => {
    for (const origin of [ORIGIN, 'https://evil.example']) {
      const headers = { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' }
      const s = await app.inject({ method: 'OPTIONS', url: '/v1/usersig', headers })
      const e = await edge(new Request('https://edge.example/v1/usersig', { method: 'OPTIONS', headers }))
      assert.equal(e.status, s.statusCode)
      for (const h of ['access-control-allow-origin', 'access-control-allow-methods', 'access-control-max-age', 'vary']) assert.equal(e.headers.get(h), s.headers[h] ?? null, h)
      if (s.statusCode !== 204) assert.equal((await e.json()).error.code, JSON.parse(s.body).error.code)
    }
  })
})
