// The pipeline in-process, and against real HTTP servers on 127.0.0.1 for the JWKS URL and the policy webhook.
import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, describe, it } from 'node:test'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { generateSecretKey, verifyUserSig } from 'usersig'
import { ConfigError, configFromEnv, createPipeline, hmacApp, memoryStore, validateConfig, type AuditEvent, type IssuedPrivateMapKey, type RequestView } from '../src/index.js'

const SDKAPPID = 1400000002
const KEY = generateSecretKey()
const JWT_SECRET = 'j'.repeat(40)

function view(o: Partial<RequestView> & { auth?: string; json?: unknown } = {}): RequestView {
  const h = new Headers({ 'content-type': 'application/json' })
  if (o.auth) h.set('authorization', `Bearer ${o.auth}`)
  return { method: o.method ?? 'POST', path: o.path ?? '/v1/usersig', headers: o.headers ?? h, body: o.body ?? (o.json === undefined ? '' : JSON.stringify(o.json)), clientAddress: o.clientAddress ?? '198.51.100.1' }
}

async function hs(sub: string, claims: Record<string, unknown> = {}, expSeconds: number | null = 600): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  const j = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(sub)
  if (claims['iat'] === undefined) j.setIssuedAt(now)
  if (expSeconds !== null) j.setExpirationTime(now + expSeconds)
  return j.sign(new TextEncoder().encode(JWT_SECRET))
}

const base = { apps: [{ sdkAppId: SDKAPPID, secretKeyEnv: 'KEY' }], auth: { jwt: { secretEnv: 'JWT' } } }
const env = { KEY, JWT: JWT_SECRET }

