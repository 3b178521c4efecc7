/**
 * createApp(deps): the fastify app, configured and routed, not listening. main.ts listens and owns shutdown;
 * tests call `app.inject()`.
 */
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { join } from 'node:path'
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify'
import cors from '@fastify/cors'
import { destination, pino, type Logger } from 'pino'
import { auditLog, type AuditLog } from './audit.js'
import { API_CSP, clientErrorHandler, SECURITY_HEADERS } from './client-error.js'
import { trustWarnings } from './auth/index.js'
import { findRepoRoot, resolveConfig } from './config.js'
import type { ServiceConfig } from './config/types.js'
import { errorBody, HttpError } from './errors.js'
import { createAuditLogger, createLogger } from './logger.js'
import { createMetrics, type Metrics } from './metrics.js'
import { buildRuntime, toHttpError, type Runtime, type RuntimeDeps, type Service } from './runtime.js'
import { adminRoutes } from './routes/admin.js'
import { consoleRoutes } from './routes/console.js'
import { healthRoutes } from './routes/health.js'
import { issueRoutes } from './routes/issue.js'
import { createStore, type RateLimitStore } from './stores/index.js'

/** Status, code and message for an error fastify raised before a handler ran (or an unexpected one: 500). */
function requestError(error: FastifyError, bodyLimit: number): [number, string, string] {
  if (error.validation) {
    const extra = error.validation.find((v) => v.keyword === 'additionalProperties')?.params?.['additionalProperty']
    if (extra === 'userId') {
      return [400, 'USERID_IN_BODY', 'the userId comes from your credentials, never from the request: remove "userId" from the body']
    }
    if (typeof extra === 'string') return [400, 'INVALID_REQUEST', `unknown field "${extra.slice(0, 64)}" in ${error.validationContext ?? 'body'}`]
    return [400, 'INVALID_REQUEST', error.message]
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return [400, 'INVALID_JSON', 'the body is not valid JSON']
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return [413, 'PAYLOAD_TOO_LARGE', `the body is larger than ${bodyLimit} bytes`]
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return [415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json']
  }
  if (error.statusCode === 400 && (error.name === 'SyntaxError' || error.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH')) {
    return [400, 'INVALID_JSON', 'the body is not valid JSON']
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return [error.statusCode, 'INVALID_REQUEST', 'the request is not valid']
  }
  return [500, 'INTERNAL', 'internal error; the request id is in the x-request-id header']
}

/** What `createApp` takes: the config, and the parts a test or an embedding program replaces (logger, store, clock). */
export interface CreateAppOptions {
  /**
   * A resolved config (from loadConfig/resolveConfig), or a config object as a file would hold it; the latter is
   * validated here with process.env applied (relative paths: from the cwd).
   */
  config: ServiceConfig | Record<string, unknown>
  /** The logger for requests and service events; false for none. Default: pino to stdout at config.log.level. */
  logger?: Logger | false
  /** Where audit lines go. Default: the logger (or a pino on config.audit.file when set). */
  auditLogger?: Logger | null
  /** Overrides the store built from config.rateLimit. */
  store?: RateLimitStore
  /** For forward auth and the policy webhook. Default: global fetch. */
  fetch?: typeof fetch
  /** Clock in milliseconds. Default: Date.now. */
  now?: () => number
  /** The console's directory; null for none. Default: config.server.consoleDir, else packages/console/dist. */
  staticDir?: string | null
  /** Add prom-client's process metrics (main.ts turns this on). */
  defaultMetrics?: boolean
}

/**
 * The running service's state and controls, at `app.usersig` on the Fastify instance `createApp` returns: the config
 * in force, reload, the shutdown steps, the audit buffer and the metrics. `startServer` drives it; a program that
 * listens on its own calls `reload`, `beginShutdown` and `whenIdle` itself.
 */
export interface UserSigService {
  /** The config in force (the latest one passed to `reload`). */
  readonly config: ServiceConfig
  /** True once `beginShutdown` was called (or the app started closing): answers carry `Connection: close`. */
  readonly closing: boolean
  /**
   * Swaps in a new config (keys, apps, auth, rules, limits, CORS list, log level). Settings that need a restart
   * (listener, console dir, turning CORS on/off, audit) are returned by name.
   */
  reload(config: ServiceConfig): string[]
  /**
   * From now on /readyz answers 503 SHUTTING_DOWN (so load balancers stop sending traffic) while every request is
   * still served, each answer with `Connection: close`.
   */
  beginShutdown(): void
  /** Resolves when every request whose body has fully arrived has been answered. */
  whenIdle(): Promise<void>
  /** The audit log: one event per audited decision, the latest kept in memory for `GET /v1/admin/audit`. */
  readonly audit: AuditLog
  /** The Prometheus metrics served on `/metrics`. */
  readonly metrics: Metrics
  /** The apps with key fingerprints (never keys). */
  apps(): { sdkAppId: number; name: string; algorithm: string; keyId: string }[]
}

declare module 'fastify' {
  interface FastifyInstance {
    usersig: UserSigService
  }
}

function defaultStaticDir(): string | null {
  const dir = join(findRepoRoot(), 'packages', 'console', 'dist')
  return existsSync(join(dir, 'index.html')) ? dir : null
}

function storeKey(c: ServiceConfig): string {
  return JSON.stringify([c.rateLimit.store, c.rateLimit.algorithm, c.rateLimit.redis])
}

/** Builds the Fastify app (routes, auth, policy, rate limits, audit, metrics) without listening; tests use `inject()`. */
export async function createApp(options: CreateAppOptions): Promise<FastifyInstance> {
  const first = isServiceConfig(options.config) ? (options.config as ServiceConfig) : resolveConfig(options.config, { env: process.env })
  const nowMs = options.now ?? Date.now
  const fetchImpl = options.fetch ?? globalThis.fetch
  const logger = options.logger === undefined ? createLogger({ level: first.log.level }) : options.logger
  const auditLogger = options.auditLogger !== undefined
    ? options.auditLogger
    : first.audit.file
      ? createAuditLogger(destination({ dest: first.audit.file, mkdir: true, sync: false, minLength: 4096 }))
      : logger || null
  const metrics = createMetrics({ defaultMetrics: options.defaultMetrics ?? false })
  const silent = pino({ level: 'silent' })
  const log = logger || silent
  for (const w of trustWarnings(first)) log.warn(w)
  // A deprecated setting still works; it is named, with its new name, when the app is built and at each reload.
  const deprecations = (c: ServiceConfig) => { for (const w of c.warnings ?? []) log.warn({ deprecated: true }, w) }
  deprecations(first)
  const makeStore = (c: ServiceConfig) => options.store ?? createStore(c.rateLimit, log, nowMs, { onFallback: () => metrics.storeFallback.inc(), onRefused: () => metrics.storeRefused.inc() })

  let store = makeStore(first)
  let closing = false
  // Requests not answered yet. A graceful shutdown waits for those whose body has fully arrived; a client still
  // sending its body is cut off rather than waited for (a slow client must not hold up the exit).
  const inFlight = new Set<IncomingMessage>()
  const audit = auditLog(first.audit.enabled ? auditLogger : null, first.audit.bufferSize, nowMs)
  const runtimeDeps: RuntimeDeps = {
    nowMs,
    fetch: fetchImpl,
    log,
    issuer: {
      // The store of the moment: a reload may swap it.
      store: { hit: (key, limit, windowSeconds) => store.hit(key, limit, windowSeconds), health: () => store.health(), close: () => store.close() },
      // Each decision of the issuing steps: counted, then audited.
      audit: (e) => {
        if (e.outcome === 'issued') metrics.issued.inc({ sdkAppId: String(e.sdkAppId), kind: e.kind })
        else metrics.denied.inc({ reason: e.reason ?? 'INTERNAL', kind: e.kind })
        audit.record(e)
      },
      onLimited: (scope) => metrics.rateLimited.inc({ scope }),
    },
  }
  let runtime: Runtime = buildRuntime(first, runtimeDeps)

  const svc: Service = {
    get runtime() { return runtime },
    get store() { return store },
    audit,
    metrics,
    get closing() { return closing },
    nowMs,
  }

  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    // One audit line per decision and a debug line per request replace fastify's two lines per request.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: first.server.bodyLimit,
    trustProxy: first.server.trustProxy,
    // Slow clients: headers within headersTimeout, the whole request within requestTimeout, checked every second;
    // a connection that sends nothing at all is closed after requestTimeout of silence. Without a Host header Node would answer 400 itself, with none of our headers; the service does not use Host.
    http: { headersTimeout: first.server.headersTimeout * 1000, connectionsCheckingInterval: 1000, requireHostHeader: false },
    requestTimeout: first.server.requestTimeout * 1000,
    connectionTimeout: first.server.requestTimeout * 1000,
    clientErrorHandler: clientErrorHandler(log),
    // A URL fastify cannot decode (`/%zz`) or an over-long parameter: the usual error body. These replies skip the
    // onSend hook, so they get its headers here.
    frameworkErrors: (_error, req, reply) => {
      const r = reply as unknown as FastifyReply
      r.headers({ ...SECURITY_HEADERS, 'content-security-policy': API_CSP, 'cache-control': 'no-store', 'x-request-id': req.id })
      r.code(400).send(errorBody('INVALID_REQUEST', 'the URL is not valid'))
    },
    genReqId: () => randomUUID(),
    // While the listener closes, requests on open connections are still served (with Connection: close).
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false, allowUnionTypes: true } },
  }) as unknown as FastifyInstance
  // An `Expect` other than 100-continue: Node would answer 417 itself, bypassing the error body and headers; the
  // request is handled like any other instead (the expectation is ignored, which HTTP allows).
  app.server.on('checkExpectation', (req, res) => app.server.emit('request', req, res))
  // Only JSON bodies: no text/plain, so a cross-site form or "simple request" cannot reach a handler.
  app.removeContentTypeParser(['text/plain'])

  app.decorate('usersig', {
    get config() { return runtime.config },
    get closing() { return closing },
    audit,
    metrics,
    reload(config: ServiceConfig): string[] {
      const next = buildRuntime(config, runtimeDeps)
      const old = runtime
      const restartNeeded = (['host', 'port', 'bodyLimit', 'trustProxy'] as const).filter((k) => JSON.stringify(old.config.server[k]) !== JSON.stringify(config.server[k])).map(String)
      // Turning CORS on or off (or credentials) needs the plugin registered or removed: a restart. The list itself reloads.
      if ((first.server.cors.origins.length > 0) !== (config.server.cors.origins.length > 0) || first.server.cors.credentials !== config.server.cors.credentials) restartNeeded.push('cors')
      if (JSON.stringify(old.config.server.consoleDir) !== JSON.stringify(config.server.consoleDir)) restartNeeded.push('consoleDir')
      const auditChanged = JSON.stringify(old.config.audit) !== JSON.stringify(config.audit)
      if (!options.store && storeKey(old.config) !== storeKey(config)) {
        const oldStore = store
        store = makeStore(config)
        // Requests that already hold the old store finish first.
        setTimeout(() => void oldStore.close(), 5000).unref()
      }
      runtime = next
      setTimeout(() => old.auth.close(), 5000).unref()
      if (logger) logger.level = config.log.level
      deprecations(config)
      return [...restartNeeded.map((k) => `server.${k}`), ...(auditChanged ? ['audit'] : [])]
    },
    beginShutdown() {
      closing = true
    },
    async whenIdle() {
      // Polled: this runs once, at shutdown; the request path only adds and deletes.
      const busy = () => { for (const r of inFlight) if (r.complete) return true; return false }
      while (busy()) await new Promise((ok) => setTimeout(ok, 10))
    },
    apps() {
      return [...runtime.apps.values()].map((a) => ({ sdkAppId: a.sdkAppId, name: a.name, algorithm: a.algorithm, keyId: a.keyId }))
    },
  } satisfies UserSigService)

  // Only with an allowlist: without one, no request needs CORS headers (and none gets them).
  if (first.server.cors.origins.length > 0) {
    await app.register(cors, {
      // Read per request, so a reload can change the allowlist.
      origin: (origin, cb) => cb(null, origin !== undefined && runtime.config.server.cors.origins.includes(origin)),
      methods: ['GET', 'POST'],
      allowedHeaders: ['authorization', 'content-type', 'x-api-key', 'x-demo-roles'],
      exposedHeaders: ['retry-after', 'x-request-id'],
      credentials: first.server.cors.credentials,
      maxAge: 600,
    })
  }

  // Callback-style hooks: these run on every request, and an async hook costs a promise each time.
  app.addHook('onRequest', (req, reply, done) => {
    const raw = req.raw
    inFlight.add(raw)
    reply.raw.once('close', () => inFlight.delete(raw))
    done()
  })

  app.addHook('onSend', (req, reply, payload, done) => {
    reply.headers(SECURITY_HEADERS)
    reply.header('x-request-id', req.id)
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', API_CSP)
    if (req.url.startsWith('/v1/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store')
    if (closing) reply.header('connection', 'close')
    done(null, payload)
  })

  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched'
    metrics.latency.observe(req.method, route, reply.statusCode, reply.elapsedTime / 1000)
    if (log.isLevelEnabled('debug')) {
      log.debug({ reqId: req.id, method: req.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request')
    }
    done()
  })

  app.setErrorHandler((error: FastifyError, req, reply) => {
    const e = toHttpError(error)
    if (e instanceof HttpError) {
      // Thrown by a handler, which has already written its audit line (recordFailure).
      for (const [k, v] of Object.entries(e.headers)) reply.header(k, v)
      // req.log already carries reqId: naming it again would write the key twice in one JSON line. A store outage is
      // logged once by the store (stores/index.ts) and counted by a metric, not once per request.
      if (e.status >= 500 && e.code !== 'STORE_UNAVAILABLE' && !e.logged) req.log.warn({ code: e.code }, e.message)
      return reply.code(e.status).send(errorBody(e.code, e.message))
    }
    const [status, code, message] = requestError(error, runtime.config.server.bodyLimit)
    if (status >= 500) {
      req.log.error({ err: { name: error.name, code: error.code, stack: error.stack } }, 'unexpected error')
    }
    // Refused before its handler ran (body schema, JSON, size, media type): an audited route still gets its audit line
    // and denial count, with the reason code only (the body is not trusted to be logged).
    const kind = req.routeOptions.config.auditKind
    if (kind !== undefined) {
      metrics.denied.inc({ reason: code, kind })
      audit.record({ kind, requestId: req.id, clientIp: req.ip, outcome: status < 500 ? 'denied' : 'error', reason: code })
    }
    return reply.code(status).send(errorBody(code, message))
  })

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(errorBody('NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]!.slice(0, 200)}`))
  })

  issueRoutes(app, svc)
  adminRoutes(app, svc)
  healthRoutes(app, svc)
  const staticDir = options.staticDir !== undefined ? options.staticDir : first.server.consoleDir !== undefined ? first.server.consoleDir : defaultStaticDir()
  consoleRoutes(app, staticDir)

  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('onClose', async () => {
    await store.close()
    runtime.auth.close()
    // The audit file is written in blocks of 4 KiB; the last block is written here, at shutdown.
    if (auditLogger && auditLogger !== logger) await new Promise<void>((ok) => auditLogger.flush(() => ok()))
  })
  return app
}

/** A ServiceConfig built in code (not through resolveConfig) is recognised by its shape. */
function isServiceConfig(c: unknown): boolean {
  const x = c as Partial<ServiceConfig> | null
  return !!x && Array.isArray(x.apps) && x.apps.every((a) => typeof a === 'object' && a !== null && 'algorithm' in a) && typeof x.server?.bodyLimit === 'number'
}
