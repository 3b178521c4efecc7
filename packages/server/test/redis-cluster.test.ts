/**
 * Over real ports with a real three-node Redis Cluster: two service instances share one limit whatever node a
 * counter lands on (both window algorithms; the sliding window's two keys share a hash tag, so one slot).
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { verifyUserSig } from 'usersig'
import { checkLogsAtEnd, jwt, listeningService, remember, SDKAPPID, SECRET_KEY } from './helpers.js'
import { REDIS_CLI, REDIS_SERVER, startRedisCluster, waitFor, type RedisClusterProcess } from './redis-helper.js'

checkLogsAtEnd()
let cluster: RedisClusterProcess
const skip = REDIS_SERVER.skip || REDIS_CLI.skip
before(async () => {
  if (!skip) cluster = await startRedisCluster(3)
})
after(async () => {
  await cluster?.stop()
})

async function issue(url: string, token: string): Promise<number> {
  const res = await fetch(`${url}/v1/usersig`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' })
  const body = await res.json()
  if (body.userSig) {
    remember(body.userSig)
    assert.equal(verifyUserSig(body.userSig, { sdkAppId: SDKAPPID, userId: body.userId, secretKey: SECRET_KEY }).ok, true)
  }
  return res.status
}

for (const algorithm of ['fixed', 'sliding'] as const) {
  test(`two instances on a Redis Cluster enforce one limit per user, wherever its counter lives (${algorithm})`, { skip }, async () => {
    // A generous command timeout: on a busy machine the default 0.5 s can pass, and the store then falls back to its
    // own memory (a limit per instance), which is the outage behaviour, not what this test is about.
    const rl = { algorithm, perUser: '5/1m', perIp: false, redis: { url: cluster.url, cluster: true, keyPrefix: `c-${algorithm}:`, commandTimeout: '10s' } }
    const a = await listeningService(rl)
    const b = await listeningService(rl)
    await waitFor(async () => (await fetch(`${a.url}/readyz`)).status === 200 && (await fetch(`${b.url}/readyz`)).status === 200, 60_000, 'both instances ready')
    // Eight users: their counters hash to slots spread over the three nodes.
    const users = Array.from({ length: 8 }, (_, i) => `cluster-${algorithm}-${i}`)
    for (const user of users) {
      const token = await jwt({}, { sub: user })
      const statuses = await Promise.all(Array.from({ length: 12 }, (_, i) => issue(i % 2 ? a.url : b.url, token)))
      assert.equal(statuses.filter((s) => s === 200).length, 5, `${user}: exactly the limit across both instances`)
      assert.ok(statuses.every((s) => s === 200 || s === 429))
    }
    // The counters really are spread over more than one node.
    const nodesWithKeys = cluster.ports.filter((p) => Number(execFileSync(REDIS_CLI.path!, ['-p', String(p), 'dbsize']).toString().trim()) > 0)
    assert.ok(nodesWithKeys.length >= 2, `keys on ${nodesWithKeys.length} node(s)`)
  })
}
