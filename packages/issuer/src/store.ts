/**
 * The rate-limit store interface (the service's shape, so its Redis store plugs in unchanged), and the in-memory
 * store: per process, or per isolate at the edge, where each isolate counts on its own (an approximate limit).
 */

export type Algorithm = 'fixed' | 'sliding'

export interface HitResult {
  allowed: boolean
  /** Seconds until a retry may succeed (for Retry-After); 0 when allowed. */
  retryAfter: number
}

export interface StoreHealth {
  ok: boolean
  /** Serving, but not as configured (Redis down, local limits in use). */
  degraded?: boolean
  /** "memory", "redis", or "redis-down (local fallback)" … */
  detail: string
}

export interface RateLimitStore {
  /** Counts one request against `key` and says whether it is within `limit` per `windowSeconds`. */
  hit(key: string, limit: number, windowSeconds: number): Promise<HitResult>
  health(): StoreHealth
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
  index: number
  cur: number
  prev: number
  windowMs: number
}

/**
 * Counters in memory, bounded. Keys are kept in one partition per scope (the text before the first ":", such as
 * "ip" and "user"), each capped at `maxKeys`: a flood of counters made by unauthenticated traffic (one per source
 * address) evicts only its own kind, never an authenticated user's counter.
 */
export function memoryStore(algorithm: Algorithm, nowMs: () => number, maxKeys = 100_000): RateLimitStore & { size(): number } {
  const parts = new Map<string, Map<string, Entry>>()
  let lastSweep = 0

  function sweep(now: number, part: Map<string, Entry>): void {
    // Windows that can no longer count are dropped at most once a second; a full partition drops its oldest keys.
    if (now - lastSweep >= 1000) {
      lastSweep = now
      for (const p of parts.values()) for (const [k, e] of p) if (Math.floor(now / e.windowMs) > e.index + 1) p.delete(k)
    }
    while (part.size >= maxKeys) part.delete(part.keys().next().value as string)
  }

  return {
    async hit(key, limit, windowSeconds): Promise<HitResult> {
      const now = nowMs()
      const scope = key.slice(0, Math.max(0, key.indexOf(':')))
      let part = parts.get(scope)
      if (!part) parts.set(scope, (part = new Map()))
      const windowMs = windowSeconds * 1000
      const index = Math.floor(now / windowMs)
      let e = part.get(key)
      if (!e) sweep(now, part)
      if (!e || e.windowMs !== windowMs || e.index < index - 1) e = { index, cur: 0, prev: 0, windowMs }
      else if (e.index === index - 1) e = { index, cur: 0, prev: e.cur, windowMs }
      part.set(key, e)
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
      parts.clear()
    },
    size: () => {
      let n = 0
      for (const p of parts.values()) n += p.size
      return n
    },
  }
}
