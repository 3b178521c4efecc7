/**
 * Item 2 of the adversarial suite: counters created without logging in (per-address counters, from distinct source
 * addresses or from forged X-Forwarded-For with trustProxy) never evict a user's counter, and memory stays bounded.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { createApp, memoryStore } from '../src/index.js'
import { bearer, config, jwt, testLogger, checkLogsAtEnd } from './helpers.js'

checkLogsAtEnd()

function send(url: string, headers: Record<string, string>, localAddress?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/usersig`, { method: 'POST', agent: false, ...(localAddress ? { localAddress } : {}), headers: { 'content-type': 'application/json', connection: 'close', ...headers } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode!))
    })
    req.on('error', reject)
    req.end('{}')
  })
}

test('the memory store: a flood of address counters never evicts a user counter; both partitions stay within the cap', async () => {
  const store = memoryStore('sliding', Date.now, 100)
  for (let i = 0; i < 3; i++) assert.equal((await store.hit('user:1:alice', 3, 60)).allowed, true)
  assert.equal((await store.hit('user:1:alice', 3, 60)).allowed, false)
  for (let i = 0; i < 1000; i++) await store.hit(`ip:10.${i >> 8}.${i & 255}.1`, 100, 60)
  assert.equal((await store.hit('user:1:alice', 3, 60)).allowed, false, 'alice is still limited')
  assert.ok(store.size() <= 200, `bounded: ${store.size()} counters`)
  // Users can only push out other users, and only up to the cap.
  for (let i = 0; i < 1000; i++) await store.hit(`user:1:u${i}`, 3, 60)
  assert.ok(store.size() <= 200, `bounded: ${store.size()} counters`)
})

test('over HTTP: unauthenticated floods from 300 distinct addresses and forged X-Forwarded-For leave a limited user limited', async () => {
  const app = await createApp({
    config: config((c) => {
      c.server = { trustProxy: true, consoleDir: null }
      c.rateLimit = { perUser: '3/1m', perIp: '1000/1m', maxKeys: 100 }
    }),
    logger: testLogger(),
    staticDir: null,
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const url = `http://127.0.0.1:${(app.server.address() as import('node:net').AddressInfo).port}`
  try {
    const alice = bearer(await jwt())
    for (let i = 0; i < 3; i++) assert.equal(await send(url, alice), 200)
    assert.equal(await send(url, alice), 429)
    // 150 real source addresses (all of 127/8 is loopback on Linux) and 150 forged ones; none logs in.
    for (let i = 0; i < 150; i++) assert.equal(await send(url, {}, `127.0.${1 + (i >> 8)}.${(i & 255) + 1}`), 401)
    for (let i = 0; i < 150; i++) assert.equal(await send(url, { 'x-forwarded-for': `203.0.${i >> 8}.${i & 255}` }), 401)
    assert.equal(await send(url, alice), 429, 'the limited user is still limited')
  } finally {
    await app.close()
  }
})
