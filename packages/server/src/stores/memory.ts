/** In-process counters: the default, and the fallback when Redis is down with failMode "local". */
import { slidingDecision, type Algorithm, type HitResult, type RateLimitStore } from './types.js'

interface Entry {
  /** Window index (time / window length). */
  index: number
  cur: number
  prev: number
  windowMs: number
}

export function memoryStore(algorithm: Algorithm, nowMs: () => number, maxKeys = 100_000): RateLimitStore & { size(): number } {
  const entries = new Map<string, Entry>()
  let lastSweep = 0

  function sweep(now: number): void {
    // Drop entries whose windows can no longer count, at most once a second, so memory stays bounded.
    if (now - lastSweep < 1000 && entries.size < maxKeys) return
    lastSweep = now
    for (const [k, e] of entries) if (Math.floor(now / e.windowMs) > e.index + 1) entries.delete(k)
    while (entries.size >= maxKeys) entries.delete(entries.keys().next().value as string)
  }

  return {
    async hit(key, limit, windowSeconds): Promise<HitResult> {
      const now = nowMs()
      sweep(now)
      const windowMs = windowSeconds * 1000
      const index = Math.floor(now / windowMs)
      let e = entries.get(key)
      if (!e || e.windowMs !== windowMs || e.index < index - 1) e = { index, cur: 0, prev: 0, windowMs }
      else if (e.index === index - 1) e = { index, cur: 0, prev: e.cur, windowMs }
      entries.set(key, e)
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
      entries.clear()
    },
    size: () => entries.size,
  }
}
