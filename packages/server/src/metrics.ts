/** Prometheus metrics on a registry of their own (several apps in one process never collide). */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export interface Metrics {
  registry: Registry
  issued: Counter<'sdkAppId' | 'kind'>
  denied: Counter<'reason' | 'kind'>
  rateLimited: Counter<'scope'>
  storeFallback: Counter
  latency: Histogram<'method' | 'route' | 'status_code'>
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry()
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry })
  return {
    registry,
    issued: new Counter({ name: 'usersig_issued_total', help: 'UserSigs and PrivateMapKeys issued, by app and kind', labelNames: ['sdkAppId', 'kind'], registers: [registry] }),
    denied: new Counter({ name: 'usersig_denied_total', help: 'Requests refused, by reason (error code) and kind', labelNames: ['reason', 'kind'], registers: [registry] }),
    rateLimited: new Counter({ name: 'usersig_rate_limited_total', help: 'Requests refused by a rate limit, by scope (user or ip)', labelNames: ['scope'], registers: [registry] }),
    storeFallback: new Counter({ name: 'usersig_rate_limit_store_fallback_total', help: 'Rate-limit hits served by local counters because Redis was unreachable', registers: [registry] }),
    latency: new Histogram({
      name: 'usersig_http_request_duration_seconds',
      help: 'Request latency, by method, route and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  }
}
