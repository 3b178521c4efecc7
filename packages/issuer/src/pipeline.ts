/**
 * The portable issuing pipeline: one config in the service's vocabulary, and functions that take a small view of an
 * HTTP request and return `{ status, headers, body }`. No Node built-ins and no HTTP server: the edge handler (a
 * Web-standard `fetch` handler) is an adapter over it. The issuing steps themselves are the issuer's (issuer.ts),
 * which the Node service also runs, with its own authenticators in front.
 *
 * Order of an issuing request: per-address limit, who the caller is (401 before anything in the body is judged), then
 * the issuer: the body, which app, the app's UserID policy, per-user limit, (PrivateMapKey policy), sign, audit.
 */
import { consoleAudit, type AuditKind, type AuditSink } from './audit.js'
import { jsonObject } from './body.js'
import { callerAuth, type Identity } from './caller.js'
import { validateConfig, type Env } from './config/validate.js'
import { envWarnings } from './config/env.js'
import type { IssuerConfig } from './config/types.js'
import { errorBody, HttpError, type ErrorCode } from './errors.js'
import { createIssuer, hmacApp, toHttpError, type AuditContext, type IssueRequest, type Issuer } from './issuer.js'
import { checkLimit } from './limit.js'
import { pmkPolicy } from './policy.js'
import { failClosed, memoryStore, type RateLimitStore } from './store.js'

/** What the pipeline reads of a request. The adapter has read the body already, within `bodyLimit`. */
export interface RequestView {
  /** The HTTP method in upper case. */
  method: string
  /** The path without the query string. */
  path: string
  /** The request's headers (a `Headers` object will do). */
  headers: { get(name: string): string | null }
  /** The body as text ('' when there is none). */
  body: string
  /** The TCP peer, or what the platform vouches for (e.g. `cf-connecting-ip` on Cloudflare). */
  clientAddress: string
  /** Default: a random UUID. */
  requestId?: string
}

/** An HTTP answer: the body is JSON text, or '' for none. */
export interface Answer {
  /** The HTTP status. */
  status: number
  /** Headers to send, names in lower case (security headers, CORS, `x-request-id`, `retry-after`…). */
  headers: Record<string, string>
  /** JSON text, or '' for no body. */
  body: string
}

/** How much a service event matters: `info` (an outage ended), `warn` (an outage began, a deprecated setting), `error` (a failure). */
export type LogLevel = 'info' | 'warn' | 'error'
/** Service events (never secrets): an identity-provider outage starting and ending, deprecated settings, unexpected errors. */
export type LogSink = (level: LogLevel, message: string, fields: Record<string, string | number | boolean>) => void

/** A log sink that writes one JSON line per event to the console. */
export const consoleLog: LogSink = (level, message, fields) => {
  console[level === 'info' ? 'log' : level](JSON.stringify({ level, msg: message, ...fields }))
}

/** What `createPipeline` (and the edge handler, which extends these) takes besides the config: platform parts. */
export interface PipelineOptions {
  /** Where `xxxEnv` secret references are looked up: a Worker's `env`, `process.env`, `Deno.env.toObject()`. */
  env?: Env
  /** Rate-limit counters. Default: in memory (per process; per isolate at the edge, so approximate there). */
  store?: RateLimitStore
  /** Audit events; false for none. Default: one JSON line per event on the console. */
  audit?: AuditSink | false
  /** Service events; false for none. Default: JSON lines on the console. */
  log?: LogSink | false
  /** For a JWKS URL and the policy webhook. Default: global fetch. */
  fetch?: typeof fetch
  /** Clock in milliseconds. Default: Date.now. */
  now?: () => number
}

/**
 * The issuing service without an HTTP server, made by `createPipeline`: an adapter turns its platform's request into
 * a `RequestView`, calls `handle`, and sends back the `Answer`. `@usersig/edge` is such an adapter; write another for a
 * platform it does not cover.
 */
