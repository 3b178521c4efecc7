/** GET /healthz (alive), /readyz (config loaded, store reachable, not shutting down), /metrics, /openapi.json. */
import type { FastifyInstance } from 'fastify'
import { openApiDocument } from '../openapi.js'
import { admitApiKey } from '../auth/guard.js'
import type { Service } from '../runtime.js'

export function healthRoutes(app: FastifyInstance, svc: Service): void {
  app.get('/healthz', async () => ({ status: 'ok' }))

  app.get('/readyz', async (_req, reply) => {
    const store = svc.store.health()
    const checks = { config: 'ok', store: store.detail, apps: svc.runtime.apps.size }
    if (svc.closing) {
      reply.code(503)
      return { status: 'shutting down', checks, error: { code: 'SHUTTING_DOWN', message: 'the service is shutting down' } }
    }
    if (!store.ok) {
      reply.code(503)
      return { status: 'unavailable', checks, error: { code: 'STORE_UNAVAILABLE', message: 'the rate-limit store is unreachable' } }
    }
    return { status: store.degraded ? 'degraded' : 'ready', checks }
  })

  app.get('/metrics', async (req, reply) => {
    // With metrics.requireApiKey, only a key with the metrics (or admin) scope reads them (401 otherwise, limited, audited).
    if (svc.runtime.config.metrics.requireApiKey) await admitApiKey(svc, req, 'metrics', 'metrics')
    reply.header('content-type', svc.metrics.registry.contentType)
    return svc.metrics.registry.metrics()
  })

  app.get('/openapi.json', async () => openApiDocument())
}
