/**
 * Builds the configured store. Redis is wrapped with its fail mode:
 * - "closed": a hit while Redis is unreachable is 503 STORE_UNAVAILABLE, and /readyz says 503;
 * - "local": hits fall back to this instance's in-memory counters (each instance then enforces the limit on its
 *   own), /readyz stays 200 and reports "degraded".
 *
 * A circuit sits in front of Redis. A failed or timed-out command, or a failed background probe (a PING every
 * second), marks Redis unreachable; from then on requests do not wait for it at all (the fail mode answers at
 * once) while the probe keeps trying, and the first probe that succeeds closes the circuit again. A Redis that
 * hangs (connection open, no answers) is seen by the probe within about a second plus the command timeout, with or
 * without traffic. An outage is logged twice: once when it starts, once when it ends; the requests in between are
 * counted by metrics (`onFallback`, `onRefused`).
 */
import type { Logger } from 'pino'
import { HttpError } from '../errors.js'
import type { RateLimitConfig } from '../config/types.js'
import { memoryStore } from '@usersig/issuer'
import { redisStore } from './redis.js'
import type { RateLimitStore, StoreHealth } from './types.js'

export type { RateLimitStore, HitResult, StoreHealth } from './types.js'
/** In-process counters (the issuing pipeline's): the default, and the fallback when Redis is down with failMode "local". */
export { memoryStore }

export interface StoreHooks {
  /** Called when a hit goes to the local fallback because Redis is unreachable. */
  onFallback?(): void
  /** Called when a hit is refused (failMode "closed") because Redis is unreachable. */
  onRefused?(): void
}

/** Time between two background probes of Redis. */
const PROBE_INTERVAL_MS = 1000
const NOT_CONNECTED = { code: 'NOT_CONNECTED' }

/** A short label for the log: the error's code, or TIMEOUT; never the message (it may name the server). */
function errorLabel(e: unknown): string {
  const x = e as { code?: unknown; message?: unknown } | null
  if (typeof x?.code === 'string') return x.code
  return typeof x?.message === 'string' && /timed out/i.test(x.message) ? 'TIMEOUT' : 'ERROR'
}

/** The rate-limit store the config names: in memory, or Redis behind a circuit breaker. */
export function createStore(c: RateLimitConfig, logger: Logger, nowMs: () => number, hooks: StoreHooks = {}): RateLimitStore {
  if (c.store === 'memory' || !c.redis) return memoryStore(c.algorithm, nowMs, c.maxKeys)
  const r = c.redis
  const redis = redisStore({ url: r.url, cluster: r.cluster, keyPrefix: r.keyPrefix, algorithm: c.algorithm, commandTimeoutMs: r.commandTimeoutMs, logger })
  const local = memoryStore(c.algorithm, nowMs, c.maxKeys)
  /** Known unreachable since this time (ms), or null while Redis answers. */
  let downSince: number | null = null
  let reason = ''
  let closed = false

  function down(cause: unknown): void {
    if (downSince !== null || closed) return
    downSince = Date.now()
    reason = errorLabel(cause)
    logger.warn({ store: 'redis', failMode: r.failMode, error: reason }, r.failMode === 'closed'
      ? 'rate-limit store unreachable: answering 503 until it is back'
      : 'rate-limit store unreachable: using local limits until it is back')
  }

  function up(): void {
    if (downSince === null) return
    logger.info({ store: 'redis', downMs: Date.now() - downSince }, 'rate-limit store reachable again')
    downSince = null
  }

  let probing = false
  const probe = setInterval(() => {
    if (probing) return
    probing = true
    // Up only when the connection is ready and answers: a PING may get through while the client is still reconnecting.
    const ping = redis.ready() ? redis.ping() : Promise.reject(NOT_CONNECTED)
    ping.then(() => (redis.ready() ? up() : down(NOT_CONNECTED)), down).finally(() => { probing = false })
  }, PROBE_INTERVAL_MS)
  probe.unref()

  return {
    async hit(key, limit, windowSeconds) {
      let cause: unknown
      if (downSince === null) {
        if (redis.ready()) {
          try {
            return await redis.hit(key, limit, windowSeconds)
          } catch (e) {
            cause = e
          }
        } else {
          cause = NOT_CONNECTED
        }
        down(cause)
      }
      if (r.failMode === 'local') {
        hooks.onFallback?.()
        return local.hit(key, limit, windowSeconds)
      }
      hooks.onRefused?.()
      throw new HttpError('STORE_UNAVAILABLE', 'the rate-limit store is unreachable; try again shortly', { cause, headers: { 'retry-after': '1' } })
    },
    health(): StoreHealth {
      const h: StoreHealth = downSince === null ? redis.health() : { ok: false, detail: `redis unreachable (${reason})` }
      if (h.ok) return h
      return r.failMode === 'local' ? { ok: true, degraded: true, detail: `${h.detail}; using local limits` } : h
    },
    async close() {
      closed = true
      clearInterval(probe)
      await Promise.all([redis.close(), local.close()])
    },
  }
}
