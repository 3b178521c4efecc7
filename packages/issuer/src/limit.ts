/**
 * One rate-limit check: a hit on the store against a rule. Over the rule is 429 RATE_LIMITED with Retry-After. Both
 * adapters check their limits through this; what a failing store means is the store's (see `failClosed`).
 */
import type { LimitRule } from './config/types.js'
import { HttpError } from './errors.js'
import type { RateLimitStore } from './store.js'

/** What a limit counts: requests per client address, or per user of an app. The scope prefixes the store key. */
export type LimitScope = 'ip' | 'user'

/**
 * Counts one request under `scope:key` and throws RATE_LIMITED when the rule is exceeded (a store's error is passed
 * on). `rule` null: no limit, nothing counted.
 * `onLimited` is told the scope of each refusal (the Node service counts them in a metric).
 */
export async function checkLimit(store: RateLimitStore, scope: LimitScope, key: string, rule: LimitRule | null, onLimited?: (scope: LimitScope) => void): Promise<void> {
  if (rule === null) return
  const r = await store.hit(`${scope}:${key}`, rule.limit, rule.window)
  if (!r.allowed) {
    onLimited?.(scope)
    throw new HttpError('RATE_LIMITED', `too many requests (${scope} limit: ${rule.limit} per ${rule.window}s); retry after ${r.retryAfter}s`, {
      headers: { 'retry-after': String(r.retryAfter) },
    })
  }
}