export interface Pipeline {
  /** The validated config, with secrets resolved from `env`. */
  readonly config: IssuerConfig
  /** Routes a request: the two issuing routes, GET /healthz, OPTIONS preflight, else 404. */
  handle(req: RequestView): Promise<Answer>
  /** `POST /v1/usersig`: authenticates the caller and answers with a UserSig, or an error answer. */
  issueUserSig(req: RequestView): Promise<Answer>
  /** `POST /v1/private-map-key`: authenticates the caller, asks the PrivateMapKey policy, answers with the token. */
  issuePrivateMapKey(req: RequestView): Promise<Answer>
  /** `GET /healthz`: 200 `{ "status": "ok" }` while the pipeline runs (liveness; it does not query the store). */
  health(req: RequestView): Answer
  /** A CORS preflight (`OPTIONS`): 204 for an origin in `cors.origins`, 404 for any other (as the service answers). */
  preflight(req: RequestView): Answer
  /**
   * An answer for a request the adapter refused before the pipeline could read it (a body over `config.bodyLimit`,
   * one that is not UTF-8 or could not be read): the same envelope and headers, and on an issuing route its audit line.
   */
  refuse(req: RequestView, code: ErrorCode, message: string): Answer
  /** Closes the rate-limit store; call it once when the platform stops the process. */
  close(): Promise<void>
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-site',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
}

const ISSUING_ROUTES: Record<string, AuditKind | undefined> = { '/v1/usersig': 'usersig', '/v1/private-map-key': 'privateMapKey' }

/**
 * Builds the pipeline from a config object in the service's vocabulary (validated here; a ConfigError names the
 * field) or one already validated by `validateConfig`.
 */
