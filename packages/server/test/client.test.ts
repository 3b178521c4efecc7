/** The app-side provider (usersig/client) against the real service over a real port. */
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { verifyUserSig } from 'usersig'
import { createApp } from '../src/index.js'
import { createUserSigProvider, isUserSigExpiredError, isUserSigExpiredKick, KICKED_OUT_USERSIG_EXPIRED, UserSigProviderError } from 'usersig/client'
import { checkLogsAtEnd, config, jwt, remember, SDKAPPID, SECRET_KEY, testLogger } from './helpers.js'
import { waitFor } from './redis-helper.js'

checkLogsAtEnd()
const T0 = 1_800_000_000_000

/** The service with its own clock (server = client + offset), listening on 127.0.0.1. */
async function service(patch: (c: Record<string, any>) => void = () => {}) {
  const clock = { client: T0, offset: 0 }
  // The client runs for weeks of simulated time on one 30-day login token: no maximum token age here.
  const a = await createApp({ config: config((c) => { c.auth.jwt.maxTokenAge = 'off'; patch(c) }), logger: testLogger(), staticDir: null, now: () => clock.client + clock.offset })
  await a.listen({ host: '127.0.0.1', port: 0 })
  after(() => a.close())
  const url = `http://127.0.0.1:${(a.server.address() as import('node:net').AddressInfo).port}`
  let calls = 0
  const counting = async (input: string, init: RequestInit): Promise<Response> => {
    calls++
    return fetch(input, init)
  }
  return { url, clock, fetch: counting, calls: () => calls }
}

async function token(sub = 'alice') {
  return jwt({ roles: ['host'] }, { exp: T0 / 1000 + 30 * 86400, iat: T0 / 1000, sub })
}

function keep<T extends { userSig: string }>(c: T): T {
  remember(c.userSig)
  return c
}

test('getUserSig: fetches, caches, shares one request among concurrent callers', async () => {
  const s = await service()
  const t = await token()
  const p = createUserSigProvider({ endpoint: `${s.url}/v1/usersig`, getHeaders: () => ({ authorization: `Bearer ${t}` }), fetch: s.fetch, now: () => s.clock.client })
  const all = await Promise.all(Array.from({ length: 10 }, () => p.getUserSig()))
  assert.equal(s.calls(), 1, 'single flight')
  assert.ok(all.every((x) => x === all[0]))
  remember(all[0]!)
  assert.equal(verifyUserSig(all[0]!, { sdkAppId: SDKAPPID, userId: 'alice', secretKey: SECRET_KEY, now: T0 / 1000 }).ok, true)
  await p.getUserSig()
  assert.equal(s.calls(), 1, 'cached')
  const c = keep(await p.getCredentials())
  assert.equal(c.userId, 'alice')
  assert.equal(c.sdkAppId, SDKAPPID)
})

test('refreshes at refreshAt on the server clock, corrected for a client clock that is an hour behind', async () => {
  const s = await service()
  s.clock.offset = 3600_000 // the server is one hour ahead of this device
  const t = await token()
  const p = createUserSigProvider({ endpoint: `${s.url}/v1/usersig`, headers: { authorization: `Bearer ${t}` }, fetch: s.fetch, now: () => s.clock.client })
  const first = keep(await p.getCredentials())
  assert.ok(Math.abs(p.serverNow() - first.serverTime) <= 1, 'skew corrected')
  // Just before refreshAt (server time): cached.
  s.clock.client = (first.refreshAt - 3600 - 10) * 1000
  assert.equal((await p.getCredentials()).userSig, first.userSig)
  assert.equal(s.calls(), 1)
  // After refreshAt but well before expiry: the cached one is served and a refresh starts in the background.
  s.clock.client = (first.refreshAt - 3600 + 10) * 1000
  const during = await p.getCredentials()
  assert.equal(during.userSig, first.userSig)
  // Until the background refresh lands, callers get the cached one and no second refresh starts.
  let next = during
  await waitFor(async () => (next = await p.getCredentials()).userSig !== first.userSig, 30_000, 'the background refresh to land')
  keep(next)
  assert.equal(s.calls(), 2)
  assert.equal(next.issuedAt, s.clock.client / 1000 + 3600)
  // Without skew correction this device would think a sig expired an hour ago is still valid; with it, it refetches.
  s.clock.client = (next.expiresAt - 3600 - 5) * 1000
  keep(await p.getCredentials())
  assert.equal(s.calls(), 3, 'less than minValidity left: waited for a new one')
})

test('retries network errors and 5xx with backoff, honours Retry-After on 429, does not retry 401', async () => {
  const s = await service((c) => { c.rateLimit = { algorithm: 'fixed', perUser: '1/1m', perIp: false } })
  const t = await token('bob')
  let failures = 2
  const flaky = (async (input: string, init: RequestInit) => {
    if (failures-- > 0) throw new TypeError('fetch failed')
    return s.fetch(input, init)
  }) as never
  const sleeps: number[] = []
  const sleep = async (ms: number) => { sleeps.push(ms); s.clock.client += ms }
  const p = createUserSigProvider({ endpoint: `${s.url}/v1/usersig`, headers: { authorization: `Bearer ${t}` }, fetch: flaky, now: () => s.clock.client, sleep, retryDelay: 100 })
  keep(await p.refresh())
  assert.equal(sleeps.length, 2)
  assert.ok(sleeps[0]! <= 100 && sleeps[1]! <= 200, `exponential with jitter: ${sleeps}`)
  // The per-user limit (1/min) makes the service answer 429 with Retry-After: longer than maxRetryDelay, so passed on …
  sleeps.length = 0
  await assert.rejects(p.refresh(), (e: UserSigProviderError) => e.status === 429 && e.code === 'RATE_LIMITED')
  assert.equal(sleeps.length, 0)
  // … and within it, waited for.
  const patient = createUserSigProvider({ endpoint: `${s.url}/v1/usersig`, headers: { authorization: `Bearer ${t}` }, fetch: s.fetch, now: () => s.clock.client, sleep, maxRetryDelay: 120_000 })
  keep(await patient.refresh())
  assert.ok(sleeps.length >= 1)
  assert.ok(sleeps[0]! >= 1000, `Retry-After honoured: ${sleeps}`)

  const denied = createUserSigProvider({ endpoint: `${s.url}/v1/usersig`, headers: { authorization: 'Bearer not.a.jwt' }, fetch: s.fetch, now: () => s.clock.client, sleep })
  const before = s.calls()
  await assert.rejects(denied.getUserSig(), (e: UserSigProviderError) => e instanceof UserSigProviderError && e.status === 401 && e.code === 'TOKEN_INVALID')
  assert.equal(s.calls() - before, 1, 'no retry on 401')

  const down = createUserSigProvider({ endpoint: 'http://127.0.0.1:1/v1/usersig', retries: 2, sleep: async () => {} })
  await assert.rejects(down.getUserSig(), (e: UserSigProviderError) => e.code === 'NETWORK_ERROR')
})

