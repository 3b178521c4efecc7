/**
 * Issue 11, item 11: the documented error table and the codes the service really answers agree, both ways. Every code
 * in ERROR_STATUS (the table docs/service.md and /openapi.json are checked against) is produced here by a real request
 * over a real port with its documented status, and the docs table and the OpenAPI document name no other code.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { ERROR_STATUS, openApiDocument, type RateLimitStore } from '../src/index.js'
import { ADMIN_KEY, bearer, jwt, SDKAPPID_2 } from './helpers.js'
import { call, rawExchange, serve, type Answer, type RawAnswer } from './attack-helpers.js'

const doc = readFileSync(new URL('../../../docs/service.md', import.meta.url), 'utf8')

test('every documented code really occurs with its status, and nothing undocumented does', async () => {
  const s = await serve((c) => {
    c.rateLimit.perUser = '2/1m'
    c.policy.privateMapKey.rules.push({ rooms: ['quiet-*'], privileges: ['enter'] })
  })
  let n = 0
  const user = async (sub?: string, opts: Record<string, unknown> = {}) => bearer(await jwt({}, { sub: sub ?? `user${n++}`, ...opts }))
  const post = (path: string, body: unknown, headers: Record<string, string>) => call(s.url, path, { body, headers })
  const admin = { 'x-api-key': ADMIN_KEY }

  const broken: RateLimitStore = { hit: async () => { throw new Error('store bug') }, health: () => ({ ok: true, detail: 'broken' }), close: async () => {} }
  const internal = await serve(() => {}, { store: broken })
  const jwksDown = await serve((c) => { c.auth.jwt = { jwksUrl: 'http://127.0.0.1:1/jwks.json', issuer: 'x', audience: 'y', jwksTimeout: '200ms' } })
  const webhookDown = await serve((c) => { c.policy.privateMapKey = { webhook: { url: 'http://127.0.0.1:1/decide', timeout: '200ms' } } })
  const redisDown = await serve((c) => { c.rateLimit.redis = { url: 'redis://127.0.0.1:1', failMode: 'closed', commandTimeout: '200ms' } })
  const closing = await serve()
  // Node's HTTP parser answers these two before fastify sees the request (client-error.ts writes the envelope).
  const slowHeaders = await serve((c) => { c.server = { headersTimeout: '1s', requestTimeout: '2s', consoleDir: null } })
  closing.app.usersig.beginShutdown()

  const scenarios: Record<string, () => Promise<Answer | RawAnswer>> = {
    INVALID_JSON: async () => post('/v1/usersig', '{"broken', await user()),
    INVALID_REQUEST: async () => post('/v1/usersig', { colour: 'red' }, await user()),
    USERID_IN_BODY: async () => post('/v1/usersig', { userId: 'mallory' }, await user()),
    INVALID_EXPIRES_IN: async () => post('/v1/usersig', { expiresIn: 0 }, await user()),
    INVALID_ROOM_ID: async () => post('/v1/private-map-key', { roomId: 4294967295 }, await user()),
    INVALID_STR_ROOM_ID: async () => post('/v1/private-map-key', { strRoomId: 'live/1' }, await user()),
    INVALID_PRIVILEGES: async () => post('/v1/private-map-key', { roomId: 1234, privileges: 256 }, await user()),
    INVALID_USERID: async () => post('/v1/admin/usersig', { sdkAppId: SDKAPPID_2, userId: 'not strict!' }, admin),
    INVALID_SDKAPPID: async () => post('/v1/usersig', { sdkAppId: 0 }, await user()),
    UNAUTHENTICATED: async () => post('/v1/usersig', {}, {}),
    TOKEN_EXPIRED: async () => post('/v1/usersig', {}, await user(undefined, { exp: Math.floor(Date.now() / 1000) - 60 })),
    TOKEN_INVALID: async () => post('/v1/usersig', {}, await user(undefined, { aud: 'another-app' })),
    USERID_NOT_ALLOWED: async () => post('/v1/usersig', { sdkAppId: SDKAPPID_2 }, await user('not strict!')),
    ROOM_NOT_ALLOWED: async () => post('/v1/private-map-key', { roomId: 999 }, await user()),
    PRIVILEGES_DENIED: async () => post('/v1/private-map-key', { strRoomId: 'quiet-1', privileges: ['sendVideo'] }, await user()),
    UNKNOWN_SDKAPPID: async () => post('/v1/usersig', { sdkAppId: 1400999999 }, await user()),
    NOT_FOUND: () => call(s.url, '/v1/nothing-here'),
    PAYLOAD_TOO_LARGE: async () => post('/v1/usersig', { pad: 'x'.repeat(70_000) }, await user()),
    UNSUPPORTED_MEDIA_TYPE: async () => call(s.url, '/v1/usersig', { method: 'POST', body: 'a=b', headers: { ...(await user()), 'content-type': 'application/x-www-form-urlencoded' } }),
    RATE_LIMITED: async () => {
      const h = await user('busy')
      for (let i = 0; i < 2; i++) assert.equal((await post('/v1/usersig', {}, h)).status, 200)
      return post('/v1/usersig', {}, h)
    },
    INTERNAL: async () => call(internal.url, '/v1/usersig', { body: {}, headers: await user() }),
    AUTH_UNAVAILABLE: async () => call(jwksDown.url, '/v1/usersig', { body: {}, headers: { authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' } }),
    POLICY_UNAVAILABLE: async () => call(webhookDown.url, '/v1/private-map-key', { body: { roomId: 5 }, headers: await user() }),
    STORE_UNAVAILABLE: async () => call(redisDown.url, '/v1/usersig', { body: {}, headers: await user() }),
    // Requests are still served while draining (docs/service.md, shutdown order); /readyz is what says 503.
    SHUTTING_DOWN: () => call(closing.url, '/readyz'),
    // Headers that never finish: the server gives up after server.headersTimeout and answers before closing.
    REQUEST_TIMEOUT: () => rawExchange(slowHeaders.url, 'POST /v1/usersig HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'),
    // A header block over Node's limit (16 KiB by default).
    HEADERS_TOO_LARGE: () => rawExchange(s.url, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ${'p'.repeat(20_000)}\r\n\r\n`),
  }

  const documented = Object.keys(ERROR_STATUS).sort()
  assert.deepEqual(Object.keys(scenarios).sort(), documented, 'one scenario per documented code')
  for (const [code, run] of Object.entries(scenarios)) {
    const r = await run()
    assert.equal(r.body?.error?.code, code, `${code}: got ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`)
    assert.equal(r.status, ERROR_STATUS[code as keyof typeof ERROR_STATUS], `${code}: status`)
  }

  // The other way: the docs table and the OpenAPI document name exactly these codes.
  const table = doc.slice(doc.indexOf('## Errors'))
  const inDocs = new Set([...table.matchAll(/^\| `([A-Z_]+)`(?: \/ `([A-Z_]+)`)?/gm)].flatMap((m) => [m[1], m[2]]).filter((x): x is string => !!x))
  assert.deepEqual([...inDocs].sort(), documented, 'docs/service.md error table = ERROR_STATUS')
  const inOpenApi = new Set(JSON.stringify(openApiDocument()).match(/\b[A-Z]+(?:_[A-Z]+)+\b|\bINTERNAL\b/g) ?? [])
  for (const c of inOpenApi) assert.ok(c in ERROR_STATUS, `/openapi.json names ${c}, which is not in the table`)
})