export function createPipeline(input: Record<string, unknown>, options: PipelineOptions = {}): Pipeline {
  const config = validateConfig(input, options.env ?? {})
  const nowMs = options.now ?? Date.now
  const fetchImpl = options.fetch ?? ((url, init) => fetch(url, init))
  const audit: AuditSink | null = options.audit === false ? null : (options.audit ?? consoleAudit)
  const log: LogSink | null = options.log === false ? null : (options.log ?? consoleLog)
  // A deprecated setting still works; each one is named once, with its new name, when the pipeline is built.
  for (const w of [...config.warnings, ...envWarnings(options.env ?? {})]) log?.('warn', w, { deprecated: true })
  const store = failClosed(options.store ?? memoryStore(config.rateLimit.algorithm, nowMs))
  const policy = pmkPolicy(config.policy, fetchImpl)
  const issuer: Issuer = createIssuer(
    {
      apps: new Map(config.apps.map((a) => [a.sdkAppId, hmacApp(a)])),
      defaultSdkAppId: config.defaultSdkAppId,
      policy,
      perUser: config.rateLimit.enabled ? config.rateLimit.perUser : null,
    },
    { store, audit, now: nowMs },
  )
  const auth = callerAuth(config.auth, {
    nowMs,
    fetch: fetchImpl,
    onOutage: (down) => log?.(down ? 'warn' : 'info', down ? 'identity provider keys (JWKS) unavailable: answering 503 AUTH_UNAVAILABLE' : 'identity provider keys (JWKS) available again', { outage: down }),
  })
  const cors = config.cors
  const perIp = config.rateLimit.enabled ? config.rateLimit.perIp : null

  function corsHeaders(req: RequestView): Record<string, string> {
    if (cors.origins.length === 0) return {}
    const origin = req.headers.get('origin')
    const h: Record<string, string> = { vary: 'Origin' }
    if (origin === null || !cors.origins.includes(origin)) return h
    h['access-control-allow-origin'] = origin
    h['access-control-expose-headers'] = 'retry-after, x-request-id'
    if (cors.credentials) h['access-control-allow-credentials'] = 'true'
    return h
  }

  function answer(req: RequestView, requestId: string, status: number, body: unknown, extra: Record<string, string> = {}): Answer {
    const headers: Record<string, string> = { ...SECURITY_HEADERS, ...corsHeaders(req), 'x-request-id': requestId, ...extra }
    if (req.path.startsWith('/v1/') && headers['cache-control'] === undefined) headers['cache-control'] = 'no-store'
    if (body === null) return { status, headers, body: '' }
    headers['content-type'] = 'application/json; charset=utf-8'
    return { status, headers, body: JSON.stringify(body) }
  }

  function notFound(req: RequestView, requestId: string): Answer {
    return answer(req, requestId, 404, errorBody('NOT_FOUND', `no route ${req.method.slice(0, 16)} ${req.path.slice(0, 200)}`))
  }

  function failure(req: RequestView, requestId: string, e: unknown): Answer {
    const err = toHttpError(e)
    if (err instanceof HttpError) return answer(req, requestId, err.status, errorBody(err.code, err.message), err.headers)
    // Only the error's name: its message could carry anything.
    log?.('error', 'unexpected error', { requestId, name: err instanceof Error ? err.name : typeof err })
    return answer(req, requestId, 500, errorBody('INTERNAL', 'internal error; the request id is in the x-request-id header'))
  }

  function start(req: RequestView, kind: AuditKind): AuditContext {
    return { kind, requestId: req.requestId ?? crypto.randomUUID(), clientIp: req.clientAddress }
  }

  /**
   * An issuing route: the per-address limit and who the caller is (401 before anything in the body is judged, audited
   * here), then the issuer's steps (audited there), then the answer.
   */
  async function issue<T>(req: RequestView, kind: AuditKind, step: (r: IssueRequest) => Promise<T>): Promise<Answer> {
    const ctx = start(req, kind)
    let caller: Identity
    try {
      await checkLimit(store, 'ip', req.clientAddress || 'unknown', perIp)
      caller = await auth.authenticate({ headers: req.headers, clientAddress: req.clientAddress })
    } catch (e) {
      issuer.recordFailure(ctx, e)
      return failure(req, ctx.requestId, e)
    }
    try {
      const body = await step({ requestId: ctx.requestId, clientIp: ctx.clientIp, caller, body: () => jsonObject(req.body, req.headers.get('content-type')) })
      return answer(req, ctx.requestId, 200, body, { pragma: 'no-cache' })
    } catch (e) {
      return failure(req, ctx.requestId, e)
    }
  }

  const pipeline: Pipeline = {
    config,

    issueUserSig: (req) => issue(req, 'usersig', (r) => issuer.issueUserSig(r)),
    issuePrivateMapKey: (req) => issue(req, 'privateMapKey', (r) => issuer.issuePrivateMapKey(r)),

    health(req) {
      return answer(req, req.requestId ?? crypto.randomUUID(), 200, { status: 'ok' })
    },

    preflight(req) {
      const requestId = req.requestId ?? crypto.randomUUID()
      // As the service: a preflight from an origin outside the list is a route that does not exist for it.
      if (req.headers.get('origin') === null || !cors.origins.includes(req.headers.get('origin')!)) return notFound(req, requestId)
      return answer(req, requestId, 204, null, {
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'authorization, content-type',
        'access-control-max-age': '600',
      })
    },

    refuse(req, code, message) {
      const kind = req.method === 'POST' ? ISSUING_ROUTES[req.path] : undefined
      const e = new HttpError(code, message)
      if (kind === undefined) return failure(req, req.requestId ?? crypto.randomUUID(), e)
      const ctx = start(req, kind)
      issuer.recordFailure(ctx, e)
      return failure(req, ctx.requestId, e)
    },

    async handle(req) {
      if (req.method === 'OPTIONS' && cors.origins.length > 0) return pipeline.preflight(req)
      const kind = req.method === 'POST' ? ISSUING_ROUTES[req.path] : undefined
      if (kind === 'usersig') return pipeline.issueUserSig(req)
      if (kind === 'privateMapKey') return pipeline.issuePrivateMapKey(req)
      if ((req.method === 'GET' || req.method === 'HEAD') && req.path === '/healthz') return pipeline.health(req)
      return notFound(req, req.requestId ?? crypto.randomUUID())
    },

    close: () => store.close(),
  }
  return pipeline
}
