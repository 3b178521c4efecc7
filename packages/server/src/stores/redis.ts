/**
 * Redis counters shared by every instance, each hit one atomic Lua script (Redis's own clock, so instances with
 * skewed clocks still agree on windows). The client never queues commands while disconnected: a hit fails at once
 * and the caller applies the fail mode; ioredis keeps reconnecting in the background, so recovery needs nobody.
 */
import { Cluster, Redis } from 'ioredis'
import type { Logger } from 'pino'
import { slidingDecision, type Algorithm, type HitResult, type RateLimitStore } from './types.js'

// KEYS[1] counter key; ARGV[1] window ms. Returns { count, pttl }.
const FIXED = `
local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { c, ttl }
`

// KEYS[1] key base ("{prefix+key}", a hash tag, so both windows sit in one slot); ARGV[1] window ms, ARGV[2] limit.
// Counts the hit only when it fits. Returns { allowed, prev, cur, elapsedMs }.
const SLIDING = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local win = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local idx = math.floor(now / win)
local curKey = KEYS[1] .. ':' .. idx
local cur = tonumber(redis.call('GET', curKey) or '0')
local prev = tonumber(redis.call('GET', KEYS[1] .. ':' .. (idx - 1)) or '0')
local elapsed = now - idx * win
if prev * (win - elapsed) / win + cur + 1 <= limit then
  cur = redis.call('INCR', curKey)
  if cur == 1 then redis.call('PEXPIRE', curKey, win * 2 + 1000) end
  return { 1, prev, cur, elapsed }
end
return { 0, prev, cur, elapsed }
`

export interface RedisStoreOptions {
  url: string
  /** The URL is one node of a Redis Cluster (the sliding-window keys of one counter share a hash tag, so one slot). */
  cluster?: boolean
  keyPrefix: string
  algorithm: Algorithm
  commandTimeoutMs: number
  logger: Logger
}

type Scripted = (Redis | Cluster) & {
  usersigFixed(key: string, windowMs: number): Promise<[number, number]>
  usersigSliding(key: string, windowMs: number, limit: number): Promise<[number, number, number, number]>
}

export interface RedisStore extends RateLimitStore {
  /** True when the connection is up and commands can run. */
  ready(): boolean
  /** Resolves when Redis answers a PING within the command timeout; rejects otherwise. */
  ping(): Promise<void>
}

export function redisStore(o: RedisStoreOptions): RedisStore {
  const connection = {
    maxRetriesPerRequest: 0,
    commandTimeout: o.commandTimeoutMs,
    connectTimeout: Math.max(1000, o.commandTimeoutMs),
  }
  const backoff = (times: number) => Math.min(100 * times, 2000)
  let client: Scripted
  if (o.cluster) {
    // The URL's credentials and TLS apply to every node the cluster reports, not only to the first one.
    const u = new URL(o.url)
    client = new Cluster([{ host: u.hostname, port: Number(u.port || 6379) }], {
      enableOfflineQueue: false,
      clusterRetryStrategy: backoff,
      redisOptions: {
        ...connection,
        ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
        ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
        ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
      },
    }) as Scripted
  } else {
    client = new Redis(o.url, { ...connection, enableOfflineQueue: false, retryStrategy: backoff, lazyConnect: false }) as Scripted
  }
  client.defineCommand('usersigFixed', { numberOfKeys: 1, lua: FIXED })
  client.defineCommand('usersigSliding', { numberOfKeys: 1, lua: SLIDING })
  // Outages are logged once each by the caller's circuit (index.ts); the driver's own events only at debug.
  client.on('error', (e: Error & { code?: string }) => {
    o.logger.debug({ store: 'redis', error: e.code ?? e.name }, 'rate-limit store: redis error')
  })

  return {
    ready: () => client.status === 'ready',
    async ping() {
      await client.ping()
    },
    async hit(key, limit, windowSeconds): Promise<HitResult> {
      const windowMs = Math.round(windowSeconds * 1000)
      if (o.algorithm === 'fixed') {
        const [count, pttl] = await client.usersigFixed(o.keyPrefix + key, windowMs)
        return count <= limit ? { allowed: true, retryAfter: 0 } : { allowed: false, retryAfter: Math.max(1, Math.ceil(pttl / 1000)) }
      }
      const [allowed, prev, cur, elapsed] = await client.usersigSliding(`{${o.keyPrefix}${key}}`, windowMs, limit)
      return allowed === 1 ? { allowed: true, retryAfter: 0 } : slidingDecision(prev, cur, elapsed, windowMs, limit)
    },
    health: () => (client.status === 'ready' ? { ok: true, detail: 'redis' } : { ok: false, detail: `redis ${client.status}` }),
    async close() {
      try {
        if (client.status === 'ready') await client.quit()
        else client.disconnect()
      } catch {
        client.disconnect()
      }
    },
  }
}
