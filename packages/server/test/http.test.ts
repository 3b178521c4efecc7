import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { verifyUserSig } from 'usersig'
import { openApiDocument } from '../src/index.js'
import { ADMIN_KEY, app, bearer, config, get, jwt, localServer, LOGS, post, remember, SDKAPPID, SECRET_KEY, sha256, tmpDir, VERIFY_KEY } from './helpers.js'

test('GET /healthz, /readyz, /metrics, /openapi.json', async () => {
  const a = await app()
  assert.deepEqual((await get(a, '/healthz')).body, { status: 'ok' })
  const ready = await get(a, '/readyz')
  assert.equal(ready.status, 200)
  assert.equal(ready.body.status, 'ready')
  assert.equal(ready.body.checks.store, 'memory')

  await post(a, '/v1/usersig', {}, bearer(await jwt()))
  await post(a, '/v1/private-map-key', { roomId: 1234 }, bearer(await jwt()))
  await post(a, '/v1/private-map-key', { roomId: 5 }, bearer(await jwt()))
  await post(a, '/v1/usersig', {})
  const m = await get(a, '/metrics')
  assert.equal(m.status, 200)
  assert.match(String(m.headers['content-type']), /text\/plain/)
  assert.match(m.text, new RegExp(`usersig_issued_total\\{sdkAppId="${SDKAPPID}",kind="usersig"\\} 1`))
  assert.match(m.text, new RegExp(`usersig_issued_total\\{sdkAppId="${SDKAPPID}",kind="privateMapKey"\\} 1`))
  assert.match(m.text, /usersig_denied_total\{reason="ROOM_NOT_ALLOWED",kind="privateMapKey"\} 1/)
  assert.match(m.text, /usersig_denied_total\{reason="UNAUTHENTICATED",kind="usersig"\} 1/)
  assert.match(m.text, /usersig_http_request_duration_seconds_bucket\{le="0.005",method="POST",route="\/v1\/usersig",status_code="200"\}/)
  assert.match(m.text, /usersig_rate_limited_total/)

  const doc = await get(a, '/openapi.json')
  assert.equal(doc.status, 200)
  assert.equal(doc.body.openapi, '3.1.0')
  for (const path of ['/v1/usersig', '/v1/private-map-key', '/v1/verify', '/v1/explain', '/v1/admin/usersig', '/v1/admin/apps', '/v1/admin/audit', '/healthz', '/readyz', '/metrics']) {
    assert.ok(doc.body.paths[path], path)
  }
  // Every route the app serves is documented.
  for (const [method, url] of Object.entries(doc.body.paths).flatMap(([url, ops]) => Object.keys(ops as object).map((m) => [m.toUpperCase(), url] as const))) {
    assert.ok(a.hasRoute({ method: method as 'GET', url: url as string }), `${method} ${url} is documented but not served`)
  }
  // The committed openapi.json is the served one.
  const committed = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'))
  assert.deepEqual(committed, JSON.parse(JSON.stringify(openApiDocument())), 'packages/server/openapi.json is stale: run npm run openapi -w packages/server')
})

test('security headers, request id, error body for unknown routes', async () => {
  const a = await app()
  const r = await post(a, '/v1/usersig', {}, bearer(await jwt()))
  assert.equal(r.headers['x-content-type-options'], 'nosniff')
  assert.equal(r.headers['x-frame-options'], 'DENY')
  assert.equal(r.headers['referrer-policy'], 'no-referrer')
  assert.match(String(r.headers['content-security-policy']), /default-src 'none'/)
  assert.equal(r.headers['cache-control'], 'no-store')
  assert.match(String(r.headers['x-request-id']), /^[0-9a-f-]{36}$/)
  const nf = await get(a, '/nope')
  assert.equal(nf.status, 404)
  assert.deepEqual(Object.keys(nf.body), ['error'])
  assert.equal(nf.body.error.code, 'NOT_FOUND')
  const wrongMethod = await get(a, '/v1/usersig')
  assert.equal(wrongMethod.status, 404)
  assert.equal(wrongMethod.body.error.code, 'NOT_FOUND')
})

