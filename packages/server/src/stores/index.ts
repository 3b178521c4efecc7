/**
 * Builds the configured store. Redis is wrapped with its fail mode:
 * - "closed": a hit while Redis is unreachable is 503 STORE_UNAVAILABLE, and /readyz says 503;
 * - "local": hits fall back to this instance's in-memory counters (each instance then enforces the limit on its
 *   own), /readyz stays 200 and reports "degraded".
 * Either way the service returns to Redis by itself as soon as the connection is back.
 */
import type { Logger } from 'pino'
import { HttpError } from '../errors.js'
import type { RateLimitConfig } from '../config/types.js'
import { memoryStore } from './memory.js'
import { redisStore } from './redis.js'
import type { RateLimitStore, StoreHealth } from './types.js'

export type { RateLimitStore, HitResult, StoreHealth } from './types.js'
export { memoryStore } from './memory.js'

export interface StoreHooks {
  /** Called when a hit goes to the local fallback because Redis is unreachable. */
  onFallback?(): void
}

export function createStore(c: RateLimitConfig, logger: Logger, nowMs: () => number, hooks: StoreHooks = {}): RateLimitStore {
  if (c.store === 'memory' || !c.redis) return memoryStore(c.algorithm, nowMs)
  const r = c.redis
  const redis = redisStore({ url: r.url, cluster: r.cluster, keyPrefix: r.keyPrefix, algorithm: c.algorithm, commandTimeoutMs: r.commandTimeoutMs, logger })
  const local = memoryStore(c.algorithm, nowMs)
  let degraded = false

  function down(): void {
    if (!degraded) {
      logger.warn({ store: 'redis', failMode: r.failMode }, r.failMode === 'closed'
        ? 'rate-limit store unreachable: answering 503 until it is back'
        : 'rate-limit store unreachable: using local limits until it is back')
    }
    degraded = true
  }

  return {
    async hit(key, limit, windowSeconds) {
      let cause: unknown
      if (redis.ready()) {
        try {
          const res = await redis.hit(key, limit, windowSeconds)
          if (degraded) logger.info({ store: 'redis' }, 'rate-limit store reachable again')
          degraded = false
          return res
        } catch (e) {
          cause = e
        }
      }
      down()
      if (r.failMode === 'local') {
        hooks.onFallback?.()
        return local.hit(key, limit, windowSeconds)
      }
      throw new HttpError('STORE_UNAVAILABLE', 'the rate-limit store is unreachable; try again shortly', { cause, headers: { 'retry-after': '1' } })
    },
    health(): StoreHealth {
      const h = redis.health()
      if (h.ok) return h
      return r.failMode === 'local' ? { ok: true, degraded: true, detail: `${h.detail}; using local limits` } : h
    },
    async close() {
      await Promise.all([redis.close(), local.close()])
    },
  }
}
