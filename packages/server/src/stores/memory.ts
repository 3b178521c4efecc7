/**
 * In-process counters: the default, and the fallback when Redis is down with failMode "local".
 *
 * Counters live in two partitions with a cap each. Keys under `user:` (a per-user limit, which only an authenticated
 * request creates) sit apart from every other key (per-address counters, which anyone on the network creates at will).
 * A flood of new addresses can then only evict other address counters, never a user's: a limited user stays limited.
 * When a partition is full, its least recently created counter goes, so memory stays bounded either way.
 */
import { slidingDecision, type Algorithm, type HitResult, type RateLimitStore } from './types.js'

interface Entry {
  /** Window index (time / window length). */
  index: number
  cur: number
  prev: number
  windowMs: number
}

/** The key prefix of counters that only authenticated requests create (see runtime.ts `limitUser`). */
const PROTECTED_PREFIX = 'user:'

/** One capped map of counters. */
function partition(maxKeys: number) {
  const entries = new Map<string, Entry>()
  let lastSweep = 0
  return {
    entries,
    /** Drops entries whose windows can no longer count (at most once a second), then the oldest while full. */
    sweep(now: number): void {
      if (now - lastSweep >= 1000 || entries.size >= maxKeys) {
        if (now - lastSweep >= 1000) {
          lastSweep = now
          for (const [k, e] of entries) if (Math.floor(now / e.windowMs) > e.index + 1) entries.delete(k)
        }
        while (entries.size >= maxKeys) entries.delete(entries.keys().next().value as string)
      }
    },
  }
}

/** An in-memory rate-limit store (one process), capped at `maxKeys` counters. */
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