test('CORS: only allowlisted origins get CORS headers; preflight', async () => {
  const a = await app({ patch: (c) => { c.server = { cors: { origins: ['https://app.example'] } } } })
  const ok = await a.inject({ method: 'OPTIONS', url: '/v1/usersig', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } })
  assert.equal(ok.statusCode, 204)
  assert.equal(ok.headers['access-control-allow-origin'], 'https://app.example')
  assert.match(String(ok.headers['access-control-allow-headers']), /authorization/)
  const evil = await a.inject({ method: 'OPTIONS', url: '/v1/usersig', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } })
  assert.equal(evil.headers['access-control-allow-origin'], undefined)
  const simple = await post(a, '/v1/usersig', {}, { ...bearer(await jwt()), origin: 'https://evil.example' })
  assert.equal(simple.headers['access-control-allow-origin'], undefined)
  const allowed = await post(a, '/v1/usersig', {}, { ...bearer(await jwt()), origin: 'https://app.example' })
  assert.equal(allowed.headers['access-control-allow-origin'], 'https://app.example')
})

test('the console is served from the static dir; without one, a small page links /openapi.json', async () => {
  const dir = tmpDir()
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title><script src="app.js"></script>')
  writeFileSync(join(dir, 'app.js'), 'console.log(1)')
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'assets', 'a.css'), 'body{}')
  writeFileSync(join(dir, '.env'), 'SECRET=1')
  const a = await app({ staticDir: dir })
  const index = await get(a, '/')
  assert.equal(index.status, 200)
  assert.match(index.text, /<title>console<\/title>/)
  assert.match(String(index.headers['content-security-policy']), /script-src 'self'/)
  assert.match(String(index.headers['content-type']), /text\/html/)
  assert.equal((await get(a, '/app.js')).text, 'console.log(1)')
  assert.match(String((await get(a, '/assets/a.css')).headers['content-type']), /text\/css/)
  assert.equal((await get(a, '/.env')).status, 404)
  assert.equal((await get(a, '/../package.json')).status, 404)
  assert.equal((await get(a, '/%2e%2e/%2e%2e/etc/passwd')).status, 404)
  assert.equal((await get(a, '/assets')).status, 404)
  assert.equal((await get(a, '/healthz')).body.status, 'ok', 'API routes win over static files')

  const b = await app({ staticDir: null })
  const fallback = await get(b, '/')
  assert.equal(fallback.status, 200)
  assert.match(fallback.text, /href="\/openapi.json"/)
})

test('rate limits: per user and per address, 429 with Retry-After', async () => {
  let clock = 1_800_000_000_000
  const a = await app({ now: () => clock, patch: (c) => { c.rateLimit = { algorithm: 'fixed', perUser: '3/1m', perIp: '4/1m' } } })
  const alice = bearer(await jwt({}, { exp: 1_800_000_000 + 3600 }))
  const bob = bearer(await jwt({}, { exp: 1_800_000_000 + 3600, sub: 'bob' }))
  for (let i = 0; i < 3; i++) assert.equal((await post(a, '/v1/usersig', {}, alice)).status, 200)
  const limited = await post(a, '/v1/usersig', {}, alice)
  assert.equal(limited.status, 429)
  assert.equal(limited.body.error.code, 'RATE_LIMITED')
  assert.equal(limited.headers['retry-after'], '60')
  assert.match(limited.body.error.message, /user limit/)
  assert.equal((await post(a, '/v1/usersig', {}, bob)).status, 429, 'the address limit (4) is shared')
  const metrics = await get(a, '/metrics')
  assert.match(metrics.text, /usersig_rate_limited_total\{scope="user"\} 1/)
  assert.match(metrics.text, /usersig_rate_limited_total\{scope="ip"\} 1/)
  clock += 60_000
  assert.equal((await post(a, '/v1/usersig', {}, alice)).status, 200, 'next window')
  const other = await a.inject({ method: 'POST', url: '/v1/usersig', remoteAddress: '10.9.9.9', headers: { 'content-type': 'application/json', ...bob }, payload: '{}' })
  assert.equal(other.statusCode, 200, 'another address has its own budget')
})

