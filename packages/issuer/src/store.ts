/**
 * The rate-limit store interface (the Node service's Redis store plugs in unchanged), and the in-memory store, which
 * both adapters use: per process, or per isolate at the edge, where each isolate counts on its own (an approximate limit).
 */
import { HttpError } from './errors.js'

/**
 * How a rate limit counts (`rateLimit.algorithm` in the config): `fixed` resets the count at each window boundary;
 * `sliding` weighs the previous window by how much of it still overlaps, so a burst across a boundary is not let
 * through twice.
 */
export type Algorithm = 'fixed' | 'sliding'

/** The answer of `RateLimitStore.hit`: whether the request is within the limit, and if not, when to retry. */
export interface HitResult {
  /** True when the request counts within the limit; false means the caller gets 429 RATE_LIMITED. */
  allowed: boolean
  /** Seconds until a retry may succeed (for Retry-After); 0 when allowed. */
  retryAfter: number
}

/** What a store reports about itself for `/healthz` and `/readyz`. */
export interface StoreHealth {
  /** False when the store cannot count requests (the service's /readyz then answers 503). */
  ok: boolean
  /** Serving, but not as configured (Redis down, local limits in use). */
  degraded?: boolean
  /** "memory", "redis", or "redis-down (local fallback)" … */
  detail: string
}

/**
 * Where rate-limit counters live. The pipeline, the edge handler and the Node service take any object of this shape
 * (`store` in their options); `memoryStore` is the default and the service's Redis store is another. Implement it to
 * share limits across instances, for example over a platform's KV or a Redis reached over HTTP. The pipeline and the
 * edge handler answer a store that throws with 503 STORE_UNAVAILABLE (`failClosed`): a failing store never lets a
 * request through.
 */
export interface RateLimitStore {
  /**
   * Counts one request against `key` and says whether it is within `limit` requests per `windowSeconds` seconds.
   * Keys are opaque strings the pipeline builds (per-user keys start with `user:`); a store keeps them apart.
   */
  hit(key: string, limit: number, windowSeconds: number): Promise<HitResult>
  /** The store's state right now, without a round trip: called on every health and readiness check. */
  health(): StoreHealth
  /** Releases connections and timers; called once when the service or pipeline shuts down. */
  close(): Promise<void>
}

/**
 * Sliding window (the "window counter" approximation): the estimate is the previous window's count weighted by how
 * much of it still overlaps, plus the current count. Returns whether one more fits, and if not, how long until it would.
 */
export function slidingDecision(prev: number, cur: number, elapsedMs: number, windowMs: number, limit: number): HitResult {
  const estimate = (prev * (windowMs - elapsedMs)) / windowMs + cur
  if (estimate + 1 <= limit) return { allowed: true, retryAfter: 0 }
  let waitMs: number
  if (cur + 1 <= limit && prev > 0) {
    const x = 1 - (limit - cur - 1) / prev
    waitMs = x * windowMs - elapsedMs
  } else {
    const x = cur > 0 ? Math.max(0, 1 - (limit - 1) / cur) : 0
    waitMs = windowMs - elapsedMs + x * windowMs
  }
  return { allowed: false, retryAfter: Math.max(1, Math.ceil(waitMs / 1000)) }
}

interface Entry {
  /** Window index (time / window length). */
  index: number
  cur: number
  prev: number
  windowMs: number
}

/** The key prefix of counters that only authenticated requests create (the per-user limit). */
const PROTECTED_PREFIX = 'user:'

/** One capped map of counters. */
function partition(maxKeys: number) {
  const entries = new Map<string, Entry>()
  let lastSweep = 0
  return {
    entries,
    /** Drops entries whose windows can no longer count (at most once a second), then the oldest while full. */
    sweep(now: number): void {
      if (now - lastSweep >= 1000) {
        lastSweep = now
        for (const [k, e] of entries) if (Math.floor(now / e.windowMs) > e.index + 1) entries.delete(k)
      }
      while (entries.size >= maxKeys) entries.delete(entries.keys().next().value as string)
    },
  }
}

/**
 * Counters in memory (one process, or one isolate at the edge), bounded. Keys under `user:` (a per-user limit, which
 * only an authenticated request creates) sit apart from every other key (per-address counters, which anyone on the
 * network creates at will), each partition capped at `maxKeys`: a flood of new addresses only evicts other address
 * counters, never a user's, so a limited user stays limited. A full partition drops its least recently created counter.
 */
export function memoryStore(algorithm: Algorithm, nowMs: () => number, maxKeys = 100_000): RateLimitStore & { size(): number } {
  const users = partition(maxKeys)
  const others = partition(maxKeys)

  return {
    async hit(key, limit, windowSeconds): Promise<HitResult> {
      const now = nowMs()
      const part = key.startsWith(PROTECTED_PREFIX) ? users : others
      const entries = part.entries
      const windowMs = windowSeconds * 1000
      const index = Math.floor(now / windowMs)
      let e = entries.get(key)
      if (!e) {
        // Only a new key can need room; an existing key is updated in place.
        part.sweep(now)
        e = { index, cur: 0, prev: 0, windowMs }
        entries.set(key, e)
      } else if (e.windowMs !== windowMs || e.index < index - 1) {
        e.index = index
        e.cur = 0
        e.prev = 0
        e.windowMs = windowMs
      } else if (e.index === index - 1) {
        e.index = index
        e.prev = e.cur
        e.cur = 0
      }
      const elapsed = now - index * windowMs
      if (algorithm === 'fixed') {
        e.cur++
        return e.cur <= limit ? { allowed: true, retryAfter: 0 } : { allowed: false, retryAfter: Math.max(1, Math.ceil((windowMs - elapsed) / 1000)) }
      }
      const d = slidingDecision(e.prev, e.cur, elapsed, windowMs, limit)
      if (d.allowed) e.cur++
      return d
    },
    health: () => ({ ok: true, detail: 'memory' }),
    async close() {
      users.entries.clear()
      others.entries.clear()
    },
    size: () => users.entries.size + others.entries.size,
  }
}

/**
 * The store with its failures answered as 503 STORE_UNAVAILABLE with Retry-After (never an open door, never a 500):
 * what the portable pipeline does with any store it is given. An HttpError the store throws itself is passed on.
 */
export function failClosed(store: RateLimitStore): RateLimitStore {
  return {
    async hit(key, limit, windowSeconds) {
      try {
        return await store.hit(key, limit, windowSeconds)
      } catch (e) {
        if (e instanceof HttpError) throw e
        throw new HttpError('STORE_UNAVAILABLE', 'the rate-limit store is unreachable; retry shortly', { headers: { 'retry-after': '1' }, cause: e })
      }
    },
    health: () => store.health(),
    close: () => store.close(),
  }
}
