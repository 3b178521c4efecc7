/**
 * The Admin charts' numbers: snapshots of the service's counters taken at each poll of /metrics, and from them
 * "how many in the last minute" for issued, denied (by reason) and rate-limited requests, and the latency
 * percentiles of the requests answered in the last minute. Counters only grow; a restart of the service (a counter
 * going down) starts the window again.
 */
import type { Sample } from './admin-api.js'

export interface Snapshot {
  /** Unix seconds (the browser's clock) when the counters were read. */
  at: number
  issued: number
  denied: Map<string, number>
  rateLimited: number
  /** Cumulative request counts per latency bucket bound (seconds; Infinity last), summed over all routes. */
  buckets: [number, number][]
}

export const WINDOW_SECONDS = 60
const MAX_SNAPSHOTS = 180

export function snapshot(samples: readonly Sample[], at: number): Snapshot {
  let issued = 0
  let rateLimited = 0
  const denied = new Map<string, number>()
  const buckets = new Map<number, number>()
  for (const s of samples) {
    if (!Number.isFinite(s.value) && s.value !== Infinity) continue
    if (s.name === 'usersig_issued_total') issued += s.value
    else if (s.name === 'usersig_rate_limited_total') rateLimited += s.value
    else if (s.name === 'usersig_denied_total') {
      const reason = s.labels['reason'] ?? '?'
      denied.set(reason, (denied.get(reason) ?? 0) + s.value)
    } else if (s.name === 'usersig_http_request_duration_seconds_bucket') {
      const le = s.labels['le'] === '+Inf' ? Infinity : Number(s.labels['le'])
      if (!Number.isNaN(le)) buckets.set(le, (buckets.get(le) ?? 0) + s.value)
    }
  }
  return { at, issued, denied, rateLimited, buckets: [...buckets.entries()].sort((a, b) => a[0] - b[0]) }
}

/** Keeps the snapshots of the last few minutes, oldest first. */
export class MetricsHistory {
  readonly snapshots: Snapshot[] = []

  add(s: Snapshot): void {
    const last = this.snapshots[this.snapshots.length - 1]
    // The service restarted (a counter went down): the old numbers describe another process.
    if (last && (s.issued < last.issued || s.rateLimited < last.rateLimited)) this.snapshots.length = 0
    this.snapshots.push(s)
    if (this.snapshots.length > MAX_SNAPSHOTS) this.snapshots.splice(0, this.snapshots.length - MAX_SNAPSHOTS)
  }

  /** The snapshot the window of snapshot `i` starts at: the newest one at least a minute older, else the first. */
  private windowStart(i: number): Snapshot {
    const at = this.snapshots[i]!.at - WINDOW_SECONDS
    let j = i
    while (j > 0 && this.snapshots[j]!.at > at) j--
    return this.snapshots[j]!
  }

  times(): number[] {
    return this.snapshots.map((s) => s.at)
  }

  issuedPerMinute(): number[] {
    return this.snapshots.map((s, i) => s.issued - this.windowStart(i).issued)
  }

  rateLimitedPerMinute(): number[] {
    return this.snapshots.map((s, i) => s.rateLimited - this.windowStart(i).rateLimited)
  }

  /** Denied in the last minute, one series per reason seen (the busiest first, at most `max`). */
  deniedPerMinute(max = 5): { reason: string; values: number[] }[] {
    const reasons = new Map<string, number>()
    const lastSnap = this.snapshots[this.snapshots.length - 1]
    for (const [r, n] of lastSnap?.denied ?? []) reasons.set(r, n)
    const top = [...reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, max).map(([r]) => r)
    return top.map((reason) => ({
      reason,
      values: this.snapshots.map((s, i) => (s.denied.get(reason) ?? 0) - (this.windowStart(i).denied.get(reason) ?? 0)),
    }))
  }

  /** Latency percentile `q` (0..1) in milliseconds over the last minute; null where no request was answered. */
  latencyMs(q: number): (number | null)[] {
    return this.snapshots.map((s, i) => percentileMs(s.buckets, this.windowStart(i).buckets, q))
  }
}

/**
 * A percentile from the difference of two cumulative histograms, interpolated linearly inside its bucket (as
 * Prometheus' histogram_quantile does); the open +Inf bucket reports its lower bound.
 */
export function percentileMs(now: readonly [number, number][], before: readonly [number, number][], q: number): number | null {
  const earlier = new Map(before)
  const diff = now.map(([le, n]) => [le, n - (earlier.get(le) ?? 0)] as const)
  const total = diff.length ? diff[diff.length - 1]![1] : 0
  if (total <= 0) return null
  const target = q * total
  let prevLe = 0
  let prevCount = 0
  for (const [le, count] of diff) {
    if (count >= target) {
      if (le === Infinity) return prevLe * 1000
      const inBucket = count - prevCount
      const frac = inBucket > 0 ? (target - prevCount) / inBucket : 1
      return (prevLe + (le - prevLe) * frac) * 1000
    }
    prevLe = le
    prevCount = count
  }
  return prevLe * 1000
}