test('sliding window limits smooth across the window edge', async () => {
  let clock = 1_800_000_000_000 - (1_800_000_000_000 % 60_000)
  const a = await app({ now: () => clock, patch: (c) => { c.rateLimit = { algorithm: 'sliding', perUser: '10/1m', perIp: false } } })
  const h = bearer(await jwt({}, { exp: 1_800_000_000 + 3600 }))
  clock += 50_000
  for (let i = 0; i < 10; i++) assert.equal((await post(a, '/v1/usersig', {}, h)).status, 200)
  assert.equal((await post(a, '/v1/usersig', {}, h)).status, 429)
  clock += 15_000 // 5 s into the next window: the previous 10 still weigh 10 * 55/60 ≈ 9.2
  const r = await post(a, '/v1/usersig', {}, h)
  assert.equal(r.status, 429, 'a fixed window would have reset here')
  assert.ok(Number(r.headers['retry-after']) >= 1)
  clock += Number(r.headers['retry-after']) * 1000
  assert.equal((await post(a, '/v1/usersig', {}, h)).status, 200, 'Retry-After was long enough')
})

test('PMK webhook policy: allow with privileges, deny with a reason, failures are 503', async () => {
  const calls: Record<string, unknown>[] = []
  const hook = await localServer((req, body) => {
    const b = JSON.parse(body)
    calls.push({ ...b, secret: req.headers['x-hook-secret'] })
    if (b.strRoomId === 'down') return { status: 500 }
    if (b.strRoomId === 'garbage') return { body: 'not json' }
    if (b.strRoomId === 'slow') return { delayMs: 1500, body: { allow: true } }
    if (b.userId === 'alice' && b.strRoomId === 'show') return { body: { allow: true, privileges: 'anchor' } }
    return { body: { allow: false, reason: 'not a member of this room\n' } }
  })
  const a = await app({ patch: (c) => { c.policy = { privateMapKey: { webhook: { url: `${hook.url}/policy`, timeout: '1s', headers: { 'x-hook-secret': 'shared-1' } } } } } })
  const h = bearer(await jwt({ roles: ['viewer'] }))
  const ok = await post(a, '/v1/private-map-key', { strRoomId: 'show', privileges: ['enter', 'sendAudio'] }, h)
  assert.equal(ok.status, 200, JSON.stringify(ok.body))
  assert.equal(ok.body.privileges, 2 | 4)
  assert.deepEqual(calls[0], { sdkAppId: SDKAPPID, userId: 'alice', roles: ['viewer'], strRoomId: 'show', privileges: 6, secret: 'shared-1' })
  assert.equal(verifyUserSig(ok.body.userSig, { sdkAppId: SDKAPPID, userId: 'alice', secretKey: SECRET_KEY }).ok, true)
  const denied = await post(a, '/v1/private-map-key', { strRoomId: 'other' }, h)
  assert.equal(denied.status, 403)
  assert.equal(denied.body.error.code, 'ROOM_NOT_ALLOWED')
  assert.match(denied.body.error.message, /not a member of this room$/)
  for (const room of ['down', 'garbage', 'slow']) {
    const r = await post(a, '/v1/private-map-key', { strRoomId: room }, h)
    assert.equal(r.status, 503, room)
    assert.equal(r.body.error.code, 'POLICY_UNAVAILABLE')
  }
})

test('reload swaps keys and rules without a restart; in-flight requests keep the old runtime', async () => {
  const a = await app()
  const before = await post(a, '/v1/usersig', {}, bearer(await jwt()))
  const newKey = 'e'.repeat(64)
  const restart = a.usersig.reload(config((c) => { c.apps[0].secretKey = newKey; c.server = { port: 9999 } }))
  assert.deepEqual(restart, ['server.port'])
  const after = await post(a, '/v1/usersig', {}, bearer(await jwt()))
  assert.equal(verifyUserSig(before.body.userSig, { sdkAppId: SDKAPPID, userId: 'alice', secretKey: SECRET_KEY }).ok, true)
  assert.equal(verifyUserSig(after.body.userSig, { sdkAppId: SDKAPPID, userId: 'alice', secretKey: newKey }).ok, true)
  const apps = await get(a, '/v1/admin/apps', { 'x-api-key': ADMIN_KEY })
  assert.notEqual(apps.body.apps[0].keyId, (await import('usersig')).keyFingerprint(SECRET_KEY))
})

