/**
 * Over real ports with a real redis-server: two instances share one limit; Redis stopped mid-test gives 503
 * (failMode "closed") or local limits (failMode "local"), and both come back by themselves when Redis returns.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { verifyUserSig } from 'usersig'
import { checkLogsAtEnd, jwt, listeningService, LOGS, remember, SDKAPPID, SECRET_KEY } from './helpers.js'
import { REDIS_SERVER, startRedis, waitFor, type RedisProcess } from './redis-helper.js'

checkLogsAtEnd()
let redis: RedisProcess
const skip = REDIS_SERVER.skip
before(async () => {
  if (!skip) redis = await startRedis()
})
after(async () => {
  await redis?.stop()
})

async function issue(url: string, token: string): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${url}/v1/usersig`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' })
  const body = await res.json()
  if (body.userSig) remember(body.userSig)
  return { status: res.status, body, headers: res.headers }
}

for (const algorithm of ['fixed', 'sliding'] as const) {
  test(`two instances sharing one redis-server enforce one global limit (${algorithm} window)`, { skip }, async () => {
    const rl = { algorithm, perUser: '10/1m', perIp: false, redis: { url: redis.url, keyPrefix: `t1-${algorithm}:` } }
    const a = await listeningService(rl)
    const b = await listeningService(rl)
    await waitFor(async () => (await fetch(`${a.url}/readyz`)).status === 200 && (await fetch(`${b.url}/readyz`)).status === 200, 5000, 'both instances ready')
    const token = await jwt({}, { sub: `shared-${algorithm}` })
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => issue(i % 2 ? a.url : b.url, token)))
    const ok = results.filter((r) => r.status === 200)
    assert.equal(ok.length, 10, 'exactly the limit across both instances')
    for (const r of results.filter((x) => x.status !== 200)) {
      assert.equal(r.status, 429)
      assert.ok(Number(r.headers.get('retry-after')) >= 1)
    }
    for (const r of ok) assert.equal(verifyUserSig(r.body.userSig, { sdkAppId: SDKAPPID, userId: `shared-${algorithm}`, secretKey: SECRET_KEY }).ok, true)
    // Another user has a budget of their own.
    assert.equal((await issue(a.url, await jwt({}, { sub: `other-${algorithm}` }))).status, 200)
  })
}

test('failMode "closed": Redis down → 503 STORE_UNAVAILABLE and /readyz 503; back by itself when Redis returns', { skip }, async () => {
  const a = await listeningService({ algorithm: 'fixed', perUser: '5/1m', perIp: false, redis: { url: redis.url, keyPrefix: 't2:', failMode: 'closed', commandTimeout: '300ms' } })
  await waitFor(async () => (await fetch(`${a.url}/readyz`)).status === 200, 5000, 'ready')
  const token = await jwt({}, { sub: 'closed-user' })
  assert.equal((await issue(a.url, token)).status, 200)

  await redis.stop()
  await waitFor(async () => (await fetch(`${a.url}/readyz`)).status === 503, 5000, 'readyz to notice')
  const ready = await (await fetch(`${a.url}/readyz`)).json()
  assert.equal(ready.error.code, 'STORE_UNAVAILABLE')
  const down = await issue(a.url, token)
  assert.equal(down.status, 503)
  assert.equal(down.body.error.code, 'STORE_UNAVAILABLE')
  assert.equal(down.headers.get('retry-after'), '1')
  assert.equal((await fetch(`${a.url}/healthz`)).status, 200, 'alive, just not ready')

  await redis.start()
  await waitFor(async () => (await fetch(`${a.url}/readyz`)).status === 200, 10_000, 'recovery')
  // Redis restarted empty (no persistence): a fresh budget of 5, enforced by Redis again.
  const after = await Promise.all(Array.from({ length: 8 }, () => issue(a.url, token)))
  assert.equal(after.filter((r) => r.status === 200).length, 5)
  assert.ok(LOGS.some((l) => l.includes('rate-limit store unreachable')), 'the outage is logged')
})

test('failMode "local": Redis down → each instance enforces the limit on its own, /readyz 200 degraded; shared again after', { skip }, async () => {
  const rl = { algorithm: 'fixed', perUser: '4/1m', perIp: false, redis: { url: redis.url, keyPrefix: 't3:', failMode: 'local', commandTimeout: '300ms' } }
  const a = await listeningService(rl)
  const b = await listeningService(rl)
  await waitFor(async () => (await fetch(`${a.url}/readyz`)).status === 200 && (await fetch(`${b.url}/readyz`)).status === 200, 5000, 'ready')

  await redis.stop()
  await waitFor(async () => (await (await fetch(`${a.url}/readyz`)).json()).status === 'degraded', 5000, 'degraded')
  const ready = await fetch(`${b.url}/readyz`)
  assert.equal(ready.status, 200)
  const token = await jwt({}, { sub: 'local-user' })
  const onA = await Promise.all(Array.from({ length: 6 }, () => issue(a.url, token)))
  const onB = await Promise.all(Array.from({ length: 6 }, () => issue(b.url, token)))
  assert.equal(onA.filter((r) => r.status === 200).length, 4, 'instance A: its own limit')
  assert.equal(onB.filter((r) => r.status === 200).length, 4, 'instance B: its own limit')
  const metrics = await (await fetch(`${a.url}/metrics`)).text()
  assert.match(metrics, /usersig_rate_limit_store_fallback_total \d+/)

  await redis.start()
  await waitFor(async () => (await (await fetch(`${a.url}/readyz`)).json()).status === 'ready' && (await (await fetch(`${b.url}/readyz`)).json()).status === 'ready', 10_000, 'recovery')
  const shared = await jwt({}, { sub: 'local-user-2' })
  const both = await Promise.all(Array.from({ length: 10 }, (_, i) => issue(i % 2 ? a.url : b.url, shared)))
  assert.equal(both.filter((r) => r.status === 200).length, 4, 'one shared limit again')
})

test('Redis unreachable at start: failMode "closed" is not ready until it appears', { skip }, async () => {
  const { freePort } = await import('./redis-helper.js')
  const port = await freePort()
  const a = await listeningService({ perUser: '5/1m', perIp: false, redis: { url: `redis://127.0.0.1:${port}`, failMode: 'closed', commandTimeout: '200ms' } })
  assert.equal((await fetch(`${a.url}/readyz`)).status, 503)
  assert.equal((await issue(a.url, await jwt())).status, 503)
})
