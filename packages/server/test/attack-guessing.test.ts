/**
 * Standing adversarial suite (issue 11, item 3): a credential-guessing loop against every route that checks one is
 * limited per address and leaves an audit line per failure; once limited, even the right credential gets 429 from
 * that address (no oracle); a valid API key without the route's scope is answered exactly like an unknown key.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { ADMIN_KEY, AUDIENCE, ISSUE_KEY, ISSUER, JWT_SECRET, remember, VERIFY_KEY } from './helpers.js'
import { SignJWT } from 'jose'
import { call, serve } from './attack-helpers.js'

const LIMIT = 5

interface Route {
  name: string
  method: 'GET' | 'POST'
  path: string
  body?: unknown
  /** The audit kind of its failures. */
  kind: string
  /** A credential that works here, and one guess. */
  good: () => Promise<Record<string, string>>
  guess: (i: number) => Promise<Record<string, string>>
}

const key = (k: string) => async () => ({ 'x-api-key': k })
const guessKey = async (i: number): Promise<Record<string, string>> => (i % 2 ? { 'x-api-key': `guess-${i}-${randomBytes(16).toString('hex')}` } : { authorization: `Bearer guess-${i}-${randomBytes(16).toString('hex')}` })
const userJwt = async () => ({ authorization: `Bearer ${remember(await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode(JWT_SECRET)))}` })
const guessJwt = async (i: number) => ({ authorization: `Bearer ${await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode(`guess-${i}-${JWT_SECRET}`))}` })

const ROUTES: Route[] = [
  { name: 'metrics', method: 'GET', path: '/metrics', kind: 'metrics', good: key(ADMIN_KEY), guess: guessKey },
  { name: 'admin apps', method: 'GET', path: '/v1/admin/apps', kind: 'admin', good: key(ADMIN_KEY), guess: guessKey },
  { name: 'admin audit', method: 'GET', path: '/v1/admin/audit', kind: 'admin', good: key(ADMIN_KEY), guess: guessKey },
  { name: 'admin usersig', method: 'POST', path: '/v1/admin/usersig', body: { userId: 'bob' }, kind: 'adminUserSig', good: key(ISSUE_KEY), guess: guessKey },
  { name: 'verify', method: 'POST', path: '/v1/verify', body: { token: 'eJx', userId: 'bob' }, kind: 'verify', good: key(VERIFY_KEY), guess: guessKey },
  { name: 'explain', method: 'POST', path: '/v1/explain', body: { token: 'eJx' }, kind: 'explain', good: key(VERIFY_KEY), guess: guessKey },
  { name: 'usersig', method: 'POST', path: '/v1/usersig', body: {}, kind: 'usersig', good: userJwt, guess: guessJwt },
  { name: 'private-map-key', method: 'POST', path: '/v1/private-map-key', body: { strRoomId: 'live-1' }, kind: 'privateMapKey', good: userJwt, guess: guessJwt },
]

for (const r of ROUTES) {
  test(`guessing credentials on ${r.name} is limited per address and audited`, async () => {
    const s = await serve((c) => {
      c.metrics = { requireApiKey: true }
      c.rateLimit.authFailures = `${LIMIT}/1m`
    })
    const send = async (headers: Record<string, string>) => {
      const a = await call(s.url, r.path, { method: r.method, headers, ...(r.body !== undefined ? { body: r.body } : {}) })
      if (typeof a.body?.userSig === 'string') remember(a.body.userSig)
      return a
    }
    const before = await send(await r.good())
    assert.equal(before.status, 200, `${r.name}: the right credential works before the loop: ${JSON.stringify(before.body)}`)
    const statuses: number[] = []
    for (let i = 0; i < LIMIT + 4; i++) statuses.push((await send(await r.guess(i))).status)
    assert.deepEqual(statuses.slice(0, LIMIT), Array(LIMIT).fill(401), `${r.name}: the first guesses are 401`)
    assert.equal(statuses.at(-1), 429, `${r.name}: the loop is limited: ${statuses.join(',')}`)
    const after = await send(await r.good())
    assert.equal(after.status, 429, `${r.name}: once limited, the right credential is not looked at from this address`)
    assert.match(after.headers.get('retry-after') ?? '', /^\d+$/)
    const denied = s.audit().filter((e) => e.kind === r.kind && e.outcome === 'denied')
    assert.ok(denied.length >= LIMIT + 4, `${r.name}: every failure is audited (${denied.length})`)
    assert.ok(denied.every((e) => e.clientIp === '127.0.0.1' && typeof e.requestId === 'string'))
    assert.ok(denied.some((e) => e.reason === 'RATE_LIMITED'))
  })
}

test('a valid API key without the scope answers exactly like an unknown key', async () => {
  const s = await serve((c) => { c.metrics = { requireApiKey: true } })
  const pairs: [string, string, unknown, string][] = [
    ['GET', '/metrics', undefined, ISSUE_KEY],
    ['GET', '/v1/admin/apps', undefined, VERIFY_KEY],
    ['GET', '/v1/admin/audit', undefined, ISSUE_KEY],
    ['POST', '/v1/admin/usersig', { userId: 'bob' }, VERIFY_KEY],
    ['POST', '/v1/verify', { token: 'eJx', userId: 'bob' }, ISSUE_KEY],
    ['POST', '/v1/explain', { token: 'eJx' }, ISSUE_KEY],
  ]
  for (const [method, path, body, scopeless] of pairs) {
    const init = (k: string) => ({ method, headers: { 'x-api-key': k }, ...(body !== undefined ? { body } : {}) })
    const wrong = await call(s.url, path, init(`unknown-${randomBytes(24).toString('hex')}`))
    const valid = await call(s.url, path, init(scopeless))
    assert.equal(valid.status, wrong.status, path)
    assert.deepEqual(valid.body, wrong.body, path)
    assert.equal(valid.headers.get('www-authenticate'), wrong.headers.get('www-authenticate'), path)
  }
  const scope = s.audit().filter((e) => String(e.reason).startsWith('SCOPE_MISSING'))
  assert.equal(scope.length, pairs.length, 'the audit line tells them apart')
  assert.ok(scope.every((e) => /^apikey:/.test(e.auth)))
})