test('while shutting down: requests still served with Connection: close, /readyz 503 SHUTTING_DOWN, /healthz 200', async () => {
  const a = await app()
  a.usersig.beginShutdown()
  const r = await post(a, '/v1/usersig', {}, bearer(await jwt()))
  assert.equal(r.status, 200)
  assert.equal(r.headers['connection'], 'close')
  assert.equal((await get(a, '/readyz')).body.error.code, 'SHUTTING_DOWN')
  assert.equal((await get(a, '/readyz')).status, 503)
  assert.equal((await get(a, '/healthz')).status, 200)
})

test('an unexpected failure is 500 INTERNAL with the request id, logged without details that could hold secrets', async () => {
  const broken = { hit: async () => { throw new Error('store exploded') }, health: () => ({ ok: true, detail: 'broken' }), close: async () => {} }
  const a = await app({ store: broken })
  const r = await post(a, '/v1/usersig', {}, bearer(await jwt()))
  assert.equal(r.status, 500)
  assert.deepEqual(r.body, { error: { code: 'INTERNAL', message: 'internal error; the request id is in the x-request-id header' } })
  assert.ok(r.headers['x-request-id'])
  const [event] = a.usersig.audit.recent(1)
  assert.equal(event!.outcome, 'error')
  assert.equal(event!.reason, 'INTERNAL')
  assert.ok(LOGS.some((l) => l.includes('unexpected error') && l.includes(String(r.headers['x-request-id']))), 'logged with the request id')
})

test('GET /metrics with metrics.requireApiKey: 401 without a key, 403 without the scope, 200 with metrics or admin', async () => {
  const promKey = remember(`prom-${'p'.repeat(32)}`)
  const a = await app({
    patch: (c) => {
      c.metrics = { requireApiKey: true }
      c.auth.apiKeys = [...c.auth.apiKeys, { name: 'prometheus', sha256: sha256(promKey), scopes: ['metrics'] }]
    },
  })
  const none = await get(a, '/metrics')
  assert.equal(none.status, 401)
  assert.match(String(none.headers['www-authenticate']), /Bearer/)
  assert.equal((await get(a, '/metrics', { 'x-api-key': VERIFY_KEY })).status, 401, 'a key without the scope looks like an unknown key')
  assert.equal((await get(a, '/metrics', { 'x-api-key': `${promKey}x` })).status, 401)
  const ok = await get(a, '/metrics', bearer(promKey))
  assert.equal(ok.status, 200)
  assert.match(ok.text, /usersig_issued_total/)
  assert.equal((await get(a, '/metrics', { 'x-api-key': ADMIN_KEY })).status, 200)
  // The prometheus key reads metrics only.
  assert.equal((await get(a, '/v1/admin/apps', bearer(promKey))).status, 401)
  assert.equal((await get(a, '/healthz')).status, 200, 'health stays open')
})

test('CORS for the console opened from disk: the "null" origin when listed, for API-key routes and /metrics', async () => {
  const a = await app({ patch: (c) => { c.server = { cors: { origins: ['null'] } } } })
  const pre = await a.inject({ method: 'OPTIONS', url: '/v1/admin/apps', headers: { origin: 'null', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-api-key' } })
  assert.equal(pre.statusCode, 204)
  assert.equal(pre.headers['access-control-allow-origin'], 'null')
  assert.match(String(pre.headers['access-control-allow-headers']), /x-api-key/)
  assert.equal(pre.headers['access-control-allow-credentials'], undefined, 'never with cookies')
  const apps = await a.inject({ method: 'GET', url: '/v1/admin/apps', headers: { origin: 'null', 'x-api-key': ADMIN_KEY } })
  assert.equal(apps.statusCode, 200)
  assert.equal(apps.headers['access-control-allow-origin'], 'null')
  const noKey = await a.inject({ method: 'GET', url: '/v1/admin/apps', headers: { origin: 'null' } })
  assert.equal(noKey.statusCode, 401, 'the origin grants nothing by itself')
  // Not listed: no CORS headers for file:// pages.
  const b = await app({ patch: (c) => { c.server = { cors: { origins: ['https://app.example'] } } } })
  const other = await b.inject({ method: 'GET', url: '/v1/admin/apps', headers: { origin: 'null', 'x-api-key': ADMIN_KEY } })
  assert.equal(other.headers['access-control-allow-origin'], undefined)
})