function code(a: { body: string }): string {
  return JSON.parse(a.body).error.code
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

describe('config', () => {
  it('secrets come from the environment by name; files are refused with a pointer to xxxEnv; values never echoed', () => {
    assert.throws(() => createPipeline({ ...base, apps: [{ sdkAppId: SDKAPPID, secretKeyFile: '/etc/key' }] }, { env }), (e: unknown) => {
      assert.ok(e instanceof ConfigError)
      assert.equal(e.field, 'apps[0].secretKeyFile')
      assert.match(e.message, /secretKeyEnv/)
      return true
    })
    assert.throws(() => createPipeline(base, { env: { JWT: JWT_SECRET } }), /KEY is not set/)
    const bad = `${KEY}\n`
    assert.throws(() => createPipeline(base, { env: { KEY: bad, JWT: JWT_SECRET } }), (e: unknown) => e instanceof ConfigError && !e.message.includes(bad))
    assert.throws(() => createPipeline({ ...base, apps: [{ sdkAppId: SDKAPPID, privateKeyEnv: 'PEM' }] }, { env }), /Node service/)
    assert.throws(() => createPipeline({ apps: base.apps }, { env }), /auth\.jwt or auth\.caller/)
    assert.throws(() => createPipeline({ ...base, cors: { origins: ['*'] } }, { env }), /wildcard/)
    assert.throws(() => createPipeline({ ...base, auth: { jwt: { jwksUrl: 'https://idp.example/jwks' } } }, { env }), /audience/)
  })
})

describe('configFromEnv: the service\'s variables', () => {
  it('names the secrets instead of copying them, and reads limits, CORS and the JWKS settings', () => {
    const e = { USERSIG_SDKAPPID: String(SDKAPPID), USERSIG_SECRET_KEY: KEY, USERSIG_JWKS_URL: 'https://idp.example/jwks', USERSIG_JWT_AUDIENCE: 'api', USERSIG_RATE_LIMIT_PER_IP: 'false', USERSIG_CORS_ORIGINS: 'https://a.example,https://b.example' }
    const c = configFromEnv(e)
    assert.equal(JSON.stringify(c).includes(KEY), false)
    assert.deepEqual(c['auth'], { jwt: { jwksUrl: 'https://idp.example/jwks', audience: 'api' } })
    const p = createPipeline(c, { env: e, audit: false, log: false })
    assert.equal(p.config.rateLimit.perIp, null)
    assert.deepEqual(p.config.cors.origins, ['https://a.example', 'https://b.example'])
    assert.equal(p.config.apps[0]!.secretKey, KEY)
  })
})

describe('who the caller is', () => {
  const events: AuditEvent[] = []
  const p = createPipeline(base, { env, audit: (e) => events.push(e), log: false })

  it('unauthenticated: 401 before the body is judged; the userId comes only from the token', async () => {
    assert.equal(code(await p.issueUserSig(view({ json: { userId: 'mallory' } }))), 'UNAUTHENTICATED')
    assert.equal(code(await p.issueUserSig(view({ body: '{not json' }))), 'UNAUTHENTICATED')
    const a = await p.issueUserSig(view({ auth: await hs('alice'), json: { userId: 'mallory' } }))
    assert.equal(a.status, 400)
    assert.equal(code(a), 'USERID_IN_BODY')
    // The impersonation attempt is audited with the caller it came from.
    assert.equal(events.at(-1)?.userId, 'alice')
    assert.equal(events.at(-1)?.reason, 'USERID_IN_BODY')
  })

  it('exp required, maximum token age, iat in the future refused, bearer that is no JWT refused', async () => {
    assert.equal(code(await p.issueUserSig(view({ auth: await hs('alice', {}, null) }))), 'TOKEN_INVALID')
    assert.equal(code(await p.issueUserSig(view({ auth: await hs('alice', {}, 40 * 86400) }))), 'TOKEN_INVALID')
    const now = Math.floor(Date.now() / 1000)
    assert.equal(code(await p.issueUserSig(view({ auth: await hs('alice', { iat: now + 600 }) }))), 'TOKEN_INVALID')
    assert.equal(code(await p.issueUserSig(view({ auth: await hs('alice', { iat: now - 3 * 86400 }) }))), 'TOKEN_EXPIRED')
    assert.equal(code(await p.issueUserSig(view({ auth: 'demo:alice' }))), 'UNAUTHENTICATED')
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'alice', exp: now + 60 })).toString('base64url')}.`
    assert.equal(code(await p.issueUserSig(view({ auth: none }))), 'TOKEN_INVALID')
  })

  it('a valid token: a UserSig for its sub; audit events hold no secret', async () => {
    const jwt = await hs('alice')
    const a = await p.issueUserSig(view({ auth: jwt }))
    assert.equal(a.status, 200, a.body)
    const b = JSON.parse(a.body)
    assert.equal(verifyUserSig(b.userSig, { sdkAppId: SDKAPPID, userId: 'alice', secretKey: KEY }).ok, true)
    const text = JSON.stringify(events)
    for (const s of [KEY, JWT_SECRET, jwt, b.userSig]) assert.equal(text.includes(s), false)
  })

  it('a lifetime in milliseconds: refused with a hint unless the body says allowUnusualLifetime, then clamped to maxExpiresIn', async () => {
    const jwt = await hs('alice')
    const refused = await p.issueUserSig(view({ auth: jwt, json: { expiresIn: 86400000 } }))
    assert.equal(code(refused), 'INVALID_EXPIRES_IN')
    assert.match(JSON.parse(refused.body).error.message, /allowUnusualLifetime/)
    const ok = await p.issueUserSig(view({ auth: jwt, json: { expiresIn: 86400000, allowUnusualLifetime: true } }))
    assert.equal(ok.status, 200, ok.body)
    const b = JSON.parse(ok.body)
    assert.equal(b.expiresAt - b.issuedAt, p.config.apps[0]!.userSigExpiresIn.maxExpiresIn)
    assert.equal(code(await p.issueUserSig(view({ auth: jwt, json: { expiresIn: 86400000, allowUnusualLifetime: 'true' } }))), 'INVALID_REQUEST')
  })

  it('a function the deployer supplies (e.g. a session cookie checked elsewhere)', async () => {
    const q = createPipeline(
      { apps: base.apps, auth: { caller: (r: { headers: Headers }) => (r.headers.get('x-session') === 'ok-session' ? { userId: 'carol', roles: ['host'], method: 'session' } : null) } },
      { env, audit: false, log: false },
    )
    const h = new Headers({ 'x-session': 'ok-session' })
    const a = await q.issueUserSig(view({ headers: h }))
    assert.equal(JSON.parse(a.body).userId, 'carol')
    assert.equal(code(await q.issueUserSig(view())), 'UNAUTHENTICATED')
  })
})

describe('a caller userId with leading or trailing whitespace, or only whitespace (issue 15 §3)', () => {
  const events: AuditEvent[] = []
  const p = createPipeline(base, { env, audit: (e) => events.push(e), log: false })
  const pmk = (auth: string) => view({ path: '/v1/private-map-key', auth, json: { strRoomId: 'r' } })

  it('refused by both issuing routes with 403 USERID_NOT_ALLOWED, a message saying why (never the userId), audited as a denial', async () => {
    const rules = createPipeline({ ...base, policy: { privateMapKey: { rules: [{ rooms: ['*'], privileges: 'audience' }] } } }, { env, audit: false, log: false })
    for (const [sub, where] of [[' alice', 'has leading whitespace'], ['alice ', 'has trailing whitespace'], [' alice ', 'has leading and trailing whitespace'], ['   ', 'is only whitespace']] as const) {
      const jwt = await hs(sub)
      for (const a of [await p.issueUserSig(view({ auth: jwt })), await rules.issuePrivateMapKey(pmk(jwt))]) {
        assert.equal(a.status, 403, a.body)
        assert.equal(code(a), 'USERID_NOT_ALLOWED')
        const message: string = JSON.parse(a.body).error.message
        assert.ok(message.startsWith(`your userId ${where}:`), message)
        assert.match(message, /70013.*allowUnusualUserId/)
        assert.ok(!message.includes('alice'))
      }
      assert.deepEqual([events.at(-1)?.outcome, events.at(-1)?.reason, events.at(-1)?.userId, events.at(-1)?.sdkAppId], ['denied', 'USERID_NOT_ALLOWED', sub, SDKAPPID])
    }
    // Whitespace inside the userId is the policy's business (allowed by "im"), and a plain one is issued.
    for (const sub of ['alice smith', 'alice']) assert.equal((await p.issueUserSig(view({ auth: await hs(sub) }))).status, 200)
  })

  it('the UserID policy speaks first: whitespace is named only where allowUnusualUserId would help', async () => {
    // A line break or a U+3000 is outside "im" (printable ASCII): the policy's refusal, no pointer to the switch.
    for (const sub of ['alice\n', '\u3000alice']) {
      const message: string = JSON.parse((await p.issueUserSig(view({ auth: await hs(sub) }))).body).error.message
      assert.match(message, /"im" UserID policy/)
      assert.doesNotMatch(message, /allowUnusualUserId/)
    }
    // Under "any" they pass the policy, and the whitespace is what is refused.
    const any = createPipeline({ ...base, apps: [{ ...base.apps[0]!, userIdPolicy: 'any' }] }, { env, audit: false, log: false })
    for (const [sub, where] of [['alice\n', 'has trailing whitespace'], ['\u3000alice\u3000', 'has leading and trailing whitespace']] as const) {
      const a = await any.issueUserSig(view({ auth: await hs(sub) }))
      assert.equal(code(a), 'USERID_NOT_ALLOWED')
      assert.ok(JSON.parse(a.body).error.message.startsWith(`your userId ${where}:`), a.body)
    }
  })

  it('whatever the source: a function the deployer supplies', async () => {
    const q = createPipeline({ apps: base.apps, auth: { caller: (r: { headers: Headers }) => ({ userId: r.headers.get('x-user') === 'spaced' ? 'carol ' : 'carol', roles: [], method: 'session' }) } }, { env, audit: false, log: false })
    assert.equal(code(await q.issueUserSig(view({ headers: new Headers({ 'x-user': 'spaced' }) }))), 'USERID_NOT_ALLOWED')
    assert.equal((await q.issueUserSig(view({ headers: new Headers({ 'x-user': 'plain' }) }))).status, 200)
  })

  it('a refusal spends nothing of the per-user limit', async () => {
    const q = createPipeline({ ...base, rateLimit: { perUser: '1/1m', perIp: false } }, { env, audit: false, log: false })
    const jwt = await hs(' bob')
    for (let i = 0; i < 3; i++) assert.equal(code(await q.issueUserSig(view({ auth: jwt }))), 'USERID_NOT_ALLOWED')
  })

  it('apps[].allowUnusualUserId: true issues for exactly that userId; the "strict" policy still refuses it', async () => {
    const allowed = createPipeline({ ...base, apps: [{ ...base.apps[0]!, allowUnusualUserId: true }], policy: { privateMapKey: { rules: [{ rooms: ['*'], privileges: 'audience' }] } } }, { env, audit: false, log: false })
    for (const userId of [' alice', '   ', 'alice ']) {
      const jwt = await hs(userId)
      const a = await allowed.issueUserSig(view({ auth: jwt }))
      assert.equal(a.status, 200, a.body)
      const b = JSON.parse(a.body)
      assert.equal(b.userId, userId)
      assert.equal(verifyUserSig(b.userSig, { sdkAppId: SDKAPPID, userId, secretKey: KEY }).ok, true)
      const k = await allowed.issuePrivateMapKey(pmk(jwt))
      assert.equal(k.status, 200, k.body)
      assert.equal(JSON.parse(k.body).userId, userId)
    }
    const strict = createPipeline({ ...base, apps: [{ ...base.apps[0]!, allowUnusualUserId: true, userIdPolicy: 'strict' }] }, { env, audit: false, log: false })
    const refused = await strict.issueUserSig(view({ auth: await hs(' alice') }))
    assert.equal(code(refused), 'USERID_NOT_ALLOWED')
    assert.match(JSON.parse(refused.body).error.message, /"strict" UserID policy/)
  })
})

describe('JWKS: an inline set, and a URL whose outage is a 503, not a bad token', () => {
  const servers: Server[] = []
  after(() => servers.forEach((s) => s.close()))

  it('inline JWK Set (RS256) with audience', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256')
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }
    const p = createPipeline({ apps: base.apps, auth: { jwt: { jwks: { keys: [jwk] }, audience: 'usersig' } } }, { env, audit: false, log: false })
    const now = Math.floor(Date.now() / 1000)
    const tok = (aud: string) => new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('dave').setAudience(aud).setIssuedAt(now).setExpirationTime(now + 60).sign(privateKey)
    assert.equal(JSON.parse((await p.issueUserSig(view({ auth: await tok('usersig') }))).body).userId, 'dave')
    assert.equal(code(await p.issueUserSig(view({ auth: await tok('other-app') }))), 'TOKEN_INVALID')
  })

  it('JWKS URL answering 500, then not JSON, then down: 503 AUTH_UNAVAILABLE with Retry-After, logged once; back: 200', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256')
    const jwk = { ...(await exportJWK(publicKey)), kid: 'e1', alg: 'ES256' }
    let mode: 'ok' | '500' | 'html' = '500'
    const { server, url } = await listen((_req, res) => {
      if (mode === '500') res.writeHead(500).end('oops')
      else if (mode === 'html') res.writeHead(200, { 'content-type': 'text/html' }).end('<html>')
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }))
    })
    servers.push(server)
    const logs: string[] = []
    let skew = 0
    let fetches = 0
    const p = createPipeline(
      { apps: base.apps, auth: { jwt: { jwksUrl: `${url}/jwks`, audience: 'usersig', jwksCooldown: 0 } } },
      { env, audit: false, log: (level, msg) => logs.push(`${level} ${msg}`), now: () => Date.now() + skew, fetch: (u, i) => (fetches++, fetch(u, i)) },
    )
    const now = Math.floor(Date.now() / 1000)
    const tok = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'e1' }).setSubject('erin').setAudience('usersig').setIssuedAt(now).setExpirationTime(now + 60).sign(privateKey)
    for (const m of ['500', 'html'] as const) {
      mode = m
      skew += 6000
      const before = fetches
      for (let i = 0; i < 3; i++) {
        const a = await p.issueUserSig(view({ auth: tok }))
        assert.equal(a.status, 503, a.body)
        assert.equal(code(a), 'AUTH_UNAVAILABLE')
        assert.equal(a.headers['retry-after'], '5')
      }
      assert.equal(fetches - before, 1, 'while it is known to be down, requests do not each wait for the identity provider')
    }
    assert.deepEqual(logs.filter((l) => l.startsWith('warn')).length, 1, 'one line per outage, not per request')
    mode = 'ok'
    skew += 6000
    const a = await p.issueUserSig(view({ auth: tok }))
    assert.equal(a.status, 200, a.body)
    assert.equal(logs.filter((l) => l.startsWith('info')).length, 1)
    // A kid the (reachable) set does not have is the token's problem.
    const other = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'nope' }).setSubject('erin').setAudience('usersig').setIssuedAt(now).setExpirationTime(now + 60).sign(privateKey)
    assert.equal(code(await p.issueUserSig(view({ auth: other }))), 'TOKEN_INVALID')
    await new Promise<void>((r) => server.close(() => r()))
    skew += 6000
    const down = await p.issueUserSig(view({ auth: other }))
    assert.equal(down.status, 503)
  })
})

describe('PrivateMapKey policy', () => {
  const servers: Server[] = []
  after(() => servers.forEach((s) => s.close()))

  it('rules: requested ∩ allowed; {userId} rooms; nothing configured denies', async () => {
    const p = createPipeline({ ...base, policy: { privateMapKey: { rules: [{ rooms: ['team-{userId}'], privileges: 'all' }, { roles: ['host'], rooms: [1234], privileges: 'anchor' }] } } }, { env, audit: false, log: false })
    const jwt = await hs('alice')
    const ok = await p.issuePrivateMapKey(view({ path: '/v1/private-map-key', auth: jwt, json: { strRoomId: 'team-alice', privileges: ['enter', 'recvAudio'] } }))
    assert.deepEqual(JSON.parse(ok.body).privilegeNames, ['enter', 'recvAudio'])
    assert.equal(code(await p.issuePrivateMapKey(view({ path: '/v1/private-map-key', auth: jwt, json: { roomId: 1234 } }))), 'ROOM_NOT_ALLOWED')
    const host = await hs('alice', { roles: ['host'] })
    assert.equal((await p.issuePrivateMapKey(view({ path: '/v1/private-map-key', auth: host, json: { roomId: 1234 } }))).status, 200)
    assert.equal(code(await p.issuePrivateMapKey(view({ path: '/v1/private-map-key', auth: jwt, json: { roomId: 0 } }))), 'INVALID_ROOM_ID')
    assert.equal(code(await p.issuePrivateMapKey(view({ path: '/v1/private-map-key', auth: jwt, json: { strRoomId: 'a"b' } }))), 'INVALID_STR_ROOM_ID')
    assert.equal(code(await p.issuePrivateMapKey(view({ path: '/v1/private-map-key', auth: jwt, json: { roomId: 1, privileges: 999 } }))), 'INVALID_PRIVILEGES')
    const none = createPipeline(base, { env, audit: false, log: false })
    assert.equal(code(await none.issuePrivateMapKey(view({ path: '/v1/private-map-key', auth: jwt, json: { roomId: 1 } }))), 'ROOM_NOT_ALLOWED')
  })

  it('webhook over fetch: its answer decides; its outage is 503 POLICY_UNAVAILABLE', async () => {
    let seen: any
    const { server, url } = await listen((req, res) => {
      let b = ''
      req.on('data', (d) => (b += d)).on('end', () => {
        seen = { body: JSON.parse(b), secret: req.headers['x-hook-secret'] }
        const allow = seen.body.roomId === 7
        res.writeHead(allow || seen.body.roomId === 8 ? 200 : 500, { 'content-type': 'application/json' }).end(JSON.stringify({ allow, privileges: 'audience' }))
      })
    })
    servers.push(server)
    const p = createPipeline({ ...base, policy: { privateMapKey: { webhook: { url: `${url}/hook`, headersEnv: { 'x-hook-secret': 'HOOK' } } } } }, { env: { ...env, HOOK: 'h'.repeat(20) }, audit: false, log: false })
    const jwt = await hs('alice')
    const a = await p.issuePrivateMapKey(view({ path: '/v1/private-map-key', auth: jwt, json: { roomId: 7 } }))
    assert.equal(a.status, 200, a.body)
    assert.equal(seen.body.userId, 'alice')
    assert.equal(seen.secret, 'h'.repeat(20))
    assert.equal(code(await p.issuePrivateMapKey(view({ path: '/v1/private-map-key', auth: jwt, json: { roomId: 8 } }))), 'ROOM_NOT_ALLOWED')
    assert.equal(code(await p.issuePrivateMapKey(view({ path: '/v1/private-map-key', auth: jwt, json: { roomId: 9 } }))), 'POLICY_UNAVAILABLE')
  })
})

describe('rate limits behind the store interface', () => {
  it('per user: 429 with Retry-After once the limit is spent', async () => {
    const p = createPipeline({ ...base, rateLimit: { perUser: '2/1m', perIp: false } }, { env, audit: false, log: false })
    const jwt = await hs('alice')
    assert.equal((await p.issueUserSig(view({ auth: jwt }))).status, 200)
    assert.equal((await p.issueUserSig(view({ auth: jwt }))).status, 200)
    const a = await p.issueUserSig(view({ auth: jwt }))
    assert.equal(code(a), 'RATE_LIMITED')
    assert.ok(Number(a.headers['retry-after']) >= 1)
  })

  it('unauthenticated traffic from many addresses never evicts a user\'s counter (small cap)', async () => {
    const store = memoryStore('fixed', Date.now, 50)
    const p = createPipeline({ ...base, rateLimit: { perUser: '2/1m', perIp: '1000/1m' } }, { env, store, audit: false, log: false })
    const jwt = await hs('alice')
    await p.issueUserSig(view({ auth: jwt }))
    await p.issueUserSig(view({ auth: jwt }))
    for (let i = 0; i < 500; i++) await p.issueUserSig(view({ clientAddress: `10.0.${i >> 8}.${i & 255}` }))
    assert.ok(store.size() <= 100)
    assert.equal(code(await p.issueUserSig(view({ auth: jwt, clientAddress: '10.9.9.9' }))), 'RATE_LIMITED')
  })

  it('a store that fails: 503 STORE_UNAVAILABLE, not an open door', async () => {
    const broken = { hit: async () => { throw new Error('down') }, health: () => ({ ok: false, detail: 'down' }), close: async () => {} }
    const p = createPipeline(base, { env, store: broken, audit: false, log: false })
    assert.equal(code(await p.issueUserSig(view({ auth: await hs('alice') }))), 'STORE_UNAVAILABLE')
  })
})

describe('an issued PrivateMapKey is named privateMapKey', () => {
  it('hmacApp returns IssuedPrivateMapKey { privateMapKey, … }, never the token in userSig', () => {
    const app = hmacApp(validateConfig(base, env).apps[0]!)
    const now = Math.floor(Date.now() / 1000)
    const r: IssuedPrivateMapKey = app.issuePrivateMapKey('alice', { roomId: 7 }, 1, 300, now)
    assert.deepEqual(Object.keys(r).sort(), ['expiresAt', 'issuedAt', 'privateMapKey', 'privilegeNames', 'privileges'])
    const v = verifyUserSig(r.privateMapKey, { sdkAppId: SDKAPPID, userId: 'alice', secretKey: KEY, now })
    assert.equal(v.ok, true)
    assert.equal(r.expiresAt - r.issuedAt, 300)
  })
})
