// Issue 15 §3 at the issuing routes: a caller whose userId has leading or trailing whitespace (or is only whitespace)
// gets no UserSig and no PrivateMapKey unless the app says `allowUnusualUserId: true`. The UserSig would be for the
// userId with its spaces, and a client that logs in with the UserID trimmed is refused with 70013. Checked as a user
// meets it: the service on a real port, a JWT `sub`, a trusted proxy header and forward auth as the source.
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { verifyUserSig } from 'usersig'
import { createApp } from '../src/index.js'
import { ADMIN_KEY, config, jwt, localServer, remember, SDKAPPID, SECRET_KEY, testLogger } from './helpers.js'

/** The service with `patch` applied, listening on 127.0.0.1 (a free port); closed after the file. */
async function service(patch: (c: Record<string, any>) => void = () => {}): Promise<string> {
  const a = await createApp({ config: config(patch), logger: testLogger(), staticDir: null })
  await a.listen({ host: '127.0.0.1', port: 0 })
  after(() => a.close())
  return `http://127.0.0.1:${(a.server.address() as AddressInfo).port}`
}

async function send(url: string, headers: Record<string, string>, body: unknown = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
  const json = await res.json() as any
  for (const k of ['userSig', 'privateMapKey']) if (typeof json[k] === 'string') remember(json[k])
  return { status: res.status, body: json }
}

const bearer = async (sub: string) => ({ authorization: `Bearer ${await jwt({}, { sub })}` })
const issuing = ['/v1/usersig', '/v1/private-map-key'] as const
const bodyOf = (path: string) => (path === '/v1/private-map-key' ? { strRoomId: 'live-1' } : {})

function refused(r: { status: number; body: any }, where: RegExp): void {
  assert.equal(r.status, 403, JSON.stringify(r.body))
  assert.equal(r.body.error.code, 'USERID_NOT_ALLOWED')
  assert.match(r.body.error.message, where)
  assert.match(r.body.error.message, /70013/)
  assert.match(r.body.error.message, /allowUnusualUserId/)
  // It says why without quoting the userId.
  assert.doesNotMatch(r.body.error.message, /alice/)
}

test('a JWT sub with surrounding whitespace, or only whitespace, is refused by both issuing routes; a plain one is issued', async () => {
  const base = await service()
  for (const path of issuing) {
    refused(await send(base + path, await bearer(' alice'), bodyOf(path)), /userId has leading whitespace/)
    refused(await send(base + path, await bearer('alice '), bodyOf(path)), /userId has trailing whitespace/)
    refused(await send(base + path, await bearer(' alice '), bodyOf(path)), /userId has leading and trailing whitespace/)
    refused(await send(base + path, await bearer('   '), bodyOf(path)), /userId is only whitespace/)
    const ok = await send(base + path, await bearer('alice'), bodyOf(path))
    assert.equal(ok.status, 200, JSON.stringify(ok.body))
    assert.equal(ok.body.userId, 'alice')
  }
  // Whitespace inside is not what this is about: the "im" policy allows it, as before.
  assert.equal((await send(`${base}/v1/usersig`, await bearer('alice smith'))).status, 200)
  // The denial is audited as other UserID denials are: outcome, reason (the error code), who and which app.
  const audit = await fetch(`${base}/v1/admin/audit?limit=50`, { headers: { 'x-api-key': ADMIN_KEY } })
  const events = ((await audit.json()) as { events: Record<string, unknown>[] }).events
  const denied = events.filter((e) => e['userId'] === '   ')
  assert.deepEqual(denied.map((e) => [e['kind'], e['outcome'], e['reason'], e['sdkAppId'], e['auth']]).sort(), [
    ['privateMapKey', 'denied', 'USERID_NOT_ALLOWED', SDKAPPID, 'jwt'],
    ['usersig', 'denied', 'USERID_NOT_ALLOWED', SDKAPPID, 'jwt'],
  ])
})

test('apps[].allowUnusualUserId: true issues for exactly the userId given, spaces kept', async () => {
  const base = await service((c) => { c.apps[0].allowUnusualUserId = true })
  for (const userId of [' alice', '   ']) {
    const r = await send(`${base}/v1/usersig`, await bearer(userId))
    assert.equal(r.status, 200, JSON.stringify(r.body))
    assert.equal(r.body.userId, userId)
    assert.equal(verifyUserSig(r.body.userSig, { sdkAppId: SDKAPPID, userId, secretKey: SECRET_KEY }).ok, true)
    assert.equal(verifyUserSig(r.body.userSig, { sdkAppId: SDKAPPID, userId: userId.trim() || 'x', secretKey: SECRET_KEY }).ok, false)
    const pmk = await send(`${base}/v1/private-map-key`, await bearer(userId), { strRoomId: 'live-1' })
    assert.equal(pmk.status, 200, JSON.stringify(pmk.body))
    assert.equal(pmk.body.userId, userId)
  }
  // The switch is per app: the second app (strict policy, no switch) still refuses.
  const second = await send(`${base}/v1/usersig`, await bearer(' alice'), { sdkAppId: 1400000002 })
  assert.equal(second.body.error.code, 'USERID_NOT_ALLOWED')
})

test('a trusted proxy header: HTTP strips spaces and tabs around a value, an ideographic space (U+3000) it keeps: refused unless allowed', async () => {
  const trusted = (c: Record<string, any>) => {
    c.apps[0].userIdPolicy = 'any'
    c.auth.trustedHeader = { header: 'X-User-Id', proxies: ['127.0.0.1'] }
  }
  // The proxy sends UTF-8 bytes; fetch takes a header value as latin1 characters, one per byte.
  const header = (userId: string) => ({ 'x-user-id': Buffer.from(userId, 'utf8').toString('latin1') })
  const base = await service(trusted)
  refused(await send(`${base}/v1/usersig`, header('\u3000alice')), /userId has leading whitespace/)
  refused(await send(`${base}/v1/private-map-key`, header('alice\u3000'), { strRoomId: 'live-1' }), /userId has trailing whitespace/)
  assert.equal((await send(`${base}/v1/usersig`, header('アリス'))).status, 200)
  const allowed = await service((c) => { trusted(c); c.apps[0].allowUnusualUserId = true })
  const r = await send(`${allowed}/v1/usersig`, header('\u3000alice'))
  assert.equal(r.status, 200, JSON.stringify(r.body))
  assert.equal(verifyUserSig(r.body.userSig, { sdkAppId: SDKAPPID, userId: '\u3000alice', secretKey: SECRET_KEY }).ok, true)
})

test('forward auth: a userId field with surrounding whitespace is refused', async () => {
  const auth = await localServer((req) => ({ body: { user: { id: req.headers.cookie === 'session=spaced' ? ' alice' : 'alice' } } }))
  const base = await service((c) => { c.auth.forwardAuth = { url: auth.url, userIdField: 'user.id' } })
  refused(await send(`${base}/v1/usersig`, { cookie: 'session=spaced' }), /userId has leading whitespace/)
  assert.equal((await send(`${base}/v1/usersig`, { cookie: 'session=plain' })).status, 200)
})
