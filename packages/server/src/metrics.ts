/** Prometheus metrics on a registry of their own (several apps in one process never collide). */
import { Counter, Registry, collectDefaultMetrics } from 'prom-client'

export interface Metrics {
  registry: Registry
  issued: Counter<'sdkAppId' | 'kind'>
  denied: Counter<'reason' | 'kind'>
  rateLimited: Counter<'scope'>
  storeFallback: Counter
  storeRefused: Counter
  latency: LatencyHistogram
}

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

interface Series {
  labels: { method: string; route: string; status_code: string }
  counts: number[]
  sum: number
  count: number
}

/**
 * The request-latency histogram, as a prom-client custom collector. prom-client's own Histogram hashes its label
 * object on every observation; this one looks a series up by a plain string key, which is what a per-request
 * metric can afford. The exposition format is the same.
 */
export class LatencyHistogram {
  readonly name = 'usersig_http_request_duration_seconds'
  readonly help = 'Request latency, by method, route and status code'
  readonly type = 'histogram'
  readonly aggregator = 'sum'
  private readonly series = new Map<string, Series>()

  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`
    let s = this.series.get(key)
    if (!s) {
      s = { labels: { method, route, status_code: String(status) }, counts: new Array(BUCKETS.length).fill(0), sum: 0, count: 0 }
      this.series.set(key, s)
    }
    let i = 0
    while (i < BUCKETS.length && seconds > BUCKETS[i]!) i++
    if (i < BUCKETS.length) s.counts[i]!++
    s.sum += seconds
    s.count++
  }

  get(): { name: string; help: string; type: string; aggregator: string; values: { metricName: string; labels: Record<string, string | number>; sharedLabels?: Record<string, string>; value: number }[] } {
    const values = []
    const bucket = `${this.name}_bucket`
    for (const s of this.series.values()) {
      let acc = 0
      for (let i = 0; i < BUCKETS.length; i++) {
        acc += s.counts[i]!
        values.push({ metricName: bucket, labels: { le: BUCKETS[i]! }, sharedLabels: s.labels, value: acc })
      }
      values.push({ metricName: bucket, labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count })
      values.push({ metricName: `${this.name}_sum`, labels: {}, sharedLabels: s.labels, value: s.sum })
      values.push({ metricName: `${this.name}_count`, labels: {}, sharedLabels: s.labels, value: s.count })
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values }
  }
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry()
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry })
  const latency = new LatencyHistogram()
  registry.registerMetric(latency as never)
  return {
    registry,
    issued: new Counter({ name: 'usersig_issued_total', help: 'UserSigs and PrivateMapKeys issued, by app and kind', labelNames: ['sdkAppId', 'kind'], registers: [registry] }),
    denied: new Counter({ name: 'usersig_denied_total', help: 'Requests refused, by reason (error code) and kind', labelNames: ['reason', 'kind'], registers: [registry] }),
    rateLimited: new Counter({ name: 'usersig_rate_limited_total', help: 'Requests refused by a rate limit, by scope (user or ip)', labelNames: ['scope'], registers: [registry] }),
    storeFallback: new Counter({ name: 'usersig_rate_limit_store_fallback_total', help: 'Rate-limit hits served by local counters because Redis was unreachable', registers: [registry] }),
    storeRefused: new Counter({ name: 'usersig_rate_limit_store_refused_total', help: 'Requests answered 503 STORE_UNAVAILABLE because Redis was unreachable (failMode closed)', registers: [registry] }),
    latency,
  }
}
