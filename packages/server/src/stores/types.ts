/** The rate-limit store interface: the service never talks to a driver directly. */

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
 * Sliding window (the "window counter" approximation): the estimate is the previous window's count weighted by
 * how much of it still overlaps, plus the current count. Returns whether one more fits, and if not, how long until
 * it would.
 */
export function slidingDecision(prev: number, cur: number, elapsedMs: number, windowMs: number, limit: number): HitResult {
  const estimate = (prev * (windowMs - elapsedMs)) / windowMs + cur
  if (estimate + 1 <= limit) return { allowed: true, retryAfter: 0 }
  let waitMs: number
  if (cur + 1 <= limit && prev > 0) {
    // Within this window, once enough of the previous one has slid out: prev*(1-x) + cur + 1 <= limit.
    const x = 1 - (limit - cur - 1) / prev
    waitMs = x * windowMs - elapsedMs
  } else {
    // Next window, once enough of this one has slid out: cur*(1-x) + 1 <= limit.
    const x = cur > 0 ? Math.max(0, 1 - (limit - 1) / cur) : 0
    waitMs = windowMs - elapsedMs + x * windowMs
  }
  return { allowed: false, retryAfter: Math.max(1, Math.ceil(waitMs / 1000)) }
}
