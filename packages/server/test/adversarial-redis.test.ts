/**
 * Items 5 and 6 of the adversarial suite: a real redis-server killed (SIGKILL) and frozen (SIGSTOP: connection
 * open, no answers), in both fail modes. /readyz sees it within seconds, requests do not each wait for Redis while it
 * is known to be down, each outage is logged once when it starts and once when it ends (the requests in between are
 * counted by a metric), and every log line is JSON without a duplicate key.
 */
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { prereq } from '../../../scripts/prereq.mjs'
import { createApp, createLogger } from '../src/index.js'
import { bearer, config, jwt } from './helpers.js'
import { parseStrict } from './main-process.js'
import { startRedis, waitFor, type RedisProcess } from './redis-helper.js'

const redisServer = prereq('redis-server')
const COMMAND_TIMEOUT_MS = 2000
const FROZEN_REQUESTS = 20

let redis: RedisProcess | undefined
after(async () => {
  redis?.signal('SIGCONT')
  await redis?.stop()
})

for (const failMode of ['closed', 'local'] as const) test(`Redis frozen then killed, failMode ${failMode}: readiness follows, requests answer at once, one line per outage`, { skip: redisServer.skip, timeout: 120_000 }, async () => {
  redis ??= await startRedis()
  const lines: string[] = []
  const logger = createLogger({ level: 'info', destination: new Writable({ write(c, _e, cb) { lines.push(...String(c).split('\n').filter(Boolean)); cb() } }) })
  const app = await createApp({
    config: config((c) => { c.rateLimit = { perUser: '100000/1m', perIp: '100000/1m', redis: { url: redis!.url, failMode, commandTimeout: `${COMMAND_TIMEOUT_MS}ms`, keyPrefix: `t-${failMode}:` } } }),
    logger,
    staticDir: null,
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const url = `http://127.0.0.1:${(app.server.address() as import('node:net').AddressInfo).port}`
  const auth = bearer(await jwt())
  const issue = async () => {
    const r = await fetch(`${url}/v1/usersig`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}' })
    return { status: r.status, retryAfter: r.headers.get('retry-after'), body: (await r.json()) as any }
  }
  const readyz = async () => {
    const r = await fetch(`${url}/readyz`)
    return { status: r.status, body: (await r.json()) as any }
  }
  const isReady = async () => { const r = await readyz(); return r.status === 200 && r.body.status === 'ready' }
  const isOut = async () => {
    const r = await readyz()
    return failMode === 'closed' ? r.status === 503 && r.body.error.code === 'STORE_UNAVAILABLE' : r.status === 200 && r.body.status === 'degraded'
  }
  const duringOutage = async (what: string) => {
    // Without the circuit every request would wait for Redis (up to two command timeouts each); with it, none does.
    const start = Date.now()
    for (let i = 0; i < FROZEN_REQUESTS; i++) {
      const r = await issue()
      if (failMode === 'closed') {
        assert.equal(r.status, 503, what)
        assert.equal(r.body.error.code, 'STORE_UNAVAILABLE')
        assert.equal(r.retryAfter, '1')
      } else {
        assert.equal(r.status, 200, what)
      }
    }
    const spent = Date.now() - start
    assert.ok(spent < (FROZEN_REQUESTS * COMMAND_TIMEOUT_MS) / 2, `${what}: ${FROZEN_REQUESTS} requests waited ${spent} ms in all; they should not wait for Redis`)
  }
  try {
    await waitFor(isReady, 10_000, 'redis to be ready')
    assert.equal((await issue()).status, 200)
    // Only the outages this test causes count (a slow first connection may show as one at startup).
    lines.length = 0

    redis.signal('SIGSTOP')
    await waitFor(isOut, 3 * COMMAND_TIMEOUT_MS, '/readyz to see the frozen redis')
    await duringOutage('frozen')
    redis.signal('SIGCONT')
    await waitFor(isReady, 10_000, '/readyz to see redis again')
    assert.equal((await issue()).status, 200)

    await redis.stop()
    await waitFor(isOut, 3 * COMMAND_TIMEOUT_MS, '/readyz to see the killed redis')
    await duringOutage('killed')
    await redis.start()
    await waitFor(isReady, 15_000, '/readyz to see the restarted redis')
    assert.equal((await issue()).status, 200)

    const metrics = await (await fetch(`${url}/metrics`)).text()
    const counter = failMode === 'closed' ? 'usersig_rate_limit_store_refused_total' : 'usersig_rate_limit_store_fallback_total'
    const n = Number(new RegExp(`^${counter} (\\d+)`, 'm').exec(metrics)?.[1])
    assert.ok(n >= 2 * FROZEN_REQUESTS, `${counter} counts the requests of both outages (${n})`)
  } finally {
    await app.close()
  }
  const parsed = lines.map((l) => parseStrict(l) as Record<string, any>)
  const started = parsed.filter((l) => /rate-limit store unreachable/.test(l['msg']))
  const ended = parsed.filter((l) => /rate-limit store reachable again/.test(l['msg']))
  assert.equal(started.length, 2, `one line per outage start: ${started.length}`)
  assert.equal(ended.length, 2, `one line per outage end: ${ended.length}`)
  const warnings = parsed.filter((l) => l['level'] >= 40)
  assert.equal(warnings.length, 2, `no WARN line per request: ${warnings.map((l) => l['msg']).join(' | ')}`)
})