test('invalidate, handleError for IM 6206/70001 and TRTC 5502/5503, onUserSigExpired re-login', async () => {
  const s = await service()
  const t = await token()
  const p = createUserSigProvider({ endpoint: `${s.url}/v1/usersig`, headers: { authorization: `Bearer ${t}` }, fetch: s.fetch, now: () => s.clock.client })
  const first = keep(await p.getCredentials())
  assert.equal(p.handleError({ code: 1234 }), false)
  await p.getUserSig()
  assert.equal(s.calls(), 1)
  for (const e of [6206, '70001', { code: 70001 }, { extraCode: 5502 }, { code: 5998, extraCode: 5503 }, { data: { code: 6206 } }]) {
    assert.equal(isUserSigExpiredError(e), true, JSON.stringify(e))
  }
  assert.equal(p.handleError({ code: 6206, message: 'userSig expired' }), true)
  s.clock.client += 1000
  keep(await p.getCredentials())
  assert.equal(s.calls(), 2, 'fetched after handleError')

  const logins: string[] = []
  s.clock.client += 1000
  const handler = p.onUserSigExpired((sig, c) => { logins.push(sig); assert.equal(c.userId, 'alice') })
  assert.equal(await handler(), true)
  assert.equal(logins.length, 1)
  remember(logins[0]!)
  assert.notEqual(logins[0], first.userSig)
  assert.equal(verifyUserSig(logins[0]!, { sdkAppId: SDKAPPID, userId: 'alice', secretKey: SECRET_KEY, now: s.clock.client / 1000 }).ok, true)
})

test('a PrivateMapKey provider sends its body', async () => {
  const s = await service()
  const t = await token()
  const p = createUserSigProvider({ endpoint: `${s.url}/v1/private-map-key`, body: { strRoomId: 'live-1', privileges: 'anchor' }, headers: { authorization: `Bearer ${t}` }, now: () => s.clock.client })
  const c = keep(await p.getCredentials())
  assert.equal(c.privileges, 255)
  assert.equal(c.strRoomId, 'live-1')
  const bad = createUserSigProvider({ endpoint: `${s.url}/v1/private-map-key`, body: { roomId: 5 }, headers: { authorization: `Bearer ${t}` }, now: () => s.clock.client })
  await assert.rejects(bad.getUserSig(), (e: UserSigProviderError) => e.status === 403 && e.code === 'ROOM_NOT_ALLOWED')
  assert.throws(() => createUserSigProvider({} as never), TypeError)
})


test('onUserSigExpired is kick-aware: it logs in again only when the kick or error says the UserSig expired', async () => {
  const s = await service()
  const t = await token()
  const p = createUserSigProvider({ endpoint: `${s.url}/v1/usersig`, headers: { authorization: `Bearer ${t}` }, fetch: s.fetch, now: () => s.clock.client })
  keep(await p.getCredentials())
  const logins: string[] = []
  const handler = p.onUserSigExpired((sig) => { logins.push(remember(sig)) })
  // The web SDK's KICKED_OUT event: { name, data: { type } }. Another device or instance, or a REST kick: leave it.
  for (const type of ['multipleAccount', 'multipleDevice', 'REST_API_Kick', 'somethingNew']) {
    assert.equal(await handler({ name: 'kickedOut', data: { type } }), false, type)
  }
  assert.equal(await handler({ code: 1234, message: 'network' }), false)
  assert.equal(logins.length, 0)
  assert.equal(s.calls(), 1, 'no request for a kick that a new sig would not fix')
  // Expired: the web event, its data alone, nothing at all (native onUserSigExpired), or an expiry error code.
  for (const e of [{ name: 'kickedOut', data: { type: KICKED_OUT_USERSIG_EXPIRED } }, { type: 'userSigExpired' }, undefined, { code: 70001 }, 6206]) {
    s.clock.client += 1000
    assert.equal(await handler(e), true, JSON.stringify(e))
  }
  assert.equal(logins.length, 5)
  assert.equal(isUserSigExpiredKick({ data: { type: 'multipleAccount' } }), false)
  assert.equal(isUserSigExpiredKick(null), true)
  // A failed refresh goes to onError and resolves false.
  const errors: unknown[] = []
  const down = createUserSigProvider({ endpoint: 'http://127.0.0.1:1/v1/usersig', retries: 0, onError: (e) => errors.push(e) })
  assert.equal(await down.onUserSigExpired(() => assert.fail('no login without a sig'))(), false)
  assert.equal(errors.length, 1)
})
